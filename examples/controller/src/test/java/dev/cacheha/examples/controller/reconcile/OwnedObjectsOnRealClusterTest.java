package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fields.ApplyOwnership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OwnedObjects} against a real API server's record of field ownership, which the mock server does not keep:
 * an object the controller created (a plain create, recorded under fabric8's default manager by {@code Update},
 * with every default the server filled in) and never applied.
 */
@ExtendWith(RealClusterExtension.class)
class OwnedObjectsOnRealClusterTest {

    private static final Path DEPLOY = Path.of(System.getProperty("cacheha.deployDir", "deploy"));

    private KubernetesClient admin;
    private OwnedObjects owned;
    private CacheRuntime runtime;

    /** The runtime {@code plain} of a new namespace, stored (an owner the garbage collector finds). */
    @BeforeEach
    void storeARuntime(RealCluster cluster) {
        cluster.apply(DEPLOY.resolve("crd.yaml"), null);
        Await.until("the CacheRuntime CRD established", () -> cluster.admin().apiextensions().v1()
                .customResourceDefinitions().withName("cacheruntimes.data.cacheha.dev").get().getStatus()
                .getConditions().stream().anyMatch(c -> "Established".equals(c.getType())
                        && "True".equals(c.getStatus())), () -> "");
        admin = cluster.admin();
        owned = new OwnedObjects(admin);
        String namespace = cluster.createNamespace("owned", RealCluster.RESTRICTED_POD_SECURITY);
        runtime = admin.resource(Runtimes.runtime(namespace, "plain", "alluxio", 3)).create();
    }

    @AfterEach
    void deleteItsNamespace() {
        if (runtime != null) {
            admin.namespaces().withName(runtime.getMetadata().getNamespace()).delete();
        }
    }

    /** The masters' Service of a plan, publishing members before they are Ready when {@code early}. */
    private static Service service(boolean early) {
        return new ServiceBuilder().withNewMetadata().withName("plain-master")
                .addToLabels("app.kubernetes.io/managed-by", "cache-ha").endMetadata()
                .withNewSpec().withClusterIP("None").addToSelector("app.kubernetes.io/instance", "plain")
                .withPublishNotReadyAddresses(early ? Boolean.TRUE : null)
                .addNewPort().withName("rpc").withPort(19998).endPort().endSpec().build();
    }

    @Test
    void aPlainFieldThatLeftThePlanBeforeTheFirstApplyIsRemovedAndAnUnchangedPlanWritesNothing() {
        // Given the runtime's Service created as the controller creates it (a plain create), with the plain
        // field publishNotReadyAddresses, and never applied
        HasMetadata created = owned.desired(List.of(service(true)), runtime).get(0);
        admin.resource(created).create();
        Service live = plainService();
        assertThat(live.getMetadata().getManagedFields()).singleElement().satisfies(entry -> {
            assertThat(entry.getManager()).isEqualTo(ApplyOwnership.FABRIC8_DEFAULT_MANAGER);
            assertThat(entry.getOperation()).isEqualTo("Update");
        });

        // When the same plan is applied again (a resync), then nothing is written
        assertThat(owned.update(owned.desired(List.of(service(true)), runtime).get(0), live))
                .isEqualTo(OwnedObjects.Applied.UNCHANGED);

        // When the plan no longer has the field, and nothing else changed
        OwnedObjects.Applied applied = owned.update(owned.desired(List.of(service(false)), runtime).get(0), live);

        // Then the object is applied and the field is gone from it
        assertThat(applied).isEqualTo(OwnedObjects.Applied.UPDATED);
        Service after = plainService();
        assertThat(after.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
        // And applying that plan again writes nothing
        assertThat(owned.update(owned.desired(List.of(service(false)), runtime).get(0), after))
                .isEqualTo(OwnedObjects.Applied.UNCHANGED);
    }

    @Test
    void anUpdateAgainstACachedCopyOlderThanTheServersObjectIsRefusedAsChangedSinceCachedAndWritesNothing() {
        // Given the runtime's Service created as the controller creates it, with the plain field, a copy of it
        // as an informer holds it, and then another writer's change the informer has not delivered yet
        admin.resource(owned.desired(List.of(service(true)), runtime).get(0)).create();
        Service cached = plainService();
        annotate("first");

        // When a plan without the field is applied against the cached copy (which first needs the
        // ownership upgrade, whose JSON patch tests the cached resource version)
        // Then it is refused as changed since cached, and the field is still there
        assertThatThrownBy(() -> owned.update(owned.desired(List.of(service(false)), runtime).get(0), cached))
                .isInstanceOf(OwnedObjects.ChangedSinceCachedException.class)
                .hasMessageContaining("Service plain-master changed since resource version "
                        + cached.getMetadata().getResourceVersion());
        assertThat(plainService().getSpec().getPublishNotReadyAddresses()).isTrue();

        // Given the same plan applied against the current object (no upgrade left to make), a copy of the
        // result as cached, and another change after it
        assertThat(owned.update(owned.desired(List.of(service(false)), runtime).get(0), plainService()))
                .isEqualTo(OwnedObjects.Applied.UPDATED);
        Service appliedAndCached = plainService();
        annotate("second");

        // When the plan with the field is applied against that copy (the apply's own precondition)
        // Then it is refused as changed since cached, and the field is still absent
        assertThatThrownBy(() -> owned.update(owned.desired(List.of(service(true)), runtime).get(0),
                appliedAndCached)).isInstanceOf(OwnedObjects.ChangedSinceCachedException.class);
        assertThat(plainService().getSpec().getPublishNotReadyAddresses()).isNotEqualTo(true);
    }

    /** The Service as the API server has it now. */
    private Service plainService() {
        return admin.services().inNamespace(runtime.getMetadata().getNamespace()).withName("plain-master").get();
    }

    /** Another writer's change to the Service, under a field manager of its own: an annotation. */
    private void annotate(String value) {
        admin.services().inNamespace(runtime.getMetadata().getNamespace()).withName("plain-master")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("someone-else")
                        .build(), "{\"metadata\":{\"annotations\":{\"someone/else\":\"" + value + "\"}}}");
    }
}
