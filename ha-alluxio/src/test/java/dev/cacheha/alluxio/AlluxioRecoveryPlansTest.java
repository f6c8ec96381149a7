package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Backups run on the leader and land in the runtime's own directory; restores and rebuilds never cost data. */
class AlluxioRecoveryPlansTest {

    private static final BackupTarget VOLUME = new BackupTarget.SharedVolume("/backups");
    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final HaSpec spec = HaSpec.builder("sales", "cache").replicas(3).build();
    private final HaPlan plan = provider.plan(spec);

    private LeaderStatus status(Role... roles) {
        return LeaderStatus.fromAnswers(IntStream.range(0, roles.length)
                .mapToObj(i -> new MemberAnswer(plan.members().get(i), roles[i], "test", Duration.ZERO, ""))
                .toList(), "test", Duration.ZERO);
    }

    @Test
    void aBackupRunsFsadminBackupOnTheLeaderItselfIntoTheRuntimesOwnDirectory() {
        // When a backup is planned while member 1 leads
        BackupPlan backup = provider.planBackup(spec, status(Role.FOLLOWER, Role.LEADER, Role.FOLLOWER), VOLUME);

        // Then it runs on member 1, bypassing Alluxio's delegation to a standby, into /backups/<ns>/<name>
        assertThat(backup.leader()).isEqualTo(plan.members().get(1));
        assertThat(backup.container()).isEqualTo(AlluxioNames.CONTAINER);
        assertThat(backup.argv()).containsExactly("alluxio", "fsadmin", "backup", "/backups/cache/sales", "--local",
                "--bypass-delegation");
        assertThat(backup.timeout()).isPositive();
        assertThat(backup.directory()).isEqualTo("/backups/cache/sales");
    }

    @Test
    void aBackupToTheUnderStorageWritesThereInsteadOfOnTheLeadersDisk() {
        BackupPlan backup = provider.planBackup(spec, status(Role.LEADER, Role.FOLLOWER, Role.FOLLOWER),
                new BackupTarget.UnderStorage("/alluxio_backups"));

        assertThat(backup.argv()).containsExactly("alluxio", "fsadmin", "backup", "/alluxio_backups/cache/sales",
                "--bypass-delegation");
    }

    @Test
    void aBackupIsRefusedWithTheReasonWhenNoMemberLeads() {
        // When a backup is asked of a quorum without a majority, and of one with two claimants
        OperationRefusedException noQuorum = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planBackup(spec, status(Role.FOLLOWER, Role.UNREACHABLE, Role.UNREACHABLE), VOLUME));
        OperationRefusedException twoLeaders = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planBackup(spec, status(Role.LEADER, Role.LEADER, Role.FOLLOWER), VOLUME));

        // Then both are refused for the health they reported
        assertThat(noQuorum.reasons()).extracting(Violation::field).containsExactly("status.health");
        assertThat(noQuorum.getMessage()).contains("NO_QUORUM");
        assertThat(twoLeaders.getMessage()).contains("UNKNOWN").contains("[0, 1]");
    }

    @Test
    void theBackupIsVerifiedFromTheLocationAlluxioPrints() {
        BackupPlan backup = provider.planBackup(spec, status(Role.LEADER, Role.FOLLOWER, Role.FOLLOWER), VOLUME);
        String printed = "Backup state: Completed\nBackup Host        : 10.0.0.7\n"
                + "Backup URI         : file:///backups/cache/sales/alluxio-backup-2026-11-30-1.gz\n"
                + "Backup Entry Count : 1005\n";

        Optional<Backup> landed = backup.verify(new PodExec.Result(0, printed, ""));
        Optional<Backup> failed = backup.verify(new PodExec.Result(1, printed, ""));
        Optional<Backup> elsewhere = backup.verify(new PodExec.Result(0,
                printed.replace("/backups/cache/sales/", "/backups/cache/other/"), ""));

        assertThat(landed).get().satisfies(b -> {
            assertThat(b.location()).isEqualTo("file:///backups/cache/sales/alluxio-backup-2026-11-30-1.gz");
            assertThat(b.takenBy()).isEqualTo(plan.members().get(0));
            assertThat(b.belongsTo("alluxio", spec)).isTrue();
        });
        assertThat(failed).isEmpty();
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void aRestoreChecksTheBackupFirstAndDeletesJournalsOnlyOfStoppedMembers() {
        Backup backup = new Backup("alluxio", "cache", "sales", VOLUME,
                "file:///backups/cache/sales/alluxio-backup-1.gz", plan.members().get(0));

        RestorePlan restore = provider.planRestore(spec, backup);

        List<Step> steps = restore.steps();
        assertThat(steps.get(0)).isInstanceOfSatisfying(Step.CheckOnMember.class, check ->
                assertThat(check.argv()).containsExactly("test", "-s", "/backups/cache/sales/alluxio-backup-1.gz"));
        assertThat(steps.get(1)).isInstanceOfSatisfying(Step.StopMembers.class, stop ->
                assertThat(stop.members()).isEqualTo(plan.members()));
        assertThat(steps.subList(2, 5))
                .allSatisfy(step -> assertThat(step).isInstanceOf(Step.WipeJournal.class))
                .extracting(step -> ((Step.WipeJournal) step).claim().orElseThrow())
                .containsExactly("journal-sales-master-0", "journal-sales-master-1", "journal-sales-master-2");
        assertThat(steps.get(5)).isInstanceOfSatisfying(Step.Apply.class, apply ->
                assertThat(apply.plan().properties()).containsEntry(AlluxioBackup.INIT_FROM_BACKUP,
                        "/backups/cache/sales/alluxio-backup-1.gz"));
        assertThat(steps.get(steps.size() - 1)).isInstanceOfSatisfying(Step.Apply.class, apply ->
                assertThat(apply.plan()).isEqualTo(plan));
    }

    @Test
    void aForeignBackupIsRefusedWithEveryReason() {
        Backup foreign = new Backup("alluxio", "other", "sales", VOLUME,
                "file:///backups/other/sales/alluxio-backup-1.gz", plan.members().get(0));

        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planRestore(spec, foreign));

        assertThat(refused.reasons()).extracting(Violation::field)
                .containsExactly("backup.namespace", "backup.location");
    }

    @Test
    void aBackupWhoseLocationClimbsOutOfTheRuntimesDirectoryIsRefused() {
        Backup climbing = new Backup("alluxio", "cache", "sales", VOLUME,
                "file:///backups/cache/sales/../other/alluxio-backup-1.gz", plan.members().get(0));

        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planRestore(spec, climbing));

        assertThat(refused.reasons()).extracting(Violation::field).containsExactly("backup.location");
    }

    @Test
    void aFollowerIsRebuiltAloneFromAnEmptyJournalUntilItFollows() {
        HaSpec memoryJournal = spec.toBuilder().journal(JournalStorage.memory("1Gi")).build();

        MemberRebuildPlan rebuild = provider.planMemberRebuild(memoryJournal,
                status(Role.LEADER, Role.FOLLOWER, Role.FOLLOWER), 2);

        assertThat(rebuild.member()).isEqualTo(plan.members().get(2));
        assertThat(rebuild.steps()).extracting(step -> step.getClass().getSimpleName())
                .containsExactly("StopMembers", "WipeJournal", "StartMembers", "AwaitRole", "AwaitQuorum");
        assertThat(((Step.WipeJournal) rebuild.steps().get(1)).claim()).isEmpty();
    }

    @Test
    void aRebuildThatWouldCostTheMajorityIsRefused() {
        // Given member 1 down: rebuilding member 2 would leave member 0 alone
        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planMemberRebuild(spec, status(Role.LEADER, Role.UNREACHABLE, Role.FOLLOWER), 2));
        OperationRefusedException leader = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planMemberRebuild(spec, status(Role.LEADER, Role.FOLLOWER, Role.FOLLOWER), 0));

        assertThat(refused.reasons()).extracting(Violation::field).containsExactly("status.members");
        assertThat(refused.getMessage()).contains("would cost the quorum");
        assertThat(leader.reasons()).extracting(Violation::field).containsExactly("ordinal");
    }
}
