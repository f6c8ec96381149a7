package dev.cacheha.alluxio;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.RecoveryPreconditions;
import dev.cacheha.spi.RecoveryStep;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.QuorumNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Plans a restore through {@value #INIT_FROM_BACKUP}: an Alluxio master that becomes primary with a freshly
 * formatted journal loads that backup first (Alluxio asks for the property on every master, since any of them
 * may win the first election). So every member stops, every journal is deleted, and all start with the
 * property; the first leader loads the backup and the others catch up from it.
 *
 * <p>The backup is checked for on the shared volume before anything stops: a missing file would otherwise
 * leave masters with empty journals and nothing to load. Backups in the under storage are refused for now:
 * nothing in a master's container can check them while the quorum is down.
 */
final class AlluxioRestore {

    /** Alluxio's property naming the backup a freshly formatted journal starts from. */
    static final String INIT_FROM_BACKUP = "alluxio.master.journal.init.from.backup";

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final String FILE_SCHEME = "file://";

    private AlluxioRestore() {}

    static RestorePlan plan(HaSpec spec, Backup backup, Function<HaSpec, HaPlan> planner) {
        List<Violation> reasons = new ArrayList<>(RecoveryPreconditions.restoreRefusals(AlluxioNames.ENGINE, spec,
                backup));
        String directory = AlluxioBackup.directory(spec, backup.target());
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
        HaPlan restoring = planner.apply(spec.toBuilder().property(INIT_FROM_BACKUP, file).build());
        List<Member> members = running.members();
        QuorumNames names = AlluxioNames.of(spec);
        boolean claims = spec.journal() instanceof JournalStorage.PersistentVolume;

        List<RecoveryStep> steps = new ArrayList<>();
        steps.add(new RecoveryStep.CheckOnMember(members.get(0), AlluxioNames.CONTAINER, List.of("test", "-s", file),
                CHECK_TIMEOUT, "the backup " + file + " is on the shared volume and not empty; checked before"
                        + " anything stops, so a missing backup changes nothing"));
        steps.add(new RecoveryStep.StopMembers(members, "stop every master: journals are deleted only when no"
                + " member runs"));
        for (Member member : members) {
            Optional<String> claim = claims
                    ? Optional.of(names.claim(AlluxioNames.JOURNAL_VOLUME, member.ordinal()))
                    : Optional.empty();
            steps.add(new RecoveryStep.WipeJournal(member, claim, "member " + member.ordinal()
                    + " must start with a freshly formatted journal, which is when Alluxio loads a backup"));
        }
        steps.add(new RecoveryStep.Apply(restoring, "every master gets " + INIT_FROM_BACKUP + "=" + file
                + ": the first to lead loads the backup"));
        steps.add(new RecoveryStep.StartMembers(members, "start every master; one wins the election, loads the"
                + " backup, and the others catch up from it"));
        steps.add(new RecoveryStep.AwaitQuorum(members.size(), "the restored quorum is whole: all "
                + members.size() + " members answer and one leads"));
        steps.add(new RecoveryStep.Apply(running, "drop " + INIT_FROM_BACKUP + " again, so that no member started"
                + " later with an empty journal loads this backup; masters read it only at start, so none"
                + " restarts"));
        return new RestorePlan(backup, steps);
    }
}
