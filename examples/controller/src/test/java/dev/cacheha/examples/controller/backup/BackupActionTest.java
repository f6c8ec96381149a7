package dev.cacheha.examples.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupActionTest {

    private static final TestEngine RAFT = TestEngine.EXAMPLE_RAFT;
    private static final Duration PROBE_DEADLINE = Duration.ofMillis(500);
    private static final BackupTarget TARGET = new BackupTarget.SharedVolume("/backups");
    private static final String FILE = "/backups/data/demo/backup-2026-11-30.gz";

    private static CacheRuntime runtime(TestEngine engine) {
        return Runtimes.runtime("data", "demo", engine.engine(), 3);
    }

    private static BackupOutcome backUp(TestEngine engine, FakeQuorum quorum, PodExec podExec) {
        return new BackupAction(HighAvailabilityProviders.load(), new ClusterAccess(quorum, podExec, PROBE_DEADLINE))
                .start(runtime(engine), TARGET, plan -> { }).orElseThrow().join();
    }

    private static RecordingPodExec printing(int exitCode, String stdout, String stderr) {
        return new RecordingPodExec(new PodExec.Result(exitCode, stdout, stderr), Duration.ZERO);
    }

    /** The plan the engine's provider makes for the same quorum, independently of the action. */
    private static BackupPlan providersPlan(TestEngine engine, FakeQuorum quorum) {
        TranslatedRuntime translated = Runtimes.translator()
                .translate(runtime(engine));
        ClusterAccess access = new ClusterAccess(quorum, PodExec.unavailable(), PROBE_DEADLINE);
        return translated.provider().planBackup(translated.spec(),
                translated.provider().leaderDiscovery(translated.spec(), access).discover(), TARGET);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void theBackupRunsThePlansCommandOnTheMemberDiscoveryNamesLeader(TestEngine engine) {
        // Given a quorum led by member 2, whose backup command reports a file in the runtime's directory
        FakeQuorum quorum = engine.quorum().with("demo-master-2", "demo-master-0", "demo-master-1");
        RecordingPodExec exec = printing(0, engine.backupOutput(FILE), "");

        // When a backup is taken
        BackupOutcome outcome = backUp(engine, quorum, exec);

        // Then the provider's command ran once, on member 2, in the plan's container, within the plan's timeout
        BackupPlan expected = providersPlan(engine, quorum);
        assertThat(exec.calls()).containsExactly(
                new RecordingPodExec.Call("demo-master-2", expected.container(), expected.argv()));
        assertThat(exec.deadlines()).containsExactly(expected.timeout());
        assertThat(expected.argv()).anyMatch(argument -> argument.contains("/backups/data/demo"));
        // And the verified backup names the runtime, the file and the member that wrote it
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Taken.class, taken -> {
            assertThat(taken.backup().location()).isEqualTo(FILE);
            assertThat(taken.backup().takenBy().podName()).isEqualTo("demo-master-2");
            assertThat(taken.backup().engine()).isEqualTo(engine.engine());
            assertThat(taken.backup().runtime()).isEqualTo("demo");
            assertThat(taken.backup().target()).isEqualTo(TARGET);
        });
    }

    @Test
    void aDegradedQuorumWithALeaderStillBacksUp() {
        // Given a quorum led by member 0 with member 2 down
        FakeQuorum quorum = RAFT.quorum().with("demo-master-0", "demo-master-1");
        RecordingPodExec exec = printing(0, RAFT.backupOutput(FILE), "");

        // When a backup is taken, then it is taken on member 0
        assertThat(backUp(RAFT, quorum, exec)).isInstanceOfSatisfying(BackupOutcome.Taken.class, taken -> {
            assertThat(taken.backup().takenBy().podName()).isEqualTo("demo-master-0");
            assertThat(taken.quorum().health()).isEqualTo(Health.DEGRADED);
        });
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void withoutAQuorumTheBackupIsRefusedWithTheReasonAndNothingRuns(TestEngine engine) {
        // Given a quorum where only member 0 answers, as a follower
        FakeQuorum quorum = engine.quorum().set("demo-master-0", Role.FOLLOWER);
        RecordingPodExec exec = printing(0, engine.backupOutput(FILE), "");

        // When a backup is taken
        BackupOutcome outcome = backUp(engine, quorum, exec);

        // Then the provider refused it naming the health, and no command ran
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused -> {
            assertThat(refused.reasons()).singleElement().asString().startsWith("status.health: is NO_QUORUM");
            assertThat(refused.quorum()).get().extracting(q -> q.health()).isEqualTo(Health.NO_QUORUM);
        });
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void whenTwoMembersClaimToLeadTheBackupIsRefusedAsUnknownAndNothingRuns() {
        // Given members 0 and 1 both saying they lead
        FakeQuorum quorum = RAFT.quorum().with("demo-master-0", "demo-master-2").set("demo-master-1", Role.LEADER);
        RecordingPodExec exec = printing(0, RAFT.backupOutput(FILE), "");

        // When a backup is taken
        BackupOutcome outcome = backUp(RAFT, quorum, exec);

        // Then it is refused as UNKNOWN and no command ran
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused ->
                assertThat(refused.reasons()).singleElement().asString().startsWith("status.health: is UNKNOWN"));
        assertThat(exec.calls()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void aCommandWhoseOutputNamesNoFileInTheRuntimesDirectoryFailed(TestEngine engine) {
        // Given a backup command that exits 0 but reports a file in another runtime's directory
        FakeQuorum quorum = engine.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        RecordingPodExec exec = printing(0, engine.backupOutput("/backups/data/other/backup.gz"), "");

        // When a backup is taken
        BackupOutcome outcome = backUp(engine, quorum, exec);

        // Then it failed, saying the output named no backup in the runtime's directory
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Failed.class, failed ->
                assertThat(failed.reason()).endsWith("exited 0, but its output named no backup in /backups/data/demo"));
    }

    @Test
    void aCommandThatExitsNonZeroFailedWithTheExitCodeAndTheFirstAndLastLinesOfStandardError() {
        // Given a backup command that fails with a megabyte of standard error
        FakeQuorum quorum = RAFT.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        String stderr = "disk full\n" + ("x".repeat(1_000) + "\n").repeat(1_000) + "caused by: no space left";
        RecordingPodExec exec = printing(3, "", stderr);

        // When a backup is taken
        BackupOutcome outcome = backUp(RAFT, quorum, exec);

        // Then it failed with the exit code and the first and last lines of standard error, within the bound
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Failed.class, failed -> {
            assertThat(failed.reason()).contains("on demo-master-1 exited 3: disk full")
                    .contains("(992 lines left out)").endsWith("caused by: no space left");
            assertThat(failed.reason().length()).isLessThan(StatusText.MAX_CHARACTERS);
        });
    }

    @Test
    void aCommandThatCannotRunFailedWithItsCause() {
        // Given a healthy quorum but a controller that cannot exec into pods
        FakeQuorum quorum = RAFT.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");

        // When a backup is taken, then it failed with the exec failure
        assertThat(backUp(RAFT, quorum, PodExec.unavailable())).isInstanceOfSatisfying(BackupOutcome.Failed.class,
                failed -> assertThat(failed.reason()).contains("could not run in demo-master-1")
                        .contains("pod exec is not available"));
    }

    @Test
    void whileTheLeaderDiscoveryStillRunsElsewhereNothingIsPlannedOrRun() {
        // Given a healthy quorum, and discoveries that run off the calling thread and have no answer yet
        FakeQuorum quorum = RAFT.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        RecordingPodExec exec = printing(0, RAFT.backupOutput(FILE), "");
        List<String> seen = new ArrayList<>();
        BackupAction action = new BackupAction(Runtimes.translator(), new ClusterAccess(quorum, exec,
                PROBE_DEADLINE), discovery -> Optional.empty());

        // When a backup is started
        Optional<CompletableFuture<BackupOutcome>> started = action.start(runtime(RAFT), TARGET,
                plan -> seen.add(plan.leader().podName()));

        // Then nothing started: no outcome, no plan handed over, no command, and no member asked on this thread
        assertThat(started).isEmpty();
        assertThat(seen).isEmpty();
        assertThat(exec.calls()).isEmpty();
        assertThat(quorum.asked()).isEmpty();
    }

    @Test
    void theRunningHookSeesThePlanBeforeTheCommandStarts() {
        // Given a healthy quorum and a hook that records what the exec had done when it was called
        FakeQuorum quorum = RAFT.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        RecordingPodExec exec = printing(0, RAFT.backupOutput(FILE), "");
        List<String> seen = new ArrayList<>();

        // When a backup is taken with the hook
        new BackupAction(HighAvailabilityProviders.load(), new ClusterAccess(quorum, exec, PROBE_DEADLINE))
                .start(runtime(RAFT), TARGET, plan -> seen.add(plan.leader().podName() + " after "
                        + exec.calls().size() + " commands"));

        // Then the hook ran once, before any command
        assertThat(seen).containsExactly("demo-master-1 after 0 commands");
        assertThat(exec.calls()).hasSize(1);
    }
}
