package dev.cacheha.examples.controller.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Member;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * {@code status.backup} of a {@link CacheRuntimeBackup}: the {@link Backup} the provider verified, field by
 * field, so that a restore can hand exactly that backup back to the provider.
 */
public class BackupRecord {

    /** {@link #getTargetKind()} of a {@link BackupTarget.SharedVolume}. */
    public static final String SHARED_VOLUME = "SharedVolume";
    /** {@link #getTargetKind()} of a {@link BackupTarget.UnderStorage}. */
    public static final String UNDER_STORAGE = "UnderStorage";

    private String engine;
    private String namespace;
    private String runtime;
    @SchemaFrom(type = TargetKind.class)
    private String targetKind;
    private String targetDirectory;
    private String location;
    private TakenBy takenBy;

    /** The target kinds, as the CRD's schema lists them. */
    private enum TargetKind {
        @JsonProperty(BackupRecord.SHARED_VOLUME) SHARED_VOLUME,
        @JsonProperty(BackupRecord.UNDER_STORAGE) UNDER_STORAGE
    }

    /** Creates an empty record, for deserialization. */
    public BackupRecord() {}

    /** The record of {@code backup}. */
    public static BackupRecord of(Backup backup) {
        BackupRecord record = new BackupRecord();
        record.engine = backup.engine();
        record.namespace = backup.namespace();
        record.runtime = backup.runtime();
        record.targetKind = backup.target() instanceof BackupTarget.SharedVolume ? SHARED_VOLUME : UNDER_STORAGE;
        record.targetDirectory = backup.target().directory();
        record.location = backup.location();
        record.takenBy = new TakenBy(backup.takenBy());
        return record;
    }

    /**
     * The backup this records.
     *
     * @throws IllegalArgumentException if a field is missing or invalid (a status edited by hand)
     */
    public Backup toBackup() {
        if (takenBy == null || takenBy.ordinal == null || targetKind == null) {
            throw new IllegalArgumentException("status.backup is incomplete: " + this);
        }
        BackupTarget target = switch (targetKind) {
            case SHARED_VOLUME -> new BackupTarget.SharedVolume(targetDirectory);
            case UNDER_STORAGE -> new BackupTarget.UnderStorage(targetDirectory);
            default -> throw new IllegalArgumentException("status.backup.targetKind is " + targetKind + ", not "
                    + SHARED_VOLUME + " or " + UNDER_STORAGE);
        };
        return new Backup(engine, namespace, runtime, target, location,
                new Member(takenBy.ordinal, namespace, takenBy.pod, takenBy.host));
    }

    /** The engine of the provider that planned it. */
    public String getEngine() {
        return engine;
    }

    /** Sets {@link #getEngine()}. */
    public void setEngine(String engine) {
        this.engine = engine;
    }

    /** The namespace of the runtime it was taken from. */
    public String getNamespace() {
        return namespace;
    }

    /** Sets {@link #getNamespace()}. */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** The runtime it was taken from. */
    public String getRuntime() {
        return runtime;
    }

    /** Sets {@link #getRuntime()}. */
    public void setRuntime(String runtime) {
        this.runtime = runtime;
    }

    /** {@value #SHARED_VOLUME} or {@value #UNDER_STORAGE}. */
    public String getTargetKind() {
        return targetKind;
    }

    /** Sets {@link #getTargetKind()}. */
    public void setTargetKind(String targetKind) {
        this.targetKind = targetKind;
    }

    /** The directory the user named. */
    public String getTargetDirectory() {
        return targetDirectory;
    }

    /** Sets {@link #getTargetDirectory()}. */
    public void setTargetDirectory(String targetDirectory) {
        this.targetDirectory = targetDirectory;
    }

    /** Where the backup landed, as the engine reported it. */
    public String getLocation() {
        return location;
    }

    /** Sets {@link #getLocation()}. */
    public void setLocation(String location) {
        this.location = location;
    }

    /** The member that led and wrote it. */
    public TakenBy getTakenBy() {
        return takenBy;
    }

    /** Sets {@link #getTakenBy()}. */
    public void setTakenBy(TakenBy takenBy) {
        this.takenBy = takenBy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BackupRecord that && Objects.equals(engine, that.engine)
                && Objects.equals(namespace, that.namespace) && Objects.equals(runtime, that.runtime)
                && Objects.equals(targetKind, that.targetKind) && Objects.equals(targetDirectory, that.targetDirectory)
                && Objects.equals(location, that.location) && Objects.equals(takenBy, that.takenBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(engine, namespace, runtime, targetKind, targetDirectory, location, takenBy);
    }

    @Override
    public String toString() {
        return "BackupRecord{" + engine + " " + namespace + "/" + runtime + ", " + targetKind + " "
                + targetDirectory + ", location=" + location + ", takenBy=" + takenBy + "}";
    }

    /** {@code status.backup.takenBy}: the member that wrote the backup. */
    public static class TakenBy {

        private String pod;
        @Min(0)
        private Integer ordinal;
        private String host;

        /** Creates an empty one, for deserialization. */
        public TakenBy() {}

        TakenBy(Member member) {
            this.pod = member.podName();
            this.ordinal = member.ordinal();
            this.host = member.host();
        }

        /** The pod's name. */
        public String getPod() {
            return pod;
        }

        /** Sets {@link #getPod()}. */
        public void setPod(String pod) {
            this.pod = pod;
        }

        /** The StatefulSet ordinal. */
        public Integer getOrdinal() {
            return ordinal;
        }

        /** Sets {@link #getOrdinal()}. */
        public void setOrdinal(Integer ordinal) {
            this.ordinal = ordinal;
        }

        /** The pod's stable DNS name. */
        public String getHost() {
            return host;
        }

        /** Sets {@link #getHost()}. */
        public void setHost(String host) {
            this.host = host;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TakenBy that && Objects.equals(pod, that.pod)
                    && Objects.equals(ordinal, that.ordinal) && Objects.equals(host, that.host);
        }

        @Override
        public int hashCode() {
            return Objects.hash(pod, ordinal, host);
        }

        @Override
        public String toString() {
            return pod;
        }
    }
}
