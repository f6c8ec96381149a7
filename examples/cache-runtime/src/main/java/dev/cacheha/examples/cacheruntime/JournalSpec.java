package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * {@code spec.journal} of a CacheRuntime: a claim per master ({@value #PVC}) or an {@code emptyDir}
 * in memory ({@value #MEMORY}) or on the node's disk ({@value #DISK}).
 */
public class JournalSpec {

    /** {@link #getType()} of a journal on a PersistentVolumeClaim per master. */
    public static final String PVC = "pvc";
    /** {@link #getType()} of a journal in a memory-backed {@code emptyDir}. */
    public static final String MEMORY = "memory";
    /** {@link #getType()} of a journal in a disk-backed {@code emptyDir}. */
    public static final String DISK = "disk";

    /** A quantity as Kubernetes writes one, such as {@code 10Gi} or {@code 500M}. */
    private static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

    @ValidationRule(value = "self in ['pvc', 'memory', 'disk']", message = "must be pvc, memory or disk")
    private String type;
    @Size(max = 253)
    private String storageClass;
    @Pattern(QUANTITY)
    private String size;
    @Size(max = 4)
    @ValidationRule(value = "self.all(mode, mode in ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany',"
            + " 'ReadWriteOncePod'])", message = "each access mode must be ReadWriteOnce, ReadOnlyMany,"
            + " ReadWriteMany or ReadWriteOncePod")
    private List<String> accessModes;
    @Pattern(QUANTITY)
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
