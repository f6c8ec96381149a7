package dev.cacheha.examples.controller.runtime;

/** What a user writes under {@code spec.backupVolume:}; {@link BackupVolume} checks it. */
public class BackupVolumeSpec {

    private String claimName;
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
