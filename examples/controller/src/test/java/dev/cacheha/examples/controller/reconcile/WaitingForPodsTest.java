package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.LeaderStatus.Role;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A runtime waiting for its pods is woken by the pod informer, not by a timer: a timer per waiting runtime is
 * what made the controller spin when many runtimes started at once (docs/benchmarks.md, controller at scale).
 */
class WaitingForPodsTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    /**
     * The harness's recheck is 50 ms: a timer-driven wait reconciles about 40 times in this window, at least ten
     * on a busy machine; five leaves room for late informer events of the objects the runtime created.
     */
    private static final Duration WINDOW = Duration.ofSeconds(2);

    @Test
    void aRuntimeWaitingForItsPodsIsNotReconciledUntilAPodEventAndThenBecomesReady() throws InterruptedException {
        // Given the operator (50 ms recheck, 10 min resync), members that would answer, and no pods being made
        try (ControllerHarness harness = new ControllerHarness(TestEngine.ALLUXIO)) {
            waitsForPodEvents(harness);
        }
    }

    private static void waitsForPodEvents(ControllerHarness harness) throws InterruptedException {
        harness.statefulSets().paused(true);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            harness.quorum().set("demo-master-" + ordinal, ordinal == 0 ? Role.LEADER : Role.FOLLOWER);
        }

        // When a runtime is created and says it waits for its first pod
        harness.test().resource(Runtimes.runtime(NAMESPACE, "demo", "alluxio", 3)).create();
        harness.await("demo", runtime -> message(runtime).contains("pod demo-master-0 to be running"), BUDGET,
                "the runtime to wait for its first pod");
        // (the informer events of the objects it just created come in first, each a reconcile of its own)
        Thread.sleep(WINDOW.toMillis() / 2);
        double before = progressing(harness);
        Thread.sleep(WINDOW.toMillis());
        double during = progressing(harness) - before;

        // Then it was not reconciled again while nothing changed
        assertThat(during).as("PROGRESSING reconciles in %s without a pod event", WINDOW).isLessThanOrEqualTo(5);

        // When the pods are made, Then their events bring it to Ready well before the resync would
        harness.statefulSets().paused(false);
        CacheRuntime ready = harness.await("demo", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getConditions() != null
                && runtime.getStatus().getConditions().stream().anyMatch(condition ->
                condition.getType().equals(RuntimeConditions.READY) && condition.getStatus().equals("True")),
                BUDGET, "the runtime Ready once its pods exist");
        assertThat(ready.getStatus().getLeader()).isEqualTo("demo-master-0");
    }

    private static String message(CacheRuntime runtime) {
        return runtime.getStatus() == null || runtime.getStatus().getMessage() == null ? ""
                : runtime.getStatus().getMessage();
    }

    private static double progressing(ControllerHarness harness) {
        return harness.registry().get(ControllerMetrics.RECONCILE_OUTCOMES)
                .tag("outcome", ControllerMetrics.Outcome.PROGRESSING.name()).counter().count();
    }
}
