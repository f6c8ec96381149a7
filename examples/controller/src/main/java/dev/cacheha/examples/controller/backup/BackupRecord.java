package dev.cacheha.examples.controller.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Member;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;

/**
 * {@code status.backup} of a {@link CacheRuntimeBackup}: the {@link Backup} the provider verified, field by
 * field, so that a restore can hand exactly that backup back to the provider.
 *
 * @param engine the engine of the provider that planned it
 * @param namespace the namespace of the runtime it was taken from
 * @param runtime the runtime it was taken from
 * @param targetKind {@value #SHARED_VOLUME} or {@value #UNDER_STORAGE}
 * @param targetDirectory the directory the user named
 * @param location where the backup landed, as the engine reported it
 * @param takenBy the member that led and wrote it
 */
public record BackupRecord(String engine, String namespace, String runtime,
        @SchemaFrom(type = TargetKind.class) String targetKind, String targetDirectory, String location,
        TakenBy takenBy) {

    /** {@link #targetKind()} of a {@link BackupTarget.SharedVolume}. */
    public static final String SHARED_VOLUME = "SharedVolume";
    /** {@link #targetKind()} of a {@link BackupTarget.UnderStorage}. */
    public static final String UNDER_STORAGE = "UnderStorage";

    /** The target kinds, as the CRD's schema lists them. */
    private enum TargetKind {
        @JsonProperty(BackupRecord.SHARED_VOLUME) SHARED_VOLUME,
        @JsonProperty(BackupRecord.UNDER_STORAGE) UNDER_STORAGE
    }

    /** The record of {@code backup}. */
    public static BackupRecord of(Backup backup) {
        Member member = backup.takenBy();
        return new BackupRecord(backup.engine(), backup.namespace(), backup.runtime(),
                backup.target() instanceof BackupTarget.SharedVolume ? SHARED_VOLUME : UNDER_STORAGE,
                backup.target().directory(), backup.location(),
                new TakenBy(member.podName(), member.ordinal(), member.host()));
    }

    /**
     * The backup this records.
     *
     * @throws IllegalArgumentException if a field is missing or invalid (a status edited by hand)
     */
    public Backup toBackup() {
        if (takenBy == null || takenBy.ordinal() == null || targetKind == null) {
            throw new IllegalArgumentException("status.backup is incomplete: " + this);
        }
        BackupTarget target = switch (targetKind) {
            case SHARED_VOLUME -> new BackupTarget.SharedVolume(targetDirectory);
            case UNDER_STORAGE -> new BackupTarget.UnderStorage(targetDirectory);
            default -> throw new IllegalArgumentException("status.backup.targetKind is " + targetKind + ", not "
                    + SHARED_VOLUME + " or " + UNDER_STORAGE);
        };
        return new Backup(engine, namespace, runtime, target, location,
                new Member(takenBy.ordinal(), namespace, takenBy.pod(), takenBy.host()));
    }

    /**
     * {@code status.backup.takenBy}: the member that wrote the backup.
     *
     * @param pod the pod's name
     * @param ordinal the StatefulSet ordinal
     * @param host the pod's stable DNS name
     */
    public record TakenBy(String pod, @Min(0) Integer ordinal, String host) {
    }
}
