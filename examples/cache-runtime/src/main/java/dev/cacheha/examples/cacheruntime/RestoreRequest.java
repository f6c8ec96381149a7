package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * {@code spec.restore} of a CacheRuntime: start the quorum from a backup. The restore runs once per
 * backup: {@code status.restore} keeps the record of a finished one, so the same request never runs twice.
 *
 * @param backupName a {@code CacheRuntimeBackup} of this runtime, Succeeded, in the runtime's namespace
 */
public record RestoreRequest(@Required @Size(min = 1, max = 253) String backupName) {
}
