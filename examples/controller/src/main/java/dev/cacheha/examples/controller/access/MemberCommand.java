package dev.cacheha.examples.controller.access;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts one command in a member's pod through a {@link ClusterAccess}, bounded by the access's deadline. */
public final class MemberCommand {

    private MemberCommand() {}

    /**
     * Runs {@code argv} in {@code container} of {@code member}'s pod; the future completes with how it exited,
     * whatever the exit code, or fails with a {@link CommandNotRunException} if the command could not run or did
     * not finish within the access's deadline. Nothing waits for it on the calling thread.
     */
    public static CompletableFuture<PodExec.Result> start(ClusterAccess access, Member member, String container,
            List<String> argv) {
        CompletableFuture<PodExec.Result> started;
        try {
            started = access.exec().exec(member, container, argv, access.deadline());
        } catch (RuntimeException refused) {
            started = CompletableFuture.failedFuture(refused);
        }
        // The exec port bounds itself by the deadline; the margin only guards against one that does not.
        return started.orTimeout(access.deadline().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, failure) -> {
                    if (failure == null) {
                        return result;
                    }
                    Throwable cause = unwrapped(failure);
                    throw cause instanceof TimeoutException
                            ? new CommandNotRunException(argv + " in " + member.podName() + " did not finish in time"
                                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause)
                            : new CommandNotRunException(argv + " could not run in " + member.podName() + ": "
                                    + cause.getMessage(), cause);
                });
    }

    /** Why {@code failure} of a {@link #start}ed command happened, as the {@link CommandNotRunException} it is. */
    public static CommandNotRunException notRun(Throwable failure) {
        Throwable cause = unwrapped(failure);
        return cause instanceof CommandNotRunException notRun ? notRun
                : new CommandNotRunException(String.valueOf(cause.getMessage()), cause);
    }

    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** A command that did not run to its end: exec refused, failed or timed out. */
    public static final class CommandNotRunException extends RuntimeException {
        CommandNotRunException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
