package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shared rules for backups, restores and rebuilds, and the values they travel in. */
class RecoveryPreconditionsTest {

    private static HaPlan plan(int members) {
        List<Member> list = IntStream.range(0, members)
                .mapToObj(i -> new Member(i, "cache", "rt-master-" + i, "rt-master-" + i + ".svc")).toList();
        return new HaPlan("test", java.util.Map.of(), list,
                list.stream().map(m -> new HostPort(m.host(), 1)).toList(), List.of());
    }

    private static LeaderStatus status(HaPlan plan, Role... roles) {
        return LeaderStatus.fromAnswers(IntStream.range(0, roles.length)
                .mapToObj(i -> new MemberAnswer(plan.members().get(i), roles[i], "t", Duration.ZERO, ""))
                .toList(), "t", Duration.ZERO);
    }

    @Test
    void aBackupNeedsALeaderOfTheseMembers() {
        HaPlan three = plan(3);

        assertThat(RecoveryPreconditions.backupRefusals(three, status(three, Role.FOLLOWER, Role.LEADER,
                Role.UNREACHABLE))).isEmpty();
        assertThat(RecoveryPreconditions.backupRefusals(three, status(three, Role.LEADER, Role.UNREACHABLE,
                Role.UNREACHABLE))).extracting(Violation::field).containsExactly("status.health");
        assertThat(RecoveryPreconditions.backupRefusals(plan(5), status(three, Role.LEADER, Role.FOLLOWER,
                Role.FOLLOWER))).extracting(Violation::field).containsExactly("status.members");
    }

    @Test
    void aRebuildOfAFollowerGoesOnlyWhenTheOthersAreAMajorityWithALeader() {
        HaPlan five = plan(5);

        assertThat(RecoveryPreconditions.rebuildRefusals(five,
                status(five, Role.LEADER, Role.FOLLOWER, Role.UNREACHABLE, Role.FOLLOWER, Role.UNREACHABLE), 4))
                .isEmpty();
        assertThat(RecoveryPreconditions.rebuildRefusals(five,
                status(five, Role.LEADER, Role.FOLLOWER, Role.UNREACHABLE, Role.UNREACHABLE, Role.FOLLOWER), 4))
                .extracting(Violation::field).containsExactly("status.members");
        assertThat(RecoveryPreconditions.rebuildRefusals(five,
                status(five, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER), 7))
                .extracting(Violation::field).containsExactly("ordinal");
    }

    @Test
    void membersWithoutTheirPlanAreJudgedByTheSameRules() {
        // Given the members of a quorum of five, known without a rendered plan
        List<Member> five = plan(5).members();
        LeaderStatus ofFive = status(plan(5), Role.FOLLOWER, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER,
                Role.UNREACHABLE);
        LeaderStatus ofThree = status(plan(3), Role.FOLLOWER, Role.FOLLOWER, Role.LEADER);

        // Then a backup goes with a status of these members naming a leader, and not with another quorum's
        assertThat(RecoveryPreconditions.backupRefusals(five, ofFive)).isEmpty();
        assertThat(RecoveryPreconditions.backupRefusals(five, ofThree)).extracting(Violation::field)
                .containsExactly("status.members");
        // And a follower is rebuilt while the others are a majority, the leader or a non-member never
        assertThat(RecoveryPreconditions.rebuildRefusals(five, ofFive, 0)).isEmpty();
        assertThat(RecoveryPreconditions.rebuildRefusals(five, ofFive, 1)).extracting(Violation::field)
                .containsExactly("ordinal");
        assertThat(RecoveryPreconditions.rebuildRefusals(five, ofFive, 5)).extracting(Violation::field)
                .containsExactly("ordinal");
        assertThat(RecoveryPreconditions.rebuildRefusals(five, ofThree, 0)).extracting(Violation::field)
                .containsExactly("status.members");
    }

    @Test
    void everyReasonToRefuseARebuildIsGivenAtOnce() {
        HaPlan three = plan(3);

        List<Violation> reasons = RecoveryPreconditions.rebuildRefusals(three,
                status(three, Role.FOLLOWER, Role.UNREACHABLE, Role.UNREACHABLE), 0);

        assertThat(reasons).extracting(Violation::field).containsExactly("status.health", "status.members");
    }

    @Test
    void aForeignBackupIsNamedForEveryFieldThatDiffers() {
        HaSpec spec = HaSpec.builder("rt", "cache").build();
        Backup other = new Backup("jindo", "elsewhere", "rt", new BackupTarget.SharedVolume("/b"), "/b/x",
                plan(3).members().get(0));

        assertThat(RecoveryPreconditions.restoreRefusals("alluxio", spec, other)).extracting(Violation::field)
                .containsExactly("backup.engine", "backup.namespace");
        assertThat(other.belongsTo("jindo", HaSpec.builder("rt", "elsewhere").build())).isTrue();
    }

    @Test
    void aBackupDirectoryIsAbsoluteWithoutSpacesOrClimbingAndEveryFaultIsNamed() {
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> new BackupTarget.SharedVolume("backups/../x y"));

        assertThat(refused.violations()).extracting(Violation::field).containsOnly("backupTarget.directory");
        assertThat(refused.violations()).hasSize(3);
        assertThatThrownBy(() -> new BackupTarget.UnderStorage(" ")).isInstanceOf(SpecValidationException.class);
    }

    @Test
    void aRefusalWithoutAReasonCannotBeMade() {
        assertThatThrownBy(() -> new OperationRefusedException("backup", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new OperationRefusedException("backup", List.of(new Violation("status.health", "is NO_QUORUM")))
                .getMessage()).isEqualTo("backup refused (1 reason):\n  - status.health: is NO_QUORUM");
    }
}
