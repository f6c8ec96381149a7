package dev.cacheha.examples.controller.runtime;

import java.util.Objects;

/**
 * {@code status.replicaChange} of a {@link CacheRuntime}: how far a multi-step replica change has come, so
 * that a reconcile that stops halfway (a restart, a conflict, an API error) is resumed at the step it
 * stopped at, toward the same size, instead of being planned again from a size read off a status field.
 */
public class ReplicaChangeProgress {

    private Integer fromReplicas;
    private Integer toReplicas;
    private Integer nextStep;
    private String nextStepDescription;

    /** Creates an empty record, for deserialization. */
    public ReplicaChangeProgress() {}

    /** A change from {@code from} to {@code to} masters whose next step is {@code nextStep} (0-based). */
    public ReplicaChangeProgress(int from, int to, int nextStep, String nextStepDescription) {
        this.fromReplicas = from;
        this.toReplicas = to;
        this.nextStep = nextStep;
        this.nextStepDescription = nextStepDescription;
    }

    /** The quorum size the change started from, read off the live StatefulSet when it began. */
    public Integer getFromReplicas() {
        return fromReplicas;
    }

    /** Sets {@link #getFromReplicas()}. */
    public void setFromReplicas(Integer fromReplicas) {
        this.fromReplicas = fromReplicas;
    }

    /** The quorum size the change goes to. */
    public Integer getToReplicas() {
        return toReplicas;
    }

    /** Sets {@link #getToReplicas()}. */
    public void setToReplicas(Integer toReplicas) {
        this.toReplicas = toReplicas;
    }

    /** The index of the first step not yet completed, in the provider's replica-change plan. */
    public Integer getNextStep() {
        return nextStep;
    }

    /** Sets {@link #getNextStep()}. */
    public void setNextStep(Integer nextStep) {
        this.nextStep = nextStep;
    }

    /** What that step does, for a human reading the status. */
    public String getNextStepDescription() {
        return nextStepDescription;
    }

    /** Sets {@link #getNextStepDescription()}. */
    public void setNextStepDescription(String nextStepDescription) {
        this.nextStepDescription = nextStepDescription;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplicaChangeProgress that
                && Objects.equals(fromReplicas, that.fromReplicas)
                && Objects.equals(toReplicas, that.toReplicas)
                && Objects.equals(nextStep, that.nextStep)
                && Objects.equals(nextStepDescription, that.nextStepDescription);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fromReplicas, toReplicas, nextStep, nextStepDescription);
    }

    @Override
    public String toString() {
        return "ReplicaChangeProgress{" + fromReplicas + " -> " + toReplicas + ", nextStep=" + nextStep + " ("
                + nextStepDescription + ")}";
    }
}
