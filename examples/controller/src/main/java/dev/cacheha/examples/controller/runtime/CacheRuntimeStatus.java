package dev.cacheha.examples.controller.runtime;

import java.util.List;
import java.util.Objects;

/**
 * What the controller last saw of a {@link CacheRuntime}. Equal statuses are not written again, so a
 * reconcile that changes nothing sends no request that writes.
 */
public class CacheRuntimeStatus {

    private String leader;
    private String quorumHealth;
    private Long observedGeneration;
    private Integer replicas;
    private List<String> violations;
    private String message;

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
     * The size of the quorum the controller last established. A replica change starts from it, so a change
     * that failed halfway is taken up again by the next reconcile.
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

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheRuntimeStatus that
                && Objects.equals(leader, that.leader)
                && Objects.equals(quorumHealth, that.quorumHealth)
                && Objects.equals(observedGeneration, that.observedGeneration)
                && Objects.equals(replicas, that.replicas)
                && Objects.equals(violations, that.violations)
                && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leader, quorumHealth, observedGeneration, replicas, violations, message);
    }

    @Override
    public String toString() {
        return "CacheRuntimeStatus{leader=" + leader + ", quorumHealth=" + quorumHealth + ", observedGeneration="
                + observedGeneration + ", replicas=" + replicas + ", violations=" + violations + ", message="
                + message + "}";
    }
}
