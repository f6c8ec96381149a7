package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ServerRequests.Request;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart heals a member that its old configuration keeps down: the crash-loop revert scenario of
 * issue #20 (a bad configuration, member 0 crash-looping on it, the change reverted).
 */
class RollingRestartHealsTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;

    private ControllerHarness harness;
    /** The configuration digest a pod cannot run on: its master crash-loops and never answers. */
    private volatile String badDigest = "none yet";

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aMemberCrashLoopingOnABadConfigurationIsRestartedOnceTheChangeIsRevertedAndTheQuorumEndsHealthy() {
        // Given a Ready Alluxio runtime led by member 1, whose members do not answer while they run a bad
        // configuration
        harness = new ControllerHarness(ENGINE);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2")
                .answeringOnlyWhile(pod -> pod(pod) != null
                        && !badDigest.equals(ConfigDigest.of(pod(pod)).orElse(null)));
        harness.test().resource(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3)).create();
        Backups.awaitReady(harness, "demo", BUDGET);
        harness.requests().sinceLastCall();

        // When a bad property is set: member 0, restarted first, crash-loops and the roll stops there
        badDigest = Objects.requireNonNull(digestAfter(runtime -> runtime.getSpec()
                .setProperties(Map.of("alluxio.user.file.writetype.default", "CACHE_THROUGH"))));
        harness.await("demo", runtime -> runtime.getStatus().getMessage() != null && runtime.getStatus()
                .getMessage().endsWith("waiting for a HEALTHY quorum before restarting demo-master-1 (now DEGRADED)"),
                BUDGET, "the roll stopped at the crash-looping member 0");
        // And the change is reverted
        digestAfter(runtime -> runtime.getSpec().setProperties(null));

        // Then member 0 is restarted on the reverted configuration, and the runtime ends Ready and HEALTHY
        CacheRuntime healed = harness.await("demo", runtime -> runtime.getStatus().getObservedGeneration() == 3
                && "HEALTHY".equals(runtime.getStatus().getQuorumHealth()) && runtime.getStatus().getConditions()
                        .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")),
                BUDGET, "Ready and HEALTHY at generation 3");
        assertThat(healed.getStatus().getLeader()).isEqualTo("demo-master-1");
        // And only member 0 was ever restarted: on the bad configuration, then back off it
        List<String> podDeletes = harness.requests().sinceLastCall().stream()
                .filter(request -> request.method().equals("DELETE") && request.path().contains("/pods/"))
                .map(Request::path).map(path -> path.substring(path.lastIndexOf('/') + 1)).toList();
        assertThat(podDeletes).containsExactly("demo-master-0", "demo-master-0");
    }

    /** Edits the runtime with {@code change} and returns the pod template digest it leads to. */
    private String digestAfter(Consumer<CacheRuntime> change) {
        String before = digest();
        harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).withName("demo").edit(runtime -> {
            change.accept(runtime);
            return runtime;
        });
        return Eventually.within(BUDGET, "a new pod template digest", () -> {
            String now = digest();
            return now.equals(before) ? null : now;
        });
    }

    private String digest() {
        return harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get().getSpec()
                .getTemplate().getMetadata().getAnnotations().get(ConfigDigest.ANNOTATION);
    }

    private Pod pod(String name) {
        return harness.test().pods().inNamespace(NAMESPACE).withName(name).get();
    }
}
