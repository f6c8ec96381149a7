package dev.cacheha.examples.controller.runtime;

import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * {@code status.steps} of a {@link CacheRuntime}: the one record a retry resumes from, whichever operation's steps
 * run (a replica change, a restore, a member rebuild). Written before an operation's first step and after each one,
 * so a reconcile that stops halfway (a restart, a conflict, an API error, a new leader) resumes at the step it
 * stopped at; missing when no operation runs. A record of another operation is never resumed: the steps restart
 * from the first when {@link #operation()} names another.
 *
 * @param operation which operation's steps run, such as {@code replica change 3 -> 5} or
 *     {@code restore from nightly (uid)}
 * @param nextStep the index (from 0) of the first step of the provider's plan not yet done
 * @param stepDescription what that step does, for a human reading the status
 */
public record StepProgress(String operation, @Min(0) Integer nextStep, String stepDescription) {

    /** Whether this records the steps of {@code operation}. */
    public boolean of(String operation) {
        return Objects.equals(this.operation, operation);
    }
}
