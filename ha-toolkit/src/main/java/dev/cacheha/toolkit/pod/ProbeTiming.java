package dev.cacheha.toolkit.pod;

import io.fabric8.kubernetes.api.model.Probe;

/**
 * The timing of one Kubernetes probe, in the probe's own fields.
 *
 * @param initialDelaySeconds seconds after the container starts before the first probe
 * @param periodSeconds seconds between probes
 * @param timeoutSeconds seconds one probe may take before it counts as failed
 * @param failureThreshold consecutive failures that fail the probe
 * @param successThreshold consecutive successes that pass it again (1 for liveness and startup probes)
 */
public record ProbeTiming(int initialDelaySeconds, int periodSeconds, int timeoutSeconds, int failureThreshold,
        int successThreshold) {

    /**
     * Startup of a raft master, measured on Alluxio 2.9.6 masters (docs/probes.md): up to 10 + 60 x 5 seconds
     * for a cold start or a journal replay. A starting point for an engine whose own start is not measured.
     */
    public static final ProbeTiming RAFT_MASTER_STARTUP = of(10, 5, 3, 60);
    /** Readiness of a raft master (docs/probes.md): three missed answers, ten seconds apart. */
    public static final ProbeTiming RAFT_MASTER_READINESS = new ProbeTiming(0, 10, 3, 3, 1);
    /** Liveness of a raft master (docs/probes.md): outlasts an election or catch-up, fails a hung master. */
    public static final ProbeTiming RAFT_MASTER_LIVENESS = of(0, 10, 5, 3);

    /** Checks the values Kubernetes accepts. */
    public ProbeTiming {
        if (initialDelaySeconds < 0 || periodSeconds < 1 || timeoutSeconds < 1 || failureThreshold < 1
                || successThreshold < 1) {
            throw new IllegalArgumentException("not a probe timing: " + initialDelaySeconds + "/" + periodSeconds
                    + "/" + timeoutSeconds + "/" + failureThreshold + "/" + successThreshold);
        }
    }

    /** A timing whose success threshold is 1, as liveness and startup probes require. */
    public static ProbeTiming of(int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
            int failureThreshold) {
        return new ProbeTiming(initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold, 1);
    }

    /**
     * The longest a probe can take to fail from its first attempt: every one of {@code failureThreshold} probes
     * times out, one period apart. For a startup probe, add the initial delay for the budget from start.
     */
    public int failureBudgetSeconds() {
        return (failureThreshold - 1) * periodSeconds + timeoutSeconds;
    }

    /** Copies these fields onto {@code probe}. */
    void applyTo(Probe probe) {
        probe.setInitialDelaySeconds(initialDelaySeconds);
        probe.setPeriodSeconds(periodSeconds);
        probe.setTimeoutSeconds(timeoutSeconds);
        probe.setFailureThreshold(failureThreshold);
        probe.setSuccessThreshold(successThreshold);
    }
}
