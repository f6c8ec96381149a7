package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * {@code spec.restore} of a CacheRuntime: start the quorum from a backup. The restore runs once per
 * backup: {@code status.restore} keeps the record of a finished one, so the same request never runs twice.
 */
public class RestoreRequest {

    @Required
    @Size(min = 1, max = 253)
    private String backupName;

    /** Creates an empty request, for deserialization. */
    public RestoreRequest() {}

    /** A request to restore from the CacheRuntimeBackup {@code backupName}. */
    public RestoreRequest(String backupName) {
        this.backupName = backupName;
    }

    /** A {@code CacheRuntimeBackup} of this runtime, Succeeded, in the runtime's namespace. */
    public String getBackupName() {
        return backupName;
    }

    /** Sets {@link #getBackupName()}. */
    public void setBackupName(String backupName) {
        this.backupName = backupName;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RestoreRequest that && Objects.equals(backupName, that.backupName);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(backupName);
    }
}
