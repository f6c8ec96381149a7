package dev.cacheha.examples.controller.runtime;

import dev.cacheha.spi.LeaderStatus;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Objects;

/**
 * What the controller last saw of a {@link CacheRuntime}. Equal statuses are not written again, so a
 * reconcile that changes nothing sends no request that writes.
 */
@SchemaCustomizer(value = ConditionsSchema.class, input = "conditions")
public class CacheRuntimeStatus {

    private String leader;
    @SchemaFrom(type = LeaderStatus.Health.class)
    private String quorumHealth;
    private Long observedGeneration;
    private Integer replicas;
    private List<String> violations;
    private String message;
    private List<Condition> conditions;
    private ReplicaChangeProgress replicaChange;
    private List<String> blockedBy;
    private RestoreProgress restore;
    private StepProgress steps;
    private MemberRebuildProgress memberRebuild;

    /** The pod of the leading master, or missing when no single master leads. */
    public String getLeader() {
        return leader;
    }

    /** Sets {@link #getLeader()}. */
    public void setLeader(String leader) {
        this.leader = leader;
    }

    /** {@code HEALTHY}, {@code DEGRADED}, {@code NO_QUORUM} or {@code UNKNOWN}, as leader discovery judged it. */
    public String getQuorumHealth() {
        return quorumHealth;
    }

    /** Sets {@link #getQuorumHealth()}. */
    public void setQuorumHealth(String quorumHealth) {
        this.quorumHealth = quorumHealth;
    }

    /** The {@code metadata.generation} this status describes. */
    public Long getObservedGeneration() {
        return observedGeneration;
    }

    /** Sets {@link #getObservedGeneration()}. */
    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    /**
     * The size of the running quorum as the live StatefulSet states it; informative only. The controller never
     * plans from it: a replica change starts from the live StatefulSet, and one under way from
     * {@link #getReplicaChange()}.
     */
    public Integer getReplicas() {
        return replicas;
    }

    /** Sets {@link #getReplicas()}. */
    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    /** Every broken rule of the spec, each as {@code field: rule}; empty when the spec is valid. */
    public List<String> getViolations() {
        return violations;
    }

    /** Sets {@link #getViolations()}. */
    public void setViolations(List<String> violations) {
        this.violations = violations;
    }

    /** Why the last reconcile stopped short, such as a replica change step that failed; missing otherwise. */
    public String getMessage() {
        return message;
    }

    /** Sets {@link #getMessage()}. */
    public void setMessage(String message) {
        this.message = message;
    }

    /**
     * {@code Ready}, {@code QuorumHealthy}, {@code Progressing} and {@code BackupReady}, each with the
     * generation it describes; sorted by type.
     */
    public List<Condition> getConditions() {
        return conditions;
    }

    /** Sets {@link #getConditions()}. */
    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** The replica change under way (its steps' progress is {@link #getSteps()}); missing when none is. */
    public ReplicaChangeProgress getReplicaChange() {
        return replicaChange;
    }

    /** Sets {@link #getReplicaChange()}. */
    public void setReplicaChange(ReplicaChangeProgress replicaChange) {
        this.replicaChange = replicaChange;
    }

    /**
     * The objects with a planned name that this runtime does not control, each as {@code Kind name: why}; the
     * controller neither modifies nor adopts them and applies nothing while any exists. Sorted.
     */
    public List<String> getBlockedBy() {
        return blockedBy;
    }

    /** Sets {@link #getBlockedBy()}. */
    public void setBlockedBy(List<String> blockedBy) {
        this.blockedBy = blockedBy;
    }

    /** The restore requested by {@code spec.restore}: under way, refused, or done; missing when none is. */
    public RestoreProgress getRestore() {
        return restore;
    }

    /** Sets {@link #getRestore()}. */
    public void setRestore(RestoreProgress restore) {
        this.restore = restore;
    }

    /** The rebuild requested by {@code spec.memberRebuild}: under way, refused, or done; missing when none is. */
    public MemberRebuildProgress getMemberRebuild() {
        return memberRebuild;
    }

    /** Sets {@link #getMemberRebuild()}. */
    public void setMemberRebuild(MemberRebuildProgress memberRebuild) {
        this.memberRebuild = memberRebuild;
    }

    /** The progress of the steps of the operation under way, which a retry resumes from; missing when none runs. */
    public StepProgress getSteps() {
        return steps;
    }

    /** Sets {@link #getSteps()}. */
    public void setSteps(StepProgress steps) {
        this.steps = steps;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheRuntimeStatus that
                && Objects.equals(leader, that.leader)
                && Objects.equals(quorumHealth, that.quorumHealth)
                && Objects.equals(observedGeneration, that.observedGeneration)
                && Objects.equals(replicas, that.replicas)
                && Objects.equals(violations, that.violations)
                && Objects.equals(message, that.message)
                && Objects.equals(conditions, that.conditions)
                && Objects.equals(replicaChange, that.replicaChange)
                && Objects.equals(blockedBy, that.blockedBy)
                && Objects.equals(restore, that.restore)
                && Objects.equals(steps, that.steps)
                && Objects.equals(memberRebuild, that.memberRebuild);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leader, quorumHealth, observedGeneration, replicas, violations, message, conditions,
                replicaChange, blockedBy, restore, steps, memberRebuild);
    }

    @Override
    public String toString() {
        return "CacheRuntimeStatus{leader=" + leader + ", quorumHealth=" + quorumHealth + ", observedGeneration="
                + observedGeneration + ", replicas=" + replicas + ", violations=" + violations + ", message="
                + message + ", conditions=" + conditions + ", replicaChange=" + replicaChange + ", blockedBy="
                + blockedBy + ", restore=" + restore + ", steps=" + steps + ", memberRebuild="
                + memberRebuild + "}";
    }
}
