package dev.cacheha.spi;

/**
 * Where a user wants a quorum's metadata backed up. The provider puts each runtime's backups in a directory of
 * their own below it (see {@link BackupPlan#directory()}), so runtimes that share a target never mix backups.
 */
public sealed interface BackupTarget {

    /** The directory the user named, an absolute path. */
    String directory();

    /**
     * A directory on a volume mounted at the same path in every master container (a shared, ReadWriteMany
     * volume): the member that leads writes the backup there, and any member can read it back for a restore.
     *
     * @param directory absolute path of the directory inside the master containers
     */
    record SharedVolume(String directory) implements BackupTarget {
        public SharedVolume {
            DirectoryRules.throwIfInvalid("backupTarget.directory", directory);
        }
    }

    /**
     * A directory in the engine's under storage (the file system the cache fronts), as the engine names paths
     * there.
     *
     * @param directory absolute path below the under storage's root
     */
    record UnderStorage(String directory) implements BackupTarget {
        public UnderStorage {
            DirectoryRules.throwIfInvalid("backupTarget.directory", directory);
        }
    }
}
