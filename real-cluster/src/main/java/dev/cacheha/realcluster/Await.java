package dev.cacheha.realcluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition on a real cluster within a budget: it is asked again every {@link #POLL} until it
 * holds, and a timeout names what was awaited, the budget and what the caller reports about the state.
 */
public final class Await {

    /** The budget of every wait on the real cluster unless said otherwise: enough beside two CPU burners. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(120);

    /** How long between two questions. */
    public static final Duration POLL = Duration.ofMillis(200);

    private Await() {}

    /**
     * Returns once {@code condition} holds. A condition that fails to reach the server (an {@link UncheckedIOException}
     * or a {@link KubernetesClientException}) counts as not holding yet: a server that is still starting
     * refuses connections. Any other exception ends the wait at once.
     *
     * @param what what is awaited, for the message of a timeout ("3 nodes Ready")
     * @param budget how long to wait at most
     * @param condition the condition, asked until it holds
     * @param state what to report about the current state when the budget runs out
     * @throws IllegalStateException when the budget runs out, with {@code what}, the budget, the state and the
     *     last exception the condition threw
     */
    public static void until(String what, Duration budget, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + budget.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (UncheckedIOException | KubernetesClientException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                IllegalStateException timeout = new IllegalStateException("not within " + budget.toSeconds()
                        + " s: " + what + "; " + state.get());
                if (last != null) {
                    timeout.addSuppressed(last);
                }
                throw timeout;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** {@link #until(String, Duration, BooleanSupplier, Supplier)} with the {@link #DEFAULT_BUDGET}. */
    public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        until(what, DEFAULT_BUDGET, condition, state);
    }
}
