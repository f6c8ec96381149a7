package dev.cacheha.alluxio;

import dev.cacheha.spi.BackupTarget;
import dev.cacheha.toolkit.recovery.BackupCommand;
import dev.cacheha.toolkit.recovery.QuorumRecovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Alluxio's recovery facts for the toolkit's {@link QuorumRecovery}: {@code alluxio fsadmin backup} on the
 * leading master, and {@value #INIT_FROM_BACKUP} for a restore.
 *
 * <p>In a quorum, Alluxio 2.9 delegates a backup to a standby master by default
 * ({@code alluxio.master.backup.delegation.enabled=true}), which then writes it on its own disk: a backup asked
 * of the leader would land on whichever member Alluxio picked. {@code --bypass-delegation} makes the leader take
 * it itself (Alluxio pauses metadata changes on the leader while it writes, which is why the command has a
 * timeout of its own). {@code --local} writes to the leader's file system, a shared volume here; without it
 * the path is in the root under storage. The output names the file written ({@code Backup URI : ...}), which
 * is how the plan verifies that the backup landed in the runtime's own directory.
 *
 * <p>An Alluxio master that becomes primary with a freshly formatted journal loads the backup
 * {@value #INIT_FROM_BACKUP} names first; Alluxio asks for the property on every master, since any of them may
 * win the first election. A master that starts with an empty journal and the quorum's address list joins as a
 * follower and catches up from the leader (measured on 2.9.6 with 1,000 files: see docs/backup-restore.md).
 */
final class AlluxioBackup {

    /** Alluxio's property naming the backup a freshly formatted journal starts from. */
    static final String INIT_FROM_BACKUP = "alluxio.master.journal.init.from.backup";

    /**
     * How long the backup command may run: seconds for thousands of files (see docs/backup-restore.md), with room
     * for millions on a loaded leader.
     */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** The line of {@code fsadmin backup}'s output that names the file written. */
    static final String LOCATION_PATTERN = "(?m)^Backup URI\\s*:\\s*(?<location>\\S+)\\s*$";

    static final BackupCommand COMMAND = new BackupCommand(AlluxioBackup::argv, TIMEOUT, LOCATION_PATTERN);

    static final QuorumRecovery RECOVERY = new QuorumRecovery(AlluxioHighAvailabilityProvider.RULES,
            AlluxioNames.CONTAINER, AlluxioNames.JOURNAL_VOLUME);

    private static final List<String> BACKUP = List.of("alluxio", "fsadmin", "backup");

    private AlluxioBackup() {}

    private static List<String> argv(String directory, BackupTarget target) {
        List<String> argv = new ArrayList<>(BACKUP);
        argv.add(directory);
        if (target instanceof BackupTarget.SharedVolume) {
            argv.add("--local");
        }
        argv.add("--bypass-delegation");
        return argv;
    }
}
