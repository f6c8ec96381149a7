package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * {@code spec.journal} of a CacheRuntime: a claim per master ({@value #PVC}) or an {@code emptyDir} in memory
 * ({@value #MEMORY}) or on the node's disk ({@value #DISK}). Every field may be missing.
 *
 * @param type {@value #PVC}, {@value #MEMORY} or {@value #DISK}; {@value #PVC} when missing
 * @param storageClass storage class of the claims ({@value #PVC} only); {@code standard} when missing
 * @param size requested capacity of each claim ({@value #PVC} only), such as {@code 10Gi}; 10Gi when missing
 * @param accessModes access modes of the claims ({@value #PVC} only); {@code ReadWriteOnce} when missing
 * @param sizeLimit size limit of the {@code emptyDir} ({@value #MEMORY} and {@value #DISK}); required for them
 */
// The rules of single fields stand on the type: on a record component the generator would find them twice (on the
// field and on the accessor), and fieldPath still names the field in the API server's refusal.
@ValidationRule(value = "!has(self.type) || self.type in ['pvc', 'memory', 'disk']",
        message = "must be pvc, memory or disk", fieldPath = ".type")
@ValidationRule(value = "!has(self.accessModes) || self.accessModes.all(mode, mode in ['ReadWriteOnce',"
        + " 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])", message = "each access mode must be"
        + " ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod", fieldPath = ".accessModes")
public record JournalSpec(
        String type,
        @Size(max = 253) String storageClass,
        @Pattern(JournalSpec.QUANTITY) String size,
        @Size(max = 4) List<String> accessModes,
        @Pattern(JournalSpec.QUANTITY) String sizeLimit) {

    /** {@link #type()} of a journal on a PersistentVolumeClaim per master. */
    public static final String PVC = "pvc";
    /** {@link #type()} of a journal in a memory-backed {@code emptyDir}. */
    public static final String MEMORY = "memory";
    /** {@link #type()} of a journal in a disk-backed {@code emptyDir}. */
    public static final String DISK = "disk";

    /** A quantity as Kubernetes writes one, such as {@code 10Gi} or {@code 500M}. */
    static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";
}
