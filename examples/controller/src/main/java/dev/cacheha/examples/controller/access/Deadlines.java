package dev.cacheha.examples.controller.access;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounds asynchronous work by a deadline and reports its failures as the caller's own, not stage wrappers. */
final class Deadlines {

    private Deadlines() {}

    /**
     * {@code work}, failed with a {@link TimeoutException} naming {@code what} if it is not done within
     * {@code deadline}; other failures surface as their cause (refused, reset, not found), not wrapped.
     */
    static <T> CompletableFuture<T> within(CompletableFuture<T> work, Duration deadline, String what) {
        return work.orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        failure instanceof TimeoutException
                                ? new TimeoutException(what + " did not finish within " + deadline.toMillis() + " ms")
                                : unwrap(failure)));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
