package dev.cacheha.examples.controller.backup;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a user writes under {@code spec:} of a {@link CacheRuntimeBackup}; {@link BackupRequest} checks it.
 *
 * @param runtimeName the CacheRuntime to back up, in the backup's namespace
 * @param target where the backup goes: exactly one of {@code sharedVolume} and {@code underStorage}
 */
@ValidationRule(value = "self == oldSelf",
        message = "spec is immutable; create another CacheRuntimeBackup for another backup")
public record CacheRuntimeBackupSpec(@Required @Size(min = 1, max = 253) String runtimeName,
        @Required Target target) {

    /**
     * {@code spec.target}: one of two kinds of place, each a directory.
     *
     * @param sharedVolume a directory on a volume mounted at the same path in every master container
     * @param underStorage a directory in the engine's under storage
     */
    @ValidationRule(value = "has(self.sharedVolume) != has(self.underStorage)",
            message = "name exactly one of sharedVolume and underStorage")
    public record Target(Directory sharedVolume, Directory underStorage) {
    }

    /**
     * A directory, an absolute path.
     *
     * @param directory the absolute path
     */
    public record Directory(@Required @Size(min = 1, max = 4096) @Pattern("^/") String directory) {
    }
}
