package dev.cacheha.examples.controller.fake;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition within a budget, looking often, for tests on a busy machine. */
public final class Eventually {

    private Eventually() {}

    /**
     * The first non-null value of {@code check} within {@code budget}.
     *
     * @throws AssertionError naming {@code what} when the budget runs out
     */
    public static <T> T within(Duration budget, String what, Supplier<T> check) {
        return within(budget, Duration.ofMillis(10), what, check);
    }

    /**
     * The first non-null value of {@code check} within {@code budget}, looking every {@code pause}: for checks
     * that cost the server a lot (listing a thousand runtimes).
     *
     * @throws AssertionError naming {@code what} when the budget runs out
     */
    public static <T> T within(Duration budget, Duration pause, String what, Supplier<T> check) {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + budget.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, interrupted);
            }
        }
    }
}
