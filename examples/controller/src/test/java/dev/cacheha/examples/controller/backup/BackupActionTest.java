package dev.cacheha.examples.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackupActionTest {

    private static final TestEngine RAFT = TestEngine.EXAMPLE_RAFT;
    private static final Duration PROBE_DEADLINE = Duration.ofMillis(500);

    private final RecordingPodExec exec = RecordingPodExec.succeeding("backup written to /backups/1.gz");

    private BackupOutcome backUp(TestEngine engine, FakeQuorum quorum, PodExec podExec) {
        return backUp(engine, quorum, podExec, engine.backup());
    }

    private BackupOutcome backUp(TestEngine engine, FakeQuorum quorum, PodExec podExec, BackupCommand command) {
        return new BackupAction(HighAvailabilityProviders.load(),
                new ClusterAccess(quorum, podExec, PROBE_DEADLINE), command)
                .run(Runtimes.runtime("data", "demo", engine.engine(), 3));
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void theBackupRunsOnTheMemberThatLeads(TestEngine engine) {
        // Given a quorum led by member 2
        FakeQuorum quorum = engine.quorum().with("demo-master-2", "demo-master-0", "demo-master-1");

        // When a backup is taken
        BackupOutcome outcome = backUp(engine, quorum, exec);

        // Then it ran once, on member 2, with the engine's backup command, and says so
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Ran.class, ran -> {
            assertThat(ran.leader().podName()).isEqualTo("demo-master-2");
            assertThat(ran.succeeded()).isTrue();
            assertThat(ran.result().stdout()).isEqualTo("backup written to /backups/1.gz");
        });
        assertThat(exec.calls()).containsExactly(
                new RecordingPodExec.Call("demo-master-2", engine.backup().container(), engine.backup().argv()));
        assertThat(outcome.summary()).isEqualTo("backup ran on demo-master-2 and exited 0");
    }

    @Test
    void aDegradedQuorumWithALeaderStillBacksUp() {
        // Given a quorum led by member 0 with member 2 down
        FakeQuorum quorum = RAFT.quorum().with("demo-master-0", "demo-master-1");

        // When a backup is taken, then it runs on member 0
        assertThat(backUp(RAFT, quorum, exec)).isInstanceOfSatisfying(BackupOutcome.Ran.class, ran -> {
            assertThat(ran.leader().podName()).isEqualTo("demo-master-0");
            assertThat(ran.quorum().health()).isEqualTo(Health.DEGRADED);
        });
    }

    @Test
    void withoutAQuorumTheBackupIsRefusedWithTheReasonAndNothingRuns() {
        // Given a quorum where only member 0 answers, as a follower
        FakeQuorum quorum = RAFT.quorum().set("demo-master-0", Role.FOLLOWER);

        // When a backup is taken
        BackupOutcome outcome = backUp(RAFT, quorum, exec);

        // Then it is refused, naming the health and each member's state, and no command ran
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused -> {
            assertThat(refused.reason()).startsWith("quorum health is NO_QUORUM")
                    .contains("demo-master-0=FOLLOWER", "demo-master-1=UNREACHABLE", "demo-master-2=UNREACHABLE");
            assertThat(refused.quorum()).get().extracting(q -> q.health()).isEqualTo(Health.NO_QUORUM);
        });
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void whenTwoMembersClaimToLeadTheBackupIsRefusedAsUnknown() {
        // Given members 0 and 1 both saying they lead
        FakeQuorum quorum = RAFT.quorum().with("demo-master-0", "demo-master-2").set("demo-master-1", Role.LEADER);

        // When a backup is taken
        BackupOutcome outcome = backUp(RAFT, quorum, exec);

        // Then it is refused as UNKNOWN and no command ran
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused ->
                assertThat(refused.reason()).startsWith("quorum health is UNKNOWN")
                        .contains("contradict each other"));
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void aCommandThatCannotRunIsReportedAsRefusedWithItsCause() {
        // Given a healthy quorum but a controller that cannot exec into pods
        FakeQuorum quorum = RAFT.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");

        // When a backup is taken, then the refusal carries the exec failure
        assertThat(backUp(RAFT, quorum, PodExec.unavailable())).isInstanceOfSatisfying(BackupOutcome.Refused.class,
                refused -> assertThat(refused.reason()).contains("could not run in demo-master-1")
                        .contains("pod exec is not available"));
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void aBackupThatRunsLongerThanTheProbeDeadlineCompletesWithinItsOwnTimeout(TestEngine engine) {
        // Given a healthy quorum and a backup command that runs for twice the probe deadline
        FakeQuorum quorum = engine.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        RecordingPodExec slow = RecordingPodExec.succeedingAfter(PROBE_DEADLINE.multipliedBy(2), "backup written");

        // When a backup is taken
        BackupOutcome outcome = backUp(engine, quorum, slow);

        // Then it ran to its end on the leader, given the backup command's own timeout, not the probe deadline
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Ran.class,
                ran -> assertThat(ran.succeeded()).isTrue());
        assertThat(slow.deadlines()).containsExactly(BackupCommand.DEFAULT_TIMEOUT);
    }

    @Test
    void aBackupStillRunningAtItsTimeoutIsRefusedAndSaysSo() {
        // Given a healthy quorum and a backup command that runs longer than the timeout it is given
        FakeQuorum quorum = RAFT.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        RecordingPodExec slow = RecordingPodExec.succeedingAfter(Duration.ofSeconds(5), "backup written");

        // When a backup is taken with a 200 ms timeout
        BackupOutcome outcome = backUp(RAFT, quorum, slow, RAFT.backup().withTimeout(Duration.ofMillis(200)));

        // Then it is refused, naming the pod and the timeout
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused ->
                assertThat(refused.reason()).contains("could not run in demo-master-1")
                        .contains("did not finish within 200 ms"));
        assertThat(slow.deadlines()).containsExactly(Duration.ofMillis(200));
    }
}
