package dev.cacheha.examples.controller.runtime;

import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * {@code status.steps} of a {@link CacheRuntime}: the one record a retry resumes from, whichever operation's steps
 * run (a replica change, a restore, a member rebuild). Written before an operation's first step and after each one,
 * so a reconcile that stops halfway (a restart, a conflict, an API error, a new leader) resumes at the step it
 * stopped at; missing when no operation runs. A record of another operation is never resumed: the steps restart
 * from the first when {@link #getOperation()} names another.
 */
public class StepProgress {

    private String operation;
    @Min(0)
    private Integer nextStep;
    private String stepDescription;

    /** Creates an empty record, for deserialization. */
    public StepProgress() {}

    /** The operation {@code operation} whose next step is {@code nextStep} (0-based). */
    public StepProgress(String operation, int nextStep, String stepDescription) {
        this.operation = operation;
        this.nextStep = nextStep;
        this.stepDescription = stepDescription;
    }

    /** Whether this records the steps of {@code operation}. */
    public boolean of(String operation) {
        return Objects.equals(this.operation, operation);
    }

    /** Which operation's steps run, such as {@code replica change 3 -> 5} or {@code restore from nightly (uid)}. */
    public String getOperation() {
        return operation;
    }

    /** Sets {@link #getOperation()}. */
    public void setOperation(String operation) {
        this.operation = operation;
    }

    /** The index (from 0) of the first step of the provider's plan not yet done. */
    public Integer getNextStep() {
        return nextStep;
    }

    /** Sets {@link #getNextStep()}. */
    public void setNextStep(Integer nextStep) {
        this.nextStep = nextStep;
    }

    /** What that step does, for a human reading the status. */
    public String getStepDescription() {
        return stepDescription;
    }

    /** Sets {@link #getStepDescription()}. */
    public void setStepDescription(String stepDescription) {
        this.stepDescription = stepDescription;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StepProgress that && Objects.equals(operation, that.operation)
                && Objects.equals(nextStep, that.nextStep) && Objects.equals(stepDescription, that.stepDescription);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operation, nextStep, stepDescription);
    }

    @Override
    public String toString() {
        return "StepProgress{" + operation + ", nextStep=" + nextStep + " (" + stepDescription + ")}";
    }
}
