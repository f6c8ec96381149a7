package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new runtime's members are asked over the network only until one of their pods is Ready: a command in a pod
 * whose master still starts costs a JVM beside it and can only tell of a quorum still forming. The mock server's
 * harness, because the pods must stay not Ready on cue while no member answers, which kwok's stages do not allow.
 */
class DiscoveryWhileMembersStartTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final int RECONCILES = 10;

    @Test
    void noCommandRunsInTheMembersOfANewRuntimeUntilOneOfItsPodsIsReady() {
        // Given a new Alluxio runtime whose 3 pods run but are not Ready, and no member answering over HTTP (the
        // discovery would fall back to the CLI in the pods)
        try (ControllerHarness harness = new ControllerHarness(TestEngine.ALLUXIO)) {
            harness.statefulSets().podsReady(false);
            harness.test().resource(Runtimes.runtime(NAMESPACE, "demo", "alluxio", 3)).create();
            Eventually.within(BUDGET, "3 pods not Ready", () -> pods(harness).size() == 3 ? Boolean.TRUE : null);

            // When the controller has reconciled it ten more times (a starting runtime is looked at again after
            // each recheck)
            double before = reconciles(harness);
            Eventually.within(BUDGET, "ten more reconciles of the starting runtime",
                    () -> reconciles(harness) - before >= RECONCILES ? Boolean.TRUE : null);

            // Then no command ran in its pods, and it says it starts
            assertThat(harness.exec().calls()).isEmpty();
            CacheRuntime starting = harness.runtime("demo");
            assertThat(ControllerHarness.condition(starting, RuntimeConditions.READY).map(Condition::getReason))
                    .contains(RuntimeConditions.STARTING);

            // When one of its pods turns Ready while still no member answers over HTTP
            Pod first = harness.test().pods().inNamespace(NAMESPACE).withName("demo-master-0").get();
            first.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True")
                    .withLastTransitionTime(Instant.now().toString()).build()));
            harness.test().resource(first).updateStatus();

            // Then the members are asked through commands again
            Eventually.within(BUDGET, "a command in a pod of the runtime",
                    () -> harness.exec().calls().isEmpty() ? null : Boolean.TRUE);
        }
    }

    private static List<Pod> pods(ControllerHarness harness) {
        return harness.test().pods().inNamespace(NAMESPACE).list().getItems();
    }

    private static double reconciles(ControllerHarness harness) {
        return harness.registry().find(ControllerMetrics.RECONCILE_OUTCOMES).counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }
}
