package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.SecretKeySpec;
import dev.cacheha.examples.controller.fake.CliRender;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.ExampleRaftProvider;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec is validated once per call path, where it enters (the translation of the CacheRuntime), by the controller's
 * reconcile and by {@code cache-ha render -f} alike; the plan, the leader discovery and the steps of a replica change
 * behind it take the accepted spec as it is. An invalid document is still refused there with every broken rule. The
 * test-scope {@link ExampleRaftProvider} counts its validations by runtime name, and the controller counts its
 * reconciles in its meters. The controller runs on fabric8's mock API server: what is counted are calls into the
 * provider in this JVM, which no behaviour of a real API server changes, and the harness's fake members answer the
 * discovery and take the replica change's steps.
 */
class ValidatedOncePerCallPathTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void renderingARuntimeValidatesItsSpecOnce() throws IOException {
        // Given a valid runtime of the counting engine
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, "rendered", ExampleRaftProvider.ENGINE, 3);

        // When cache-ha render reads it, translates it and prints its plan
        CliRender render = CliRender.of(runtime, temp);

        // Then the objects are printed and the spec was validated once, where the document was translated
        assertThat(render.exitCode()).as(render.err()).isZero();
        assertThat(render.out()).contains("kind: \"StatefulSet\"");
        assertThat(ExampleRaftProvider.validations("rendered")).isEqualTo(1);
    }

    @Test
    void anInvalidRuntimeIsRefusedWithEveryBrokenRuleFromItsOneValidation() throws IOException {
        // Given a runtime that breaks a rule of the engine (a port it has not) and one of the document (a secret
        // property without its key)
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, "refused", ExampleRaftProvider.ENGINE, 3);
        runtime.getSpec().setPorts(Map.of("nosuch", 7000));
        runtime.getSpec().setSecretProperties(Map.of("token", new SecretKeySpec("credentials", null)));

        // When cache-ha render reads it
        CliRender render = CliRender.of(runtime, temp);

        // Then it is refused once, naming both fields, and the engine was asked once
        assertThat(render.exitCode()).isEqualTo(2);
        assertThat(render.err()).contains("ports.nosuch", "secretProperties[token].key");
        assertThat(ExampleRaftProvider.validations("refused")).isEqualTo(1);
    }

    @Test
    void everyReconcileOfARuntimeValidatesItsSpecOnceThroughCreationAndAGrow() {
        // Given the controller, and members that answer with a leader
        try (ControllerHarness harness = new ControllerHarness(TestEngine.EXAMPLE_RAFT)) {
            harness.quorum().with("grown-master-0", "grown-master-1", "grown-master-2");

            // When a runtime is created and becomes Ready
            harness.test().resource(Runtimes.runtime(NAMESPACE, "grown", ExampleRaftProvider.ENGINE, 3)).create();
            harness.awaitReadyAt("grown", 1, BUDGET);

            // Then each reconcile so far validated the spec once: plan and discovery did not validate it again
            awaitOneValidationPerReconcile(harness);

            // And when it grows to 5 members, through the replica change's steps and their discoveries
            harness.quorum().with("grown-master-0", "grown-master-1", "grown-master-2", "grown-master-3",
                    "grown-master-4");
            harness.edit("grown", runtime -> runtime.getSpec().setReplicas(5));
            harness.awaitReadyAt("grown", 2, BUDGET);

            // Then still one validation a reconcile
            awaitOneValidationPerReconcile(harness);
        }
    }

    /** Waits until the validations of runtime {@code grown} equal the reconciles, which finish after they start. */
    private static void awaitOneValidationPerReconcile(ControllerHarness harness) {
        Eventually.within(BUDGET, "one validation per reconcile", () -> {
            double reconciles = harness.registry().find(ControllerMetrics.RECONCILE_OUTCOMES).counters().stream()
                    .mapToDouble(Counter::count).sum();
            int validations = ExampleRaftProvider.validations("grown");
            return reconciles > 0 && validations == reconciles ? validations : null;
        });
    }
}
