package dev.cacheha.spi;

/**
 * Finds out which member of a quorum leads. Obtained from
 * {@link HighAvailabilityProvider#leaderDiscovery(HaSpec, ClusterAccess)}; may be called repeatedly and from
 * several threads.
 */
@FunctionalInterface
public interface LeaderDiscovery {

    /**
     * Asks the members, all at once, and reports what they said. Never throws for a cluster problem: an
     * unreachable or confused quorum is an answer ({@link LeaderStatus.Health#NO_QUORUM},
     * {@link LeaderStatus.Health#UNKNOWN}). Returns within a bound the provider documents, however the members
     * behave: one access deadline when members answer over HTTP, plus the provider's own command deadlines
     * when it falls back to commands in pods (a command that starts a JVM needs seconds, not a probe's
     * deadline). Never names a leader that a majority of members does not stand behind
     * ({@link LeaderStatus#fromAnswers}).
     */
    LeaderStatus discover();
}
