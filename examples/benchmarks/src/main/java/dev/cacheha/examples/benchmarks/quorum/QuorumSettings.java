package dev.cacheha.examples.benchmarks.quorum;

import java.time.Duration;

/**
 * How much the real-quorum benchmark measures. The defaults are the minimums or more.
 *
 * @param discoveryCalls timed calls of our leader discovery on a healthy quorum
 * @param cliCalls timed runs of each Alluxio CLI command
 * @param failoverRounds leader kills
 * @param silentMemberCalls timed discovery calls while one member is a server that never answers
 * @param probeDeadline the access deadline of every discovery call, the controller's default
 * @param pollPause the pause between two polls, ours and Alluxio's client's alike, while waiting for a failover
 * @param warmUpCalls untimed calls of each kind before timing: class loading and JIT are not what is measured
 */
public record QuorumSettings(
        int discoveryCalls,
        int cliCalls,
        int failoverRounds,
        int silentMemberCalls,
        Duration probeDeadline,
        Duration pollPause,
        int warmUpCalls) {

    public QuorumSettings {
        if (discoveryCalls < 1 || cliCalls < 1 || failoverRounds < 1 || silentMemberCalls < 1 || warmUpCalls < 0) {
            throw new IllegalArgumentException("every count must be at least 1 (warm-up at least 0)");
        }
        if (probeDeadline.isNegative() || probeDeadline.isZero() || pollPause.isNegative()) {
            throw new IllegalArgumentException("the deadline must be positive and the pause not negative");
        }
    }

    /** The published run: issue 7's minimums (200 discoveries, 10 CLI calls each, 5 failovers) or more. */
    public static QuorumSettings published() {
        return new QuorumSettings(300, 12, 6, 20, Duration.ofSeconds(2), Duration.ofMillis(20), 20);
    }

    /** For the report: what ran how often. */
    public String describe() {
        return discoveryCalls + " discovery calls, " + cliCalls + " runs of each CLI command, " + failoverRounds
                + " failover rounds, " + silentMemberCalls + " discovery calls with a silent member; probe deadline "
                + probeDeadline.toMillis() + " ms, " + pollPause.toMillis() + " ms between polls while waiting for "
                + "a failover, " + warmUpCalls + " untimed warm-up calls of discovery (1 of each CLI command)";
    }
}
