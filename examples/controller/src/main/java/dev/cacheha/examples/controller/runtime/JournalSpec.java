package dev.cacheha.examples.controller.runtime;

import java.util.List;

/**
 * {@code spec.journal} of a {@link CacheRuntime}: a claim per master ({@value #PVC}) or an {@code emptyDir}
 * in memory ({@value #MEMORY}) or on the node's disk ({@value #DISK}).
 */
public class JournalSpec {

    /** {@link #getType()} of a journal on a PersistentVolumeClaim per master. */
    public static final String PVC = "pvc";
    /** {@link #getType()} of a journal in a memory-backed {@code emptyDir}. */
    public static final String MEMORY = "memory";
    /** {@link #getType()} of a journal in a disk-backed {@code emptyDir}. */
    public static final String DISK = "disk";

    private String type;
    private String storageClass;
    private String size;
    private List<String> accessModes;
    private String sizeLimit;

    /** {@value #PVC}, {@value #MEMORY} or {@value #DISK}; {@value #PVC} when missing. */
    public String getType() {
        return type;
    }

    /** Sets {@link #getType()}. */
    public void setType(String type) {
        this.type = type;
    }

    /** Storage class of the claims ({@value #PVC} only); {@code standard} when missing. */
    public String getStorageClass() {
        return storageClass;
    }

    /** Sets {@link #getStorageClass()}. */
    public void setStorageClass(String storageClass) {
        this.storageClass = storageClass;
    }

    /** Requested capacity of each claim ({@value #PVC} only), such as {@code 10Gi}; 10Gi when missing. */
    public String getSize() {
        return size;
    }

    /** Sets {@link #getSize()}. */
    public void setSize(String size) {
        this.size = size;
    }

    /** Access modes of the claims ({@value #PVC} only); {@code ReadWriteOnce} when missing. */
    public List<String> getAccessModes() {
        return accessModes;
    }

    /** Sets {@link #getAccessModes()}. */
    public void setAccessModes(List<String> accessModes) {
        this.accessModes = accessModes;
    }

    /** Size limit of the {@code emptyDir} ({@value #MEMORY} and {@value #DISK}); required for them. */
    public String getSizeLimit() {
        return sizeLimit;
    }

    /** Sets {@link #getSizeLimit()}. */
    public void setSizeLimit(String sizeLimit) {
        this.sizeLimit = sizeLimit;
    }
}
