package dev.cacheha.examples.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.ExampleRaftProvider;
import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupActionTest {

    private static final BackupCommand BACKUP = new BackupCommand(ExampleRaftProvider.CONTAINER,
            List.of("raftctl", "backup", "--to", "/backups"));

    private final CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
    private final RecordingPodExec exec = RecordingPodExec.succeeding("backup written to /backups/1.gz");

    private BackupOutcome backUp(FakeQuorum quorum) {
        return new BackupAction(HighAvailabilityProviders.load(),
                new ClusterAccess(quorum, exec, Duration.ofMillis(500)), BACKUP).run(runtime);
    }

    @Test
    void theBackupRunsOnTheMemberThatLeads() {
        // Given a quorum led by member 2
        FakeQuorum quorum = FakeQuorum.forExampleRaft().with("demo-master-2", "demo-master-0", "demo-master-1");

        // When a backup is taken
        BackupOutcome outcome = backUp(quorum);

        // Then it ran once, on member 2, with the backup command, and says so
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Ran.class, ran -> {
            assertThat(ran.leader().podName()).isEqualTo("demo-master-2");
            assertThat(ran.succeeded()).isTrue();
            assertThat(ran.result().stdout()).isEqualTo("backup written to /backups/1.gz");
        });
        assertThat(exec.calls()).containsExactly(
                new RecordingPodExec.Call("demo-master-2", ExampleRaftProvider.CONTAINER, BACKUP.argv()));
        assertThat(outcome.summary()).isEqualTo("backup ran on demo-master-2 and exited 0");
    }

    @Test
    void aDegradedQuorumWithALeaderStillBacksUp() {
        // Given a quorum led by member 0 with member 2 down
        FakeQuorum quorum = FakeQuorum.forExampleRaft().with("demo-master-0", "demo-master-1");

        // When a backup is taken, then it runs on member 0
        assertThat(backUp(quorum)).isInstanceOfSatisfying(BackupOutcome.Ran.class, ran -> {
            assertThat(ran.leader().podName()).isEqualTo("demo-master-0");
            assertThat(ran.quorum().health()).isEqualTo(Health.DEGRADED);
        });
    }

    @Test
    void withoutAQuorumTheBackupIsRefusedWithTheReasonAndNothingRuns() {
        // Given a quorum where only member 0 answers, as a follower
        FakeQuorum quorum = FakeQuorum.forExampleRaft().set("demo-master-0", Role.FOLLOWER);

        // When a backup is taken
        BackupOutcome outcome = backUp(quorum);

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
        FakeQuorum quorum = FakeQuorum.forExampleRaft().with("demo-master-0", "demo-master-2")
                .set("demo-master-1", Role.LEADER);

        // When a backup is taken
        BackupOutcome outcome = backUp(quorum);

        // Then it is refused as UNKNOWN and no command ran
        assertThat(outcome).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused ->
                assertThat(refused.reason()).startsWith("quorum health is UNKNOWN")
                        .contains("contradict each other"));
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void aCommandThatCannotRunIsReportedAsRefusedWithItsCause() {
        // Given a healthy quorum but a controller that cannot exec into pods
        FakeQuorum quorum = FakeQuorum.forExampleRaft().with("demo-master-1", "demo-master-0", "demo-master-2");
        BackupAction action = new BackupAction(HighAvailabilityProviders.load(),
                new ClusterAccess(quorum, dev.cacheha.spi.PodExec.unavailable(), Duration.ofMillis(500)), BACKUP);

        // When a backup is taken, then the refusal carries the exec failure
        assertThat(action.run(runtime)).isInstanceOfSatisfying(BackupOutcome.Refused.class, refused ->
                assertThat(refused.reason()).contains("could not run in demo-master-1")
                        .contains("pod exec is not available"));
    }
}
