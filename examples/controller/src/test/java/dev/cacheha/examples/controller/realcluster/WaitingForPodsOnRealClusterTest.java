package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A runtime waiting for its pods is woken by the pod informer, not by a timer: a timer per waiting runtime is
 * what made the controller spin when many runtimes started at once (docs/benchmarks.md, controller at scale). On
 * the real control plane, where a ResourceQuota of no pods keeps the StatefulSet controller from making them
 * until the quota goes, as a namespace out of quota does.
 */
@ExtendWith(RealClusterExtension.class)
class WaitingForPodsOnRealClusterTest {

    /**
     * The controller's recheck is 200 ms: a timer-driven wait reconciles about 20 times in this window, at least
     * ten on a busy machine; five leaves room for late informer events of the objects the runtime created.
     */
    private static final Duration WINDOW = Duration.ofSeconds(4);

    @Test
    void aRuntimeWaitingForItsPodsIsNotReconciledUntilAPodEventAndThenBecomesReady(RealCluster cluster)
            throws InterruptedException {
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.start(cluster, "waiting",
                TestEngine.ALLUXIO)) {
            // Given the controller (200 ms recheck, 10 min resync), members that answer once their pods are Ready,
            // and a namespace quota that allows no pod
            controller.membersAnswer("demo", 0);
            ResourceQuota noPods = controller.admin().resource(new ResourceQuotaBuilder().withNewMetadata()
                    .withName("no-pods").withNamespace(controller.namespace()).endMetadata().withNewSpec()
                    .addToHard("pods", new Quantity("0")).endSpec().build()).create();

            // When a runtime is created and says it starts, waiting for its members' pods
            controller.admin().resource(Runtimes.runtime(controller.namespace(), "demo", "alluxio", 3)).create();
            controller.await("demo", runtime -> message(runtime).contains("waiting for the pods of the 3 members of"
                    + " StatefulSet demo-master"), "starting, waiting for its pods");
            // (the informer events of the objects it created come in first, each a reconcile of its own: the last
            // of them is the journal claim the StatefulSet controller makes, which the quota allows, before the pod
            // it refuses; the StatefulSet controller then backs off)
            Await.until("member 0's claim bound and its pod refused", ControllerOnRealCluster.BUDGET,
                    () -> claims(controller).contains("journal-demo-master-0 Bound") && events(controller).stream()
                            .anyMatch(event -> event.startsWith("FailedCreate")),
                    () -> "claims: " + claims(controller) + "; events: " + events(controller));
            double before = progressing(controller);
            Thread.sleep(WINDOW.toMillis());
            double during = progressing(controller) - before;

            // Then it was not reconciled again while nothing changed, and no pod exists
            assertThat(during).as("PROGRESSING reconciles in %s without a pod event", WINDOW).isLessThanOrEqualTo(5);
            assertThat(controller.admin().pods().inNamespace(controller.namespace()).list().getItems()).isEmpty();

            // When the quota goes, Then the StatefulSet controller makes the pods and their events bring the runtime
            // to Ready well before the resync would
            controller.admin().resource(noPods).delete();
            CacheRuntime ready = controller.await("demo", runtime -> runtime.getStatus() != null
                    && runtime.getStatus().getConditions() != null && runtime.getStatus().getConditions().stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                    "Ready once its pods exist");
            assertThat(ready.getStatus().getLeader()).isEqualTo("demo-master-0");
        }
    }

    private static List<String> claims(ControllerOnRealCluster controller) {
        return controller.admin().persistentVolumeClaims().inNamespace(controller.namespace()).list().getItems()
                .stream().map(claim -> claim.getMetadata().getName() + " " + claim.getStatus().getPhase()).toList();
    }

    private static List<String> events(ControllerOnRealCluster controller) {
        return controller.admin().v1().events().inNamespace(controller.namespace()).list().getItems().stream()
                .map(event -> event.getReason() + " " + event.getMessage()).toList();
    }

    private static String message(CacheRuntime runtime) {
        return runtime.getStatus() == null || runtime.getStatus().getMessage() == null ? ""
                : runtime.getStatus().getMessage();
    }

    private static double progressing(ControllerOnRealCluster controller) {
        return controller.registry().get(ControllerMetrics.RECONCILE_OUTCOMES)
                .tag("outcome", ControllerMetrics.Outcome.PROGRESSING.name()).counter().count();
    }
}
