package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.ReplicaChangeProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import java.util.List;
import java.util.Optional;

/**
 * A change of a running runtime's replica count: its size comes from the live StatefulSet; from and to are
 * recorded in {@code status.replicaChange} before the first step runs, and the steps' progress in
 * {@code status.steps} after every step, so a retry resumes at the step it stopped at.
 */
final class ReplicaChange {

    private final RuntimeReconcile reconcile;

    ReplicaChange(RuntimeReconcile reconcile) {
        this.reconcile = reconcile;
    }

    /** Records a new replica change before its first step runs; null when the provider refuses it. */
    ReplicaChangeProgress start(HighAvailabilityProvider provider, HaSpec spec, int running) {
        if (!provider.capabilities().contains(Capability.REPLICA_CHANGE)) {
            reconcile.statusUpdates.refuse(List.of(new Violation("replicas", "the " + provider.engine()
                    + " provider cannot change the replica count of a running quorum; the running quorum has "
                    + running + " masters")));
            return null;
        }
        ReplicaChangePlan change;
        try {
            change = provider.planReplicaChange(spec.withReplicas(running), spec.replicas());
        } catch (SpecValidationException refused) {
            reconcile.statusUpdates.refuse(refused.violations());
            return null;
        }
        ReplicaChangeProgress progress = new ReplicaChangeProgress(running, spec.replicas());
        CacheRuntimeStatus status = reconcile.statusCopy();
        status.setReplicaChange(progress);
        status.setSteps(new StepProgress(progress.operation(), 0, change.steps().get(0).description()));
        status.setMessage("replica change " + running + " -> " + spec.replicas() + " started");
        reconcile.write(status);
        return progress;
    }

    /**
     * Runs the recorded change from its next step, recording each step as done once it is; stops at the
     * first step that has to wait.
     *
     * @return what the change waits for; empty once every step is done (and the record cleared)
     */
    Optional<String> run(HighAvailabilityProvider provider, HaSpec spec, ReplicaChangeProgress progress) {
        int from = progress.fromReplicas();
        int to = progress.toReplicas();
        ReplicaChangePlan change = provider.planReplicaChange(spec.withReplicas(from), to);
        HaSpec target = spec.withReplicas(to);
        List<Step> plan = change.steps();
        StepTarget on = reconcile.target(provider, target, target.withReplicas(Math.max(from, to)),
                RuntimeReconcile.statefulSet(reconcile.desired(change.target(), target)));
        String operation = progress.operation();
        return reconcile.services.steps().run(plan, reconcile.resumeAt(operation), on,
                "replica-change/" + from + "-" + to, next -> {
                    CacheRuntimeStatus status = reconcile.statusCopy();
                    status.setReplicaChange(next < plan.size() ? progress : null);
                    status.setSteps(next < plan.size()
                            ? new StepProgress(operation, next, plan.get(next).description()) : null);
                    reconcile.write(status);
                }).map(stop -> "replica change " + from + " -> " + to + ", step " + (stop.step() + 1) + "/"
                        + plan.size() + " (" + plan.get(stop.step()).description() + "): waiting for " + stop.why());
    }
}
