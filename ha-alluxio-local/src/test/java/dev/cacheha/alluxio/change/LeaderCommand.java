package dev.cacheha.alluxio.change;

import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command run on whichever member discovery names leader, again while it fails (a leader that just changed, a CLI
 * that timed out), as a controller's retries would.
 *
 * @param election how long each attempt waits for discovery to name a leader
 * @param cli the deadline of one CLI call
 * @param retries how long to keep trying
 */
record LeaderCommand(Duration election, Duration cli, Duration retries) {

    /** The last attempt's result, and how many attempts ran. */
    record Outcome(PodExec.Result result, int attempts) {}

    /** Runs {@code argv} on the leader until it exits 0 or {@link #retries} have passed. */
    Outcome run(LocalAlluxioQuorum quorum, List<String> argv) {
        long end = System.nanoTime() + retries.toNanos();
        PodExec.Result last;
        int attempts = 0;
        do {
            attempts++;
            Member leader = quorum.awaitLeader(election).leader().orElseThrow();
            try {
                last = quorum.exec().exec(leader, AlluxioNames.CONTAINER, argv, cli)
                        .get(cli.toSeconds() + 5, TimeUnit.SECONDS);
                if (last.exitCode() == 0) {
                    return new Outcome(last, attempts);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + argv, interrupted);
            } catch (ExecutionException | TimeoutException notRun) {
                last = new PodExec.Result(-1, "", String.valueOf(notRun));
            }
        } while (System.nanoTime() < end);
        return new Outcome(last, attempts);
    }
}
