package dev.cacheha.examples.controller.access;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs one command in a member's pod through a {@link ClusterAccess} and waits for it, boundedly. */
public final class MemberCommand {

    private MemberCommand() {}

    /**
     * Runs {@code argv} in {@code container} of {@code member}'s pod and returns how it exited, whatever the
     * exit code.
     *
     * @throws CommandNotRunException if the command could not run or did not finish within the access's
     *     deadline
     */
    public static PodExec.Result run(ClusterAccess access, Member member, String container, List<String> argv) {
        try {
            // The exec port bounds itself by the deadline; the margin only guards against one that does not.
            return access.exec().exec(member, container, argv, access.deadline())
                    .get(access.deadline().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            throw new CommandNotRunException(argv + " could not run in " + member.podName() + ": "
                    + failed.getCause().getMessage(), failed.getCause());
        } catch (TimeoutException late) {
            throw new CommandNotRunException(argv + " in " + member.podName() + " did not finish in time", late);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CommandNotRunException("interrupted while running " + argv + " in " + member.podName(),
                    interrupted);
        }
    }

    /** A command that did not run to its end: exec refused, failed or timed out. */
    public static final class CommandNotRunException extends RuntimeException {
        CommandNotRunException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
