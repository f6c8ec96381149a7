package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Path;
import java.util.List;
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

    /** The runtime {@code name} of a new namespace, stored (an owner the garbage collector finds). */
    private static CacheRuntime storedRuntime(RealCluster cluster, String name) {
        cluster.apply(DEPLOY.resolve("crd.yaml"), null);
        Await.until("the CacheRuntime CRD established", () -> cluster.admin().apiextensions().v1()
                .customResourceDefinitions().withName("cacheruntimes.data.cacheha.dev").get().getStatus()
                .getConditions().stream().anyMatch(c -> "Established".equals(c.getType())
                        && "True".equals(c.getStatus())), () -> "");
        String namespace = cluster.createNamespace("owned", RealCluster.RESTRICTED_POD_SECURITY);
        return cluster.admin().resource(Runtimes.runtime(namespace, name, "alluxio", 3)).create();
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
    void aPlainFieldThatLeftThePlanBeforeTheFirstApplyIsRemovedAndAnUnchangedPlanWritesNothing(
            RealCluster cluster) {
        KubernetesClient admin = cluster.admin();
        OwnedObjects owned = new OwnedObjects(admin);
        CacheRuntime runtime = storedRuntime(cluster, "plain");
        try {
            // Given the runtime's Service created as the controller creates it (a plain create), with the plain
            // field publishNotReadyAddresses, and never applied
            HasMetadata created = owned.desired(List.of(service(true)), runtime).get(0);
            admin.resource(created).create();
            Service live = admin.services().inNamespace(runtime.getMetadata().getNamespace())
                    .withName("plain-master").get();
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
            Service after = admin.services().inNamespace(runtime.getMetadata().getNamespace())
                    .withName("plain-master").get();
            assertThat(after.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
            // And applying that plan again writes nothing
            assertThat(owned.update(owned.desired(List.of(service(false)), runtime).get(0), after))
                    .isEqualTo(OwnedObjects.Applied.UNCHANGED);
        } finally {
            admin.namespaces().withName(runtime.getMetadata().getNamespace()).delete();
        }
    }
}
