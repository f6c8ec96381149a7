package dev.cacheha.testkit.sample;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.RecoveryPreconditions;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sample provider with backups, restores and member rebuilds that meet every requirement of
 * {@code BackupRequirements}; each broken provider of {@link BrokenBackupProviders} breaks one of them.
 */
public class SampleBackupProvider extends SampleHighAvailabilityProvider {

    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final String CONTAINER = "master";

    @Override
    public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
        HaPlan plan = plan(spec);
        OperationRefusedException.throwIfAny("backup", RecoveryPreconditions.backupRefusals(plan, status));
        return backupOn(spec, status.leader().orElseThrow(), target, directory(spec, target));
    }

    /** The backup command on {@code member}, writing into {@code directory}. */
    protected BackupPlan backupOn(HaSpec spec, Member member, BackupTarget target, String directory) {
        return new BackupPlan(spec, engine(), member, CONTAINER, List.of("sample", "backup", directory), TIMEOUT,
                target, directory, "(?m)^written (?<location>\\S+)$");
    }

    /** The runtime's own directory below the target. */
    protected String directory(HaSpec spec, BackupTarget target) {
        return target.directory() + "/" + spec.namespace() + "/" + spec.name();
    }

    @Override
    public RestorePlan planRestore(HaSpec spec, Backup backup) {
        OperationRefusedException.throwIfAny("restore",
                RecoveryPreconditions.restoreRefusals(engine(), spec, backup));
        return restoreSteps(spec, backup);
    }

    /** Check, stop all, wipe all, start all from the backup, await the quorum. */
    protected RestorePlan restoreSteps(HaSpec spec, Backup backup) {
        HaPlan plan = plan(spec);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.CheckOnMember(plan.members().get(0), CONTAINER,
                List.of("test", "-s", backup.location()), TIMEOUT, "the backup is there"));
        steps.add(new Step.StopMembers(plan.members(), "stop every member"));
        plan.members().forEach(member -> steps.add(wipe(member)));
        steps.add(new Step.Apply(plan, false, "start from " + backup.location()));
        steps.add(new Step.StartMembers(plan.members(), "start every member"));
        steps.add(new Step.AwaitQuorum(plan.members().size(), "the quorum is whole"));
        return new RestorePlan(backup, steps);
    }

    @Override
    public MemberRebuildPlan planMemberRebuild(HaSpec spec, LeaderStatus status, int ordinal) {
        HaPlan plan = plan(spec);
        OperationRefusedException.throwIfAny("member rebuild",
                RecoveryPreconditions.rebuildRefusals(plan, status, ordinal));
        return rebuildSteps(plan, ordinal);
    }

    /** Stop, wipe, start the member alone and wait until it follows. */
    protected MemberRebuildPlan rebuildSteps(HaPlan plan, int ordinal) {
        Member member = plan.members().get(ordinal);
        return new MemberRebuildPlan(member, List.of(
                new Step.StopMembers(List.of(member), "stop it"),
                wipe(member),
                new Step.StartMembers(List.of(member), "start it empty"),
                new Step.AwaitRole(member, LeaderStatus.Role.FOLLOWER, "it caught up"),
                new Step.AwaitQuorum(plan.members().size(), "the quorum is whole")));
    }

    static Step.WipeJournal wipe(Member member) {
        return new Step.WipeJournal(member, Optional.of("journal-" + member.podName()), "start empty");
    }
}
