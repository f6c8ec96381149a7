package dev.cacheha.toolkit.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.QuorumNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The toolkit turns an engine's backup command and start-from-backup property into the SPI's plans. */
class QuorumRecoveryTest {

    private static final EngineRules RULES = new EngineRules("peer", "-peer", Map.of("raft", 7001), new TreeMap<>());
    private static final QuorumRecovery RECOVERY = new QuorumRecovery(RULES, "peer-master", "journal");
    private static final BackupCommand COMMAND = new BackupCommand(
            (directory, target) -> List.of("peer", "backup", directory), Duration.ofMinutes(1),
            "(?m)^wrote (?<location>\\S+)$");
    private static final Function<HaSpec, HaPlan> PLANNER = spec -> new HaPlan("peer", spec.properties(),
            new QuorumNames(spec, RULES).members(),
            new QuorumNames(spec, RULES).addresses(7001), List.of());
    private static final HaSpec SPEC = HaSpec.builder("demo", "cache").replicas(3).build();
    private static final BackupTarget TARGET = new BackupTarget.SharedVolume("/backups");

    private static LeaderStatus status(Role... roles) {
        List<Member> members = new QuorumNames(SPEC, RULES).members();
        return LeaderStatus.fromAnswers(IntStream.range(0, roles.length)
                .mapToObj(i -> new MemberAnswer(members.get(i), roles[i], "test", Duration.ZERO, ""))
                .toList(), "test", Duration.ZERO);
    }

    @Test
    void givenALeaderWhenBackingUpThenTheCommandRunsThereIntoTheRuntimesOwnDirectoryAndIsVerifiedByItsOutput() {
        BackupPlan plan = RECOVERY.backup(SPEC, status(Role.FOLLOWER, Role.LEADER, Role.FOLLOWER), TARGET, COMMAND);

        assertThat(plan.leader().ordinal()).isEqualTo(1);
        assertThat(plan.argv()).containsExactly("peer", "backup", "/backups/cache/demo");
        assertThat(plan.verify(new PodExec.Result(0, "wrote /backups/cache/demo/b-1\n", ""))).isPresent();
        assertThat(plan.verify(new PodExec.Result(0, "wrote /backups/cache/other/b-1\n", "")))
                .as("a backup that landed in another runtime's directory").isEmpty();
    }

    @Test
    void givenNoLeaderWhenBackingUpThenItIsRefusedBeforeAnyPlan() {
        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> RECOVERY.backup(SPEC, status(Role.FOLLOWER, Role.UNREACHABLE, Role.UNREACHABLE), TARGET,
                        COMMAND));

        assertThat(refused.reasons()).extracting(Violation::field).contains("status.health");
    }

    @Test
    void givenABackupInTheUnderStorageWhenRestoringThenItIsRefusedBecauseNothingCanCheckIt() {
        BackupTarget underStorage = new BackupTarget.UnderStorage("/backups");
        Backup backup = new Backup("peer", "cache", "demo", underStorage, "/backups/cache/demo/b-1",
                new QuorumNames(SPEC, RULES).members().get(0));

        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> RECOVERY.restore(SPEC, backup, "peer.start.from", PLANNER));

        assertThat(refused.reasons()).extracting(Violation::field).containsExactly("backup.target");
    }

    @Test
    void givenABackupOnTheSharedVolumeWhenRestoringThenEveryMemberStartsWithThePropertyWhichIsDroppedAfterwards() {
        Backup backup = new Backup("peer", "cache", "demo", TARGET, "file:///backups/cache/demo/b-1",
                new QuorumNames(SPEC, RULES).members().get(0));

        RestorePlan restore = RECOVERY.restore(SPEC, backup, "peer.start.from", PLANNER);

        assertThat(restore.steps().get(0)).isInstanceOfSatisfying(Step.CheckOnMember.class,
                check -> assertThat(check.argv()).containsExactly("test", "-s", "/backups/cache/demo/b-1"));
        assertThat(restore.steps()).filteredOn(Step.WipeJournal.class::isInstance)
                .extracting(step -> ((Step.WipeJournal) step).claim())
                .containsExactly(Optional.of("journal-demo-peer-0"), Optional.of("journal-demo-peer-1"),
                        Optional.of("journal-demo-peer-2"));
        List<Step.Apply> applied = restore.steps().stream().filter(Step.Apply.class::isInstance)
                .map(Step.Apply.class::cast).toList();
        assertThat(applied.get(0).plan().properties()).containsEntry("peer.start.from", "/backups/cache/demo/b-1");
        assertThat(applied.get(1).plan().properties()).doesNotContainKey("peer.start.from");
    }

    @Test
    void givenAMemoryJournalWhenRebuildingAFollowerThenNoClaimIsDeletedAndItIsAwaitedAsFollower() {
        HaSpec memory = SPEC.toBuilder().journal(JournalStorage.memory("1Gi")).build();

        List<Step> steps = RECOVERY.rebuild(memory, status(Role.LEADER, Role.FOLLOWER, Role.FOLLOWER), 2)
                .steps();

        assertThat(steps).extracting(step -> step.getClass().getSimpleName())
                .containsExactly("StopMembers", "WipeJournal", "StartMembers", "AwaitRole", "AwaitQuorum");
        assertThat(((Step.WipeJournal) steps.get(1)).claim()).isEmpty();
    }
}
