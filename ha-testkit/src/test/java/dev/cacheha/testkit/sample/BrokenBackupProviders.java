package dev.cacheha.testkit.sample;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import java.util.ArrayList;
import java.util.List;

/** Providers that each break one backup, restore or rebuild requirement, so the kit can be seen to catch it. */
public final class BrokenBackupProviders {

    private BrokenBackupProviders() {}

    /** Checks that a leader exists, then backs up on member 0 whoever leads, as Fluid picks a master by count. */
    public static final class BacksUpOnTheFirstMember extends SampleBackupProvider {
        @Override
        public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
            BackupPlan onTheLeader = super.planBackup(spec, status, target);
            return backupOn(spec, plan(spec).members().get(0), target, onTheLeader.directory());
        }
    }

    /** Backs up on member 0 when discovery names no leader instead of refusing. */
    public static final class BacksUpWithoutALeader extends SampleBackupProvider {
        @Override
        public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
            return backupOn(spec, status.leader().orElse(plan(spec).members().get(0)), target,
                    directory(spec, target));
        }
    }

    /** Writes every runtime's backups into the target directory itself. */
    public static final class SharesOneDirectory extends SampleBackupProvider {
        @Override
        protected String directory(HaSpec spec, BackupTarget target) {
            return target.directory();
        }
    }

    /** Restores any backup it is given, whoever it came from. */
    public static final class RestoresForeignBackups extends SampleBackupProvider {
        @Override
        public RestorePlan planRestore(HaSpec spec, Backup backup) {
            return restoreSteps(spec, backup);
        }
    }

    /** Deletes the journals first, while the members still run, and stops them afterwards. */
    public static final class WipesBeforeStopping extends SampleBackupProvider {
        @Override
        protected RestorePlan restoreSteps(HaSpec spec, Backup backup) {
            List<Step> steps = new ArrayList<>(super.restoreSteps(spec, backup).steps());
            Step stop = steps.remove(1);
            steps.add(4, stop);
            return new RestorePlan(backup, steps);
        }
    }

    /** Restores but starts every member except the last again, leaving it stopped. */
    public static final class LeavesAMemberStopped extends SampleBackupProvider {
        @Override
        protected RestorePlan restoreSteps(HaSpec spec, Backup backup) {
            List<Step> steps = new ArrayList<>(super.restoreSteps(spec, backup).steps());
            List<Member> members = plan(spec).members();
            int start = steps.size() - 2;
            steps.set(start, new Step.StartMembers(members.subList(0, members.size() - 1), steps.get(start)
                    .description()));
            return new RestorePlan(backup, steps);
        }
    }

    /** Rebuilds a member whatever the others' state. */
    public static final class RebuildsAtAnyCost extends SampleBackupProvider {
        @Override
        public MemberRebuildPlan planMemberRebuild(HaSpec spec, LeaderStatus status, int ordinal) {
            return rebuildSteps(plan(spec), ordinal);
        }
    }

    /** Rebuilds by stopping and wiping every member, as a restore would. */
    public static final class RebuildsEveryMember extends SampleBackupProvider {
        @Override
        protected MemberRebuildPlan rebuildSteps(HaPlan plan, int ordinal) {
            List<Step> steps = new ArrayList<>();
            steps.add(new Step.StopMembers(plan.members(), "stop all"));
            plan.members().forEach(member -> steps.add(wipe(member)));
            steps.addAll(super.rebuildSteps(plan, ordinal).steps().subList(2, 5));
            return new MemberRebuildPlan(plan.members().get(ordinal), steps);
        }
    }
}
