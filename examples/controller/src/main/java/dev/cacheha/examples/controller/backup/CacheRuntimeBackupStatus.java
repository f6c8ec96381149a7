package dev.cacheha.examples.controller.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cacheha.examples.controller.runtime.ConditionsSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/** What became of a {@link CacheRuntimeBackup}. */
@SchemaCustomizer(value = ConditionsSchema.class, input = "conditions")
public class CacheRuntimeBackupStatus {

    /** Not taken yet: the runtime is missing, has no leader, or is being restored. Looked at again. */
    public static final String PENDING = "Pending";
    /** The command was started on the leader; recorded before it starts. */
    public static final String RUNNING = "Running";
    /** Taken and verified; {@link #getBackup()} says where. Never run again. */
    public static final String SUCCEEDED = "Succeeded";
    /** Tried and yielded no backup, or the spec breaks a rule. Never run again. */
    public static final String FAILED = "Failed";

    /** The phases, as the CRD's schema lists them. */
    private enum Phase {
        @JsonProperty(CacheRuntimeBackupStatus.PENDING) PENDING,
        @JsonProperty(CacheRuntimeBackupStatus.RUNNING) RUNNING,
        @JsonProperty(CacheRuntimeBackupStatus.SUCCEEDED) SUCCEEDED,
        @JsonProperty(CacheRuntimeBackupStatus.FAILED) FAILED
    }

    @SchemaFrom(type = Phase.class)
    private String phase;
    private BackupRecord backup;
    private String message;
    private Long observedGeneration;
    private List<Condition> conditions;

    /** {@value #PENDING}, {@value #RUNNING}, {@value #SUCCEEDED} or {@value #FAILED}. */
    public String getPhase() {
        return phase;
    }

    /** Sets {@link #getPhase()}. */
    public void setPhase(String phase) {
        this.phase = phase;
    }

    /** Whether the backup is done with, either way: a finished backup never runs again. */
    public boolean finished() {
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }

    /** The backup taken, once {@value #SUCCEEDED}. */
    public BackupRecord getBackup() {
        return backup;
    }

    /** Sets {@link #getBackup()}. */
    public void setBackup(BackupRecord backup) {
        this.backup = backup;
    }

    /** Why it waits, where it runs, or why it failed. */
    public String getMessage() {
        return message;
    }

    /** Sets {@link #getMessage()}. */
    public void setMessage(String message) {
        this.message = message;
    }

    /** The {@code metadata.generation} this status describes. */
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    /** Sets {@link #getObservedGeneration()}. */
    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    /** {@code Succeeded}, with the generation it describes. */
    public List<Condition> getConditions() {
        return conditions;
    }

    /** Sets {@link #getConditions()}. */
    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheRuntimeBackupStatus that && Objects.equals(phase, that.phase)
                && Objects.equals(backup, that.backup) && Objects.equals(message, that.message)
                && Objects.equals(observedGeneration, that.observedGeneration)
                && Objects.equals(conditions, that.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, backup, message, observedGeneration, conditions);
    }

    @Override
    public String toString() {
        return "CacheRuntimeBackupStatus{phase=" + phase + ", backup=" + backup + ", message=" + message + "}";
    }
}
