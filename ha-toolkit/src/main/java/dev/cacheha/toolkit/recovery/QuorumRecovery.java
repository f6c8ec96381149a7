package dev.cacheha.toolkit.recovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.RecoveryPreconditions;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.QuorumNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Backup, restore and member rebuild of a raft quorum, from the engine's facts; the preconditions are the SPI's
 * {@link RecoveryPreconditions}, so every engine refuses the same states for the same reasons.
 *
 * <ul>
 *   <li><b>Backup</b>: the engine's {@link BackupCommand} on the member discovery names leader, writing into the
 *       runtime's own directory below the target ({@link #directory}), verified by where its output says the
 *       backup landed.</li>
 *   <li><b>Restore</b>: a raft engine loads a backup when a member becomes leader with a freshly formatted
 *       journal and the engine's start-from-backup property names the file. So the backup is checked for on the
 *       shared volume before anything stops (a missing file would leave empty journals and nothing to load),
 *       every member stops, every journal is deleted, all start with the property, the quorum is awaited, and the
 *       property is dropped again so that no member started later with an empty journal loads the backup.
 *       Backups in the under storage are refused: nothing in a master's container can check them while the
 *       quorum is down.</li>
 *   <li><b>Rebuild</b>: a member that starts with an empty journal and the quorum's address list joins as a new
 *       follower and catches up from the leader; it is stopped alone, its journal deleted, started, and awaited
 *       until it follows.</li>
 * </ul>
 *
 * @param rules the engine's rules, which name the members and claims
 * @param container the master container commands run in
 * @param journalVolume the journal's claim template (and volume) name
 */
public record QuorumRecovery(EngineRules rules, String container, String journalVolume) {

    /** How long checking that a backup is there may take. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final String FILE_SCHEME = "file://";

    public QuorumRecovery {
        requireNonNull(rules, "rules");
        requireNonNull(container, "container");
        requireNonNull(journalVolume, "journalVolume");
    }

    /**
     * The runtime's own directory below {@code target}: {@code <target>/<namespace>/<runtime>}, so that runtimes
     * sharing a target never overwrite or restore each other's backups.
     */
    public static String directory(HaSpec spec, BackupTarget target) {
        String base = target.directory().endsWith("/") ? target.directory() : target.directory() + "/";
        return base + spec.namespace() + "/" + spec.name();
    }

    /**
     * {@code command} on the member {@code status} names leader, into the runtime's own directory.
     *
     * @throws OperationRefusedException if {@code status} names no leader or is about other members
     */
    public BackupPlan backup(HaSpec spec, LeaderStatus status, BackupTarget target, BackupCommand command) {
        OperationRefusedException.throwIfAny("backup",
                RecoveryPreconditions.backupRefusals(members(spec), status));
        String directory = directory(spec, target);
        return new BackupPlan(spec, rules.engine(), status.leader().orElseThrow(), container,
                command.argv().apply(directory, target), command.timeout(), target, directory,
                command.locationPattern());
    }

    /**
     * Every journal wiped and every member started with {@code startFromBackup} naming the backup's file.
     *
     * @param startFromBackup the engine property naming the backup a freshly formatted journal loads
     * @param planner the plan of a spec already validated (the restoring spec differs only by that property)
     * @throws OperationRefusedException if the backup is foreign, not in this runtime's directory, or not on a
     *     shared volume
     */
    public RestorePlan restore(HaSpec spec, Backup backup, String startFromBackup, Function<HaSpec, HaPlan> planner) {
        List<Violation> reasons = new ArrayList<>(RecoveryPreconditions.restoreRefusals(rules.engine(), spec,
                backup));
        String directory = directory(spec, backup.target());
        if (!backup.liesIn(directory)) {
            reasons.add(new Violation("backup.location", backup.location() + " is not in this runtime's backup"
                    + " directory " + directory + ": a foreign backup is never restored"));
        }
        if (backup.target() instanceof BackupTarget.UnderStorage) {
            reasons.add(new Violation("backup.target", "is the under storage: a restore needs a backup on a shared"
                    + " volume, which a master's container can check before any journal is deleted"));
        }
        OperationRefusedException.throwIfAny("restore", reasons);

        String file = backup.location().startsWith(FILE_SCHEME)
                ? backup.location().substring(FILE_SCHEME.length())
                : backup.location();
        HaPlan running = planner.apply(spec);
        HaPlan restoring = planner.apply(spec.toBuilder().property(startFromBackup, file).build());
        List<Member> members = running.members();

        List<Step> steps = new ArrayList<>();
        steps.add(new Step.CheckOnMember(members.get(0), container, List.of("test", "-s", file),
                CHECK_TIMEOUT, "the backup " + file + " is on the shared volume and not empty; checked before"
                        + " anything stops, so a missing backup changes nothing"));
        steps.add(new Step.StopMembers(members, "stop every master: journals are deleted only when no"
                + " member runs"));
        for (Member member : members) {
            steps.add(new Step.WipeJournal(member, claim(spec, member), "member " + member.ordinal()
                    + " must start with a freshly formatted journal, which is when the engine loads a backup"));
        }
        steps.add(new Step.Apply(restoring, false, "every master gets " + startFromBackup + "=" + file
                + ": the first to lead loads the backup"));
        steps.add(new Step.StartMembers(members, "start every master; one wins the election, loads the"
                + " backup, and the others catch up from it"));
        steps.add(new Step.AwaitQuorum(members.size(), "the restored quorum is whole: all "
                + members.size() + " members answer and one leads"));
        steps.add(new Step.Apply(running, false, "drop " + startFromBackup + " again, so that no member started"
                + " later with an empty journal loads this backup; masters read it only at start, so none"
                + " restarts"));
        return new RestorePlan(backup, steps);
    }

    /**
     * Member {@code ordinal} stopped alone, its journal deleted, started empty, and awaited until it follows.
     *
     * @throws OperationRefusedException if the others are no majority with a leader without it, or it leads
     */
    public MemberRebuildPlan rebuild(HaSpec spec, LeaderStatus status, int ordinal) {
        List<Member> members = members(spec);
        OperationRefusedException.throwIfAny("member rebuild",
                RecoveryPreconditions.rebuildRefusals(members, status, ordinal));
        Member member = members.get(ordinal);
        return new MemberRebuildPlan(member, List.of(
                new Step.StopMembers(List.of(member), "stop member " + ordinal + " alone; the other "
                        + (members.size() - 1) + " keep the quorum and its leader"),
                new Step.WipeJournal(member, claim(spec, member), "its journal is lost or corrupt: it"
                        + " starts empty"),
                new Step.StartMembers(List.of(member), "start member " + ordinal + " with an empty journal;"
                        + " it joins as a follower"),
                new Step.AwaitRole(member, LeaderStatus.Role.FOLLOWER, "member " + ordinal
                        + " answers FOLLOWER once it has caught up from the leader"),
                new Step.AwaitQuorum(members.size(), "the quorum is whole again")));
    }

    private List<Member> members(HaSpec spec) {
        return new QuorumNames(spec, rules).members();
    }

    /** The member's journal claim, or empty when the journal lives in a volume that goes with the pod. */
    private Optional<String> claim(HaSpec spec, Member member) {
        return spec.journal() instanceof JournalStorage.PersistentVolume
                ? Optional.of(new QuorumNames(spec, rules).claim(journalVolume, member.ordinal()))
                : Optional.empty();
    }
}
