package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * What a user writes under {@code spec.backupVolume:}; {@link BackupVolume} checks it.
 *
 * @param claimName the claim to mount, in the runtime's namespace
 * @param mountPath where it is mounted in every master container
 */
public record BackupVolumeSpec(
        @Required @Size(min = 1, max = 253) String claimName,
        @Required @Size(min = 2, max = 4096) @Pattern("^/") String mountPath) {
}
