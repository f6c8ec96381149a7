package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How long the controller waits for the cluster to reach a state (a quorum, a restarted pod) and how often it
 * looks. Every wait ends by the timeout, so one stuck member cannot hold a reconcile forever.
 *
 * @param timeout the longest wait
 * @param interval the pause between two looks
 */
public record BoundedWait(Duration timeout, Duration interval) {

    public BoundedWait {
        requireNonNull(timeout, "timeout");
        requireNonNull(interval, "interval");
        if (timeout.isNegative() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("timeout must not be negative and interval must be positive: "
                    + timeout + ", " + interval);
        }
    }

    /**
     * Looks with {@code check} until it finds something, at least once.
     *
     * @param what what is awaited, for the timeout's message
     * @param check empty while the state is not reached
     * @param lastSeen what was last seen, for the timeout's message
     * @throws WaitTimedOutException if the timeout passes first
     */
    public <T> T until(String what, Supplier<Optional<T>> check, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = check.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new WaitTimedOutException("gave up waiting for " + what + " after " + timeout.toMillis()
                        + " ms; last seen: " + lastSeen.get());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new WaitTimedOutException("interrupted while waiting for " + what);
            }
        }
    }

    /** A wait that ended without reaching its state. */
    public static final class WaitTimedOutException extends RuntimeException {
        WaitTimedOutException(String message) {
            super(message);
        }
    }
}
