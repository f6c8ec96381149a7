package dev.cacheha.alluxio;

import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.RecoveryPreconditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans {@code alluxio fsadmin backup} on the leading master.
 *
 * <p>In a quorum, Alluxio 2.9 delegates a backup to a standby master by default
 * ({@code alluxio.master.backup.delegation.enabled=true}), which then writes it on its own disk: a backup asked
 * of the leader would land on whichever member Alluxio picked. {@code --bypass-delegation} makes the leader take
 * it itself (Alluxio pauses metadata changes on the leader while it writes, which is why the command has a
 * timeout of its own). {@code --local} writes to the leader's file system, a shared volume here; without it
 * the path is in the root under storage. The output names the file written ({@code Backup URI : ...}), which
 * is how the plan verifies that the backup landed in the runtime's own directory.
 */
final class AlluxioBackup {

    /**
     * How long the backup command may run: seconds for thousands of files (see docs/backup-restore.md), with room
     * for millions on a loaded leader.
     */
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** The line of {@code fsadmin backup}'s output that names the file written. */
    static final String LOCATION_PATTERN = "(?m)^Backup URI\\s*:\\s*(?<location>\\S+)\\s*$";

    private static final List<String> BACKUP = List.of("alluxio", "fsadmin", "backup");

    private AlluxioBackup() {}

    static BackupPlan plan(HaSpec spec, List<Member> members, LeaderStatus status, BackupTarget target) {
        OperationRefusedException.throwIfAny("backup", RecoveryPreconditions.backupRefusals(members, status));
        String directory = directory(spec, target);
        List<String> argv = new ArrayList<>(BACKUP);
        argv.add(directory);
        if (target instanceof BackupTarget.SharedVolume) {
            argv.add("--local");
        }
        argv.add("--bypass-delegation");
        return new BackupPlan(spec, AlluxioNames.ENGINE, status.leader().orElseThrow(), AlluxioNames.CONTAINER,
                argv, TIMEOUT, target, directory, LOCATION_PATTERN);
    }

    /**
     * The runtime's own directory below {@code target}: {@code <target>/<namespace>/<runtime>}, so that runtimes
     * sharing a target never overwrite or restore each other's backups.
     */
    static String directory(HaSpec spec, BackupTarget target) {
        String base = target.directory().endsWith("/") ? target.directory() : target.directory() + "/";
        return base + spec.namespace() + "/" + spec.name();
    }
}
