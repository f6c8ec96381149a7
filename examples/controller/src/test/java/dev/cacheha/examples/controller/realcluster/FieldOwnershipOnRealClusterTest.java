package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.LeaderStatus.Role;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Field ownership on a real API server, which the mock server does not track: the controller server-side applies
 * as field manager {@code cache-ha}, so what another manager changes in a field the controller sets is taken
 * back, and what another manager adds beside it is kept.
 */
@ExtendWith(RealClusterExtension.class)
class FieldOwnershipOnRealClusterTest {

    private static ControllerOnRealCluster controller;

    @BeforeAll
    static void startController(RealCluster cluster) {
        controller = ControllerOnRealCluster.start(cluster, "owners", TestEngine.ALLUXIO);
    }

    @AfterAll
    static void stopController() {
        if (controller != null) {
            controller.close();
        }
    }

    private static KubernetesClient admin() {
        return controller.admin();
    }

    private static CacheRuntime createReady(CacheRuntime runtime) {
        String name = runtime.getMetadata().getName();
        IntStream.range(0, 3).forEach(ordinal -> controller.quorum()
                .set(name + "-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER));
        admin().resource(runtime).create();
        return controller.awaitReady(name, 1);
    }

    @Test
    void aManagedFieldChangedByAnotherManagerIsTakenBackAndAFieldItAddedIsKept() {
        // Given a Ready runtime and its ConfigMap as the controller made it
        createReady(Runtimes.runtime(controller.namespace(), "drift", "alluxio", 3));
        ConfigMap made = admin().configMaps().inNamespace(controller.namespace()).withName("drift-master-ha")
                .get();
        String file = made.getData().keySet().iterator().next();
        String planned = made.getData().get(file);

        // When another field manager server-side applies, forced, a changed properties file and an annotation
        admin().resource(new ConfigMapBuilder().withNewMetadata().withName("drift-master-ha")
                        .withNamespace(controller.namespace()).addToAnnotations("team", "billing").endMetadata()
                        .addToData(file, "tampered=true\n").build())
                .fieldManager("intruder").forceConflicts().serverSideApply();

        // Then the controller takes the properties file back, and the other manager's annotation stays
        Await.until("the properties file taken back", ControllerOnRealCluster.BUDGET, () -> planned.equals(admin()
                .configMaps().inNamespace(controller.namespace()).withName("drift-master-ha").get().getData()
                .get(file)), () -> "");
        ConfigMap after = admin().configMaps().inNamespace(controller.namespace()).withName("drift-master-ha")
                .get();
        assertThat(after.getMetadata().getAnnotations()).containsEntry("team", "billing");
        // And the file is the controller's again in the server's record of field ownership
        assertThat(after.getMetadata().getManagedFields()).anySatisfy(entry -> {
            assertThat(entry.getManager()).isEqualTo("cache-ha");
            assertThat(entry.getOperation()).isEqualTo("Apply");
            assertThat(entry.getFieldsV1().getAdditionalProperties().toString()).contains("f:" + file);
        });
    }
}
