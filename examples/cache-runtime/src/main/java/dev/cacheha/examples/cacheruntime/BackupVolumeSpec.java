package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** What a user writes under {@code spec.backupVolume:}; {@link BackupVolume} checks it. */
public class BackupVolumeSpec {

    @Required
    @Size(min = 1, max = 253)
    private String claimName;
    @Required
    @Size(min = 2, max = 4096)
    @Pattern("^/")
    private String mountPath;

    /** The claim to mount, in the runtime's namespace. */
    public String getClaimName() {
        return claimName;
    }

    /** Sets {@link #getClaimName()}. */
    public void setClaimName(String claimName) {
        this.claimName = claimName;
    }

    /** Where it is mounted in every master container. */
    public String getMountPath() {
        return mountPath;
    }

    /** Sets {@link #getMountPath()}. */
    public void setMountPath(String mountPath) {
        this.mountPath = mountPath;
    }
}
