package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where each master keeps its raft journal.
 *
 * <p>A {@link PersistentVolume} journal survives pod restarts and rescheduling: the StatefulSet creates one
 * claim per master, and the claims are deleted with the runtime. An {@link EmptyDir} journal lives and dies
 * with the pod: cheap and fast, but a quorum that loses a majority of pods at once loses its metadata.
 *
 * <p>Quantities are kept as the strings the user wrote; they are checked, with every other rule, when the
 * {@link HaSpec} that holds them is built, so one error report covers the whole spec.
 */
public sealed interface JournalStorage permits JournalStorage.PersistentVolume, JournalStorage.EmptyDir {

    /** The storage class used when none is given, as in Fluid's charts. */
    String DEFAULT_STORAGE_CLASS = "standard";

    /** The access mode used when none is given: each master has its own claim. */
    String DEFAULT_ACCESS_MODE = "ReadWriteOnce";

    /** A persistent journal of {@code size} in the default storage class, {@code ReadWriteOnce}. */
    static PersistentVolume persistentVolume(String size) {
        return new PersistentVolume(null, size, null);
    }

    /** A journal in memory ({@code emptyDir} with {@code medium: Memory}), capped at {@code sizeLimit}. */
    static EmptyDir memory(String sizeLimit) {
        return new EmptyDir(EmptyDir.Medium.MEMORY, sizeLimit);
    }

    /** A journal on the node's disk that lives as long as the pod ({@code emptyDir}), capped at {@code sizeLimit}. */
    static EmptyDir disk(String sizeLimit) {
        return new EmptyDir(EmptyDir.Medium.DISK, sizeLimit);
    }

    /**
     * A journal on a PersistentVolumeClaim per master.
     *
     * @param storageClass storage class of the claims; {@code null} means {@value #DEFAULT_STORAGE_CLASS}
     * @param size requested capacity, a Kubernetes quantity such as {@code 10Gi}
     * @param accessModes access modes of the claims; {@code null} or empty means {@value #DEFAULT_ACCESS_MODE}
     */
    record PersistentVolume(String storageClass, String size, List<String> accessModes) implements JournalStorage {

        public PersistentVolume {
            storageClass = Objects.requireNonNullElse(storageClass, DEFAULT_STORAGE_CLASS);
            requireNonNull(size, "size");
            accessModes = accessModes == null || accessModes.isEmpty()
                    ? List.of(DEFAULT_ACCESS_MODE)
                    : List.copyOf(accessModes);
        }

        /**
         * The StatefulSet claim template for this journal: one claim per master, named
         * {@code <templateName>-<statefulset>-<ordinal>} by Kubernetes, carrying {@code labels} and
         * {@link RuntimeLabels#DELETE_CLAIM}{@code ="true"}, which Kubernetes copies onto every claim so the
         * retention is visible on the claim itself.
         *
         * @param templateName the template's (and the journal volume's) name
         * @param labels the runtime's labels
         */
        public PersistentVolumeClaim claimTemplate(String templateName, Map<String, String> labels) {
            return new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(templateName)
                    .withLabels(new TreeMap<>(labels))
                    .addToAnnotations(RuntimeLabels.DELETE_CLAIM, "true")
                    .endMetadata()
                    .withNewSpec()
                    .withStorageClassName(storageClass)
                    .withAccessModes(accessModes)
                    .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                    .endSpec()
                    .build();
        }

        /** A copy in another storage class. */
        public PersistentVolume withStorageClass(String newStorageClass) {
            return new PersistentVolume(newStorageClass, size, accessModes);
        }

        /** A copy with other access modes. */
        public PersistentVolume withAccessModes(List<String> newAccessModes) {
            return new PersistentVolume(storageClass, size, newAccessModes);
        }
    }

    /**
     * A journal in an {@code emptyDir} volume.
     *
     * @param medium memory (tmpfs, counted against the pod's memory) or the node's disk
     * @param sizeLimit the volume's size limit, a Kubernetes quantity such as {@code 2Gi}
     */
    record EmptyDir(Medium medium, String sizeLimit) implements JournalStorage {

        public EmptyDir {
            requireNonNull(medium, "medium");
            requireNonNull(sizeLimit, "sizeLimit");
        }

        /** The backing of an {@code emptyDir}. */
        public enum Medium {
            /** tmpfs: {@code medium: Memory}. */
            MEMORY("Memory"),
            /** the node's disk: the default, empty medium. */
            DISK("");

            private final String kubernetesValue;

            Medium(String kubernetesValue) {
                this.kubernetesValue = kubernetesValue;
            }

            /** The value of {@code emptyDir.medium} in a pod spec. */
            public String kubernetesValue() {
                return kubernetesValue;
            }
        }
    }
}
