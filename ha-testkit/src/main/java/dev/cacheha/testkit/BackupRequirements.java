package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a provider that offers backups, restores and member rebuilds guarantees: backups only on the member
 * discovery names leader and never without one, each runtime's backups apart, no foreign restore, no journal
 * deleted while its member may run, and no rebuild that costs the majority.
 *
 * <p>A provider that does not declare an operation in {@link HighAvailabilityProvider#capabilities()} has the
 * requirements of that operation skipped with the reason, not passed: they say nothing about it. The kit runs
 * this group as "Backup, restore and rebuild"; where backups go is the author's
 * {@link HighAvailabilityProviderCompatibilityKit#backupTarget()}.
 */
public abstract class BackupRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected BackupRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    private BackupTarget backupTarget() {
        return subject().backupTarget();
    }

    private HaSpec.Builder validSpec(String name, String namespace) {
        return subject().validSpec(name, namespace);
    }

    @Test
    @DisplayName("backs up on the member discovery names leader, and nowhere else, with a command and a timeout")
    void backsUpOnTheLeader() {
        assumeOffered(Capability.BACKUP);
        HaSpec spec = spec(3);
        HaPlan plan = provider().plan(spec);
        for (int leader = 0; leader < 3; leader++) {
            Role[] roles = {Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER};
            roles[leader] = Role.LEADER;
            LeaderStatus status = status(plan, roles);

            BackupPlan backup = provider().planBackup(spec, status, backupTarget());

            assertThat(backup.leader()).as("the member that runs the backup").isEqualTo(plan.members().get(leader));
            assertThat(backup.argv()).isNotEmpty();
            assertThat(backup.timeout()).isPositive();
        }
        LeaderStatus degraded = status(plan, Role.UNREACHABLE, Role.FOLLOWER, Role.LEADER);
        assertThat(provider().planBackup(spec, degraded, backupTarget()).leader()).isEqualTo(plan.members().get(2));
    }

    @Test
    @DisplayName("refuses a backup, with the reason, when discovery names no leader (NO_QUORUM, UNKNOWN)")
    void refusesABackupWithoutALeader() {
        assumeOffered(Capability.BACKUP);
        HaSpec spec = spec(3);
        HaPlan plan = provider().plan(spec);
        provider().planBackup(spec, status(plan, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER),
                backupTarget());

        for (LeaderStatus leaderless : List.of(
                status(plan, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER),
                status(plan, Role.LEADER, Role.UNREACHABLE, Role.UNREACHABLE),
                status(plan, Role.LEADER, Role.LEADER, Role.FOLLOWER))) {
            Throwable refusal = catchThrowable(() -> provider().planBackup(spec, leaderless, backupTarget()));

            assertThat(refusal).as("a backup under %s", leaderless.health())
                    .isInstanceOf(OperationRefusedException.class);
            assertThat(((OperationRefusedException) refusal).reasons()).isNotEmpty();
        }
    }

    @Test
    @DisplayName("gives each runtime its own backup directory below the target, and never verifies a failed command")
    void keepsEachRuntimesBackupsApart() {
        assumeOffered(Capability.BACKUP);
        HaSpec first = spec(3);
        HaSpec second = validSpec(NAME + "-other", NAMESPACE).replicas(3).build();
        BackupPlan firstBackup = provider().planBackup(first, leading(first), backupTarget());
        BackupPlan secondBackup = provider().planBackup(second, leading(second), backupTarget());

        assertThat(firstBackup.directory()).startsWith(backupTarget().directory())
                .isNotEqualTo(secondBackup.directory());
        assertThat(firstBackup.verify(new PodExec.Result(1, "", ""))).as("a failed command").isEmpty();
    }

    @Test
    @DisplayName("refuses to restore a backup of another runtime, namespace or engine, with the reason")
    void refusesAForeignRestore() {
        assumeOffered(Capability.BACKUP, Capability.RESTORE);
        HaSpec spec = spec(3);
        Member takenBy = provider().plan(spec).members().get(0);
        String directory = provider().planBackup(spec, leading(spec), backupTarget()).directory();
        String location = directory + "/backup-1";
        provider().planRestore(spec, new Backup(provider().engine(), NAMESPACE, NAME, backupTarget(),
                location, takenBy));

        for (Backup foreign : List.of(
                new Backup(provider().engine(), NAMESPACE, NAME + "-other", backupTarget(), location, takenBy),
                new Backup(provider().engine(), NAMESPACE + "-other", NAME, backupTarget(), location, takenBy),
                new Backup(provider().engine() + "-other", NAMESPACE, NAME, backupTarget(), location, takenBy))) {
            Throwable refusal = catchThrowable(() -> provider().planRestore(spec, foreign));

            assertThat(refusal).as("restoring %s", foreign).isInstanceOf(OperationRefusedException.class);
            assertThat(((OperationRefusedException) refusal).reasons()).isNotEmpty();
        }
    }

    @Test
    @DisplayName("a restore deletes a journal only after every check and once its member is stopped, and ends"
            + " with every member started and the whole quorum")
    void restoresWithoutDeletingARunningMembersJournal() {
        assumeOffered(Capability.BACKUP, Capability.RESTORE);
        HaSpec spec = spec(3);
        String directory = provider().planBackup(spec, leading(spec), backupTarget()).directory();
        RestorePlan restore = provider().planRestore(spec, new Backup(provider().engine(), NAMESPACE,
                NAME, backupTarget(), directory + "/backup-1", provider().plan(spec).members().get(0)));

        assertThat(StepOrder.broken(restore.steps())).as("the order of %s", restore.steps()).isEmpty();
        assertThat(restore.steps()).filteredOn(Step.WipeJournal.class::isInstance).hasSize(3);
        int lastStart = lastIndexOf(restore.steps(), Step.StartMembers.class);
        assertThat(restore.steps().subList(lastStart + 1, restore.steps().size()))
                .as("steps after the members start again")
                .anySatisfy(step -> assertThat(step).isInstanceOfSatisfying(Step.AwaitQuorum.class,
                        quorum -> assertThat(quorum.members()).isEqualTo(3)));
    }

    @Test
    @DisplayName("refuses to rebuild a member, with the reason, when the others are no majority without it")
    void refusesARebuildThatCostsTheMajority() {
        assumeOffered(Capability.MEMBER_REBUILD);
        HaSpec three = spec(3);
        HaSpec five = spec(5);
        provider().planMemberRebuild(three, leading(three), 2);
        HaPlan threePlan = provider().plan(three);
        HaPlan fivePlan = provider().plan(five);

        List<Throwable> refusals = List.of(
                catchThrowable(() -> provider().planMemberRebuild(three,
                        status(threePlan, Role.LEADER, Role.UNREACHABLE, Role.FOLLOWER), 2)),
                catchThrowable(() -> provider().planMemberRebuild(five,
                        status(fivePlan, Role.LEADER, Role.FOLLOWER, Role.UNREACHABLE, Role.UNREACHABLE,
                                Role.FOLLOWER), 4)),
                catchThrowable(() -> provider().planMemberRebuild(three,
                        status(threePlan, Role.FOLLOWER, Role.UNREACHABLE, Role.FOLLOWER), 2)));

        assertThat(refusals).allSatisfy(refusal -> {
            assertThat(refusal).isInstanceOf(OperationRefusedException.class);
            assertThat(((OperationRefusedException) refusal).reasons()).isNotEmpty();
        });
    }

    @Test
    @DisplayName("rebuilds one follower alone, deleting its journal only once it is stopped, until it follows")
    void rebuildsOneFollowerAlone() {
        assumeOffered(Capability.MEMBER_REBUILD);
        HaSpec spec = spec(3);
        Member rebuilt = provider().plan(spec).members().get(2);

        MemberRebuildPlan rebuild = provider().planMemberRebuild(spec, leading(spec), 2);

        assertThat(rebuild.member()).isEqualTo(rebuilt);
        assertThat(StepOrder.broken(rebuild.steps())).as("the order of %s", rebuild.steps()).isEmpty();
        assertThat(StepOrder.membersTouched(rebuild.steps())).as("members stopped, wiped or started")
                .containsOnly(rebuilt);
        int lastStart = lastIndexOf(rebuild.steps(), Step.StartMembers.class);
        assertThat(rebuild.steps().subList(lastStart + 1, rebuild.steps().size()))
                .anySatisfy(step -> assertThat(step).isInstanceOfSatisfying(Step.AwaitRole.class, role -> {
                    assertThat(role.member()).isEqualTo(rebuilt);
                    assertThat(role.role()).isEqualTo(Role.FOLLOWER);
                }));
    }

    private LeaderStatus leading(HaSpec spec) {
        HaPlan plan = provider().plan(spec);
        Role[] roles = new Role[plan.members().size()];
        java.util.Arrays.fill(roles, Role.FOLLOWER);
        roles[0] = Role.LEADER;
        return status(plan, roles);
    }

    private static LeaderStatus status(HaPlan plan, Role... roles) {
        return LeaderStatus.fromAnswers(IntStream.range(0, roles.length)
                .mapToObj(i -> new MemberAnswer(plan.members().get(i), roles[i], "kit", Duration.ZERO, ""))
                .toList(), "kit", Duration.ZERO);
    }

    private static int lastIndexOf(List<Step> steps, Class<? extends Step> kind) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (kind.isInstance(steps.get(i))) {
                found.add(i);
            }
        }
        assertThat(found).as("a %s step in %s", kind.getSimpleName(), steps).isNotEmpty();
        return found.get(found.size() - 1);
    }
}
