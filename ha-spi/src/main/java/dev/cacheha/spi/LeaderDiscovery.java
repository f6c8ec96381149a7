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
     * {@link LeaderStatus.Health#UNKNOWN}). Returns within a small multiple of the access deadline, however
     * the members behave.
     */
    LeaderStatus discover();
}
