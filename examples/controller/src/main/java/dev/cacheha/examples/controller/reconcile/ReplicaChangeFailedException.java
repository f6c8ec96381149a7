package dev.cacheha.examples.controller.reconcile;

/** A replica change stopped at a step; the message names the step and why it failed. */
public final class ReplicaChangeFailedException extends RuntimeException {

    ReplicaChangeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
