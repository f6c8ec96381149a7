package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Everything a provider may use to look at a running quorum: the controller's probe and exec ports and the
 * deadline for each single call. Providers get nothing else: no Kubernetes client, no sockets of their own.
 *
 * @param probe HTTP access to members
 * @param exec command execution in member pods; {@link PodExec#unavailable()} if the controller has none
 * @param deadline how long one probe or one command may take
 */
public record ClusterAccess(MemberProbe probe, PodExec exec, Duration deadline) {

    /**
     * The deadline of {@link #of(MemberProbe, PodExec)}: long enough for a loaded JVM, short enough for a
     * reconcile.
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(2);

    public ClusterAccess {
        requireNonNull(probe, "probe");
        requireNonNull(exec, "exec");
        requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
    }

    /** Access with the {@linkplain #DEFAULT_DEADLINE default deadline}. */
    public static ClusterAccess of(MemberProbe probe, PodExec exec) {
        return new ClusterAccess(probe, exec, DEFAULT_DEADLINE);
    }

    /** This access with another per-call deadline. */
    public ClusterAccess withDeadline(Duration newDeadline) {
        return new ClusterAccess(probe, exec, newDeadline);
    }
}
