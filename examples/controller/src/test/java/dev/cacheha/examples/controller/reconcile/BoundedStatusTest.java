package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every string the controller writes into a status is bounded, whatever a command printed. */
class BoundedStatusTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);

    private ControllerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aLeaderCommandFailingWithAMegabyteOfStandardErrorIsReportedByItsFirstAndLastLinesWithinTheBound() {
        // Given a Ready runtime whose leader command of a grow fails with a megabyte of standard error
        harness = new ControllerHarness(TestEngine.EXAMPLE_RAFT);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2", "demo-master-3", "demo-master-4");
        harness.test().resource(Runtimes.runtime(NAMESPACE, "demo", TestEngine.EXAMPLE_RAFT.engine(), 3)).create();
        Backups.awaitReady(harness, "demo", BUDGET);
        String stderr = "first: the member list is refused\n" + ("y".repeat(1_023) + "\n").repeat(1_024)
                + "last: giving up";
        harness.exec().answering(call -> new PodExec.Result(1, "", stderr));

        // When it grows to 5 and the leader command fails
        harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).withName("demo")
                .edit(runtime -> {
                    runtime.getSpec().setReplicas(5);
                    return runtime;
                });
        CacheRuntime failed = harness.await("demo", runtime -> runtime.getStatus().getMessage() != null
                && runtime.getStatus().getMessage().startsWith("reconcile failed"), BUDGET, "the failure reported");

        // Then the message names the command's first and last lines, and no string of the status is over the bound
        assertThat(failed.getStatus().getMessage()).contains("exited 1: first: the member list is refused")
                .contains("(1016 lines left out)").endsWith("last: giving up");
        assertThat(failed.getStatus().getMessage().length()).isLessThanOrEqualTo(StatusText.MAX_CHARACTERS);
        assertThat(failed.getStatus().getConditions()).extracting(Condition::getMessage)
                .allMatch(message -> message.length() <= StatusText.MAX_CHARACTERS);
    }

    @Test
    void aStatusStringOverTheBoundKeepsItsStartAndEndAndIsCutToTheBound() {
        // Given a status tree with one string far over the bound, one under it, and a surrogate pair at the cut
        String huge = "start" + "\uD83D\uDE00".repeat(40_000) + "end";
        Map<String, Object> tree = Map.of("message", huge, "leader", "demo-master-1");

        // When it is bounded
        @SuppressWarnings("unchecked")
        Map<String, Object> bounded = (Map<String, Object>) StatusText.boundedTree(tree);

        // Then the long string keeps its start and end within the bound, without a half surrogate pair
        String message = (String) bounded.get("message");
        assertThat(message).startsWith("start").endsWith("end").contains("(80008 characters, cut to 4096)");
        assertThat(message.length()).isLessThanOrEqualTo(StatusText.MAX_CHARACTERS);
        assertThat(message.codePoints())
                .noneMatch(point -> point >= Character.MIN_SURROGATE && point <= Character.MAX_SURROGATE);
        assertThat(bounded.get("leader")).isEqualTo("demo-master-1");
        // And a tree with nothing to cut is returned as it is
        Map<String, Object> small = Map.of("message", "ok");
        assertThat(StatusText.boundedTree(small)).isSameAs(small);
    }
}
