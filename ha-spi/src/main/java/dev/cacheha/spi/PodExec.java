package dev.cacheha.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a provider runs a command in a member's pod; supplied by the controller. Commands are an argument
 * vector, never a shell string, so no value can be interpreted by a shell.
 *
 * <p>Implementations return at once; the future fails when the command could not be run or did not finish
 * before {@code deadline}. A command that ran and failed completes normally with its exit code.
 */
@FunctionalInterface
public interface PodExec {

    /**
     * Runs {@code argv} in {@code container} of {@code member}'s pod.
     *
     * @param member the member whose pod runs the command
     * @param container the container's name
     * @param argv the program and its arguments; never empty
     * @param deadline how long the command may run
     * @return what the command printed and how it exited
     */
    CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline);

    /** A {@code PodExec} for controllers that cannot exec into pods: every call fails. */
    static PodExec unavailable() {
        return (member, container, argv, deadline) ->
                CompletableFuture.failedFuture(new IOException("pod exec is not available to this controller"));
    }

    /**
     * What a command did.
     *
     * @param exitCode the process's exit code
     * @param stdout its standard output
     * @param stderr its standard error
     */
    record Result(int exitCode, String stdout, String stderr) {
        public Result {
            java.util.Objects.requireNonNull(stdout, "stdout");
            java.util.Objects.requireNonNull(stderr, "stderr");
        }
    }
}
