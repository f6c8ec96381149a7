package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.examples.cacheruntime.RestoreRequest;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.ReplicaChangeProgress;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A restore from a backup ({@code spec.restore}), before anything else is applied: the backup is resolved (it
 * exists, is Succeeded, belongs to this runtime), the provider plans the steps, and they run one by one through
 * the {@link StepRunner}; replica changes, pruning and rolling restarts wait until it ends. Any refusal goes to
 * {@code status.restore}, and nothing is changed.
 */
final class RuntimeRestore {

    private final RuntimeReconcile reconcile;

    RuntimeRestore(RuntimeReconcile reconcile) {
        this.reconcile = reconcile;
    }

    /**
     * Aborts the running restore whose backup {@code spec.restore} no longer names, runs the one recorded, or
     * starts the one requested once the runtime runs at its size with no other operation under way.
     *
     * @return the reconcile's result while a restore runs or was just aborted or refused; empty otherwise
     */
    Optional<UpdateControl<CacheRuntime>> run(HighAvailabilityProvider provider, HaSpec spec,
            StatefulSet desiredSet, ReplicaChangeProgress progress, Optional<StatefulSet> live) {
        RestoreProgress recorded = reconcile.status().getRestore();
        boolean running = recorded != null && RestoreProgress.RUNNING.equals(recorded.phase());
        if (running && !recorded.backupName().equals(requestedBackup().orElse(null))) {
            return Optional.of(abort(recorded, spec, desiredSet));
        }
        if (running || requested().isPresent() && !waits(progress, live, spec)) {
            return Optional.of(restore(provider, spec, desiredSet));
        }
        return Optional.empty();
    }

    /** The backup {@code spec.restore} names, when it names one that is not restored or refused already. */
    private Optional<String> requested() {
        RestoreProgress recorded = reconcile.status().getRestore();
        return requestedBackup().filter(name -> recorded == null || !recorded.ends(name));
    }

    /** The backup {@code spec.restore} names, if any. */
    private Optional<String> requestedBackup() {
        return Optional.ofNullable(reconcile.runtime.getSpec().getRestore()).map(RestoreRequest::backupName)
                .filter(name -> !name.isBlank());
    }

    /**
     * Ends the running restore {@code recorded} because {@code spec.restore} no longer names its backup (the
     * way out of a restore whose backup was deleted after the journals were wiped): the StatefulSet is scaled
     * back to the spec's size, and the next reconcile applies the plan as usual (without the restore's
     * property), so the members start from what their journals hold now; the record says which steps ran.
     */
    private UpdateControl<CacheRuntime> abort(RestoreProgress recorded, HaSpec spec, StatefulSet desiredSet) {
        reconcile.services.steps().scaleBack(reconcile.runtime, spec, desiredSet);
        int done = reconcile.resumeAt(recorded.operation());
        StepProgress recordedSteps = reconcile.status().getSteps();
        String next = recordedSteps != null && recordedSteps.of(recorded.operation())
                ? recordedSteps.stepDescription() : null;
        record(new RestoreProgress(recorded.backupName(), recorded.backupUid(),
                recorded.location(), RestoreProgress.ABORTED,
                new StepProgress(recorded.operation(), done, next),
                "aborted because spec.restore no longer names " + recorded.backupName() + ", with " + done
                        + " step(s) done and the next one (" + next + ") not run;"
                        + " the StatefulSet runs " + spec.replicas() + " members again on what their journals"
                        + " hold now, which is empty if the journals were wiped: set spec.restore to a backup"
                        + " to restore one"), null);
        reconcile.services.metrics().reconciled(Outcome.PROGRESSING);
        // The scale and the status write each wake the runtime; the next reconcile applies the plan.
        return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
    }

    /**
     * Whether a requested restore must wait: it starts only from a runtime that runs, at its spec's size,
     * with no replica change under way, so that the plan's members are exactly the running ones.
     */
    private boolean waits(ReplicaChangeProgress progress, Optional<StatefulSet> live, HaSpec spec) {
        return progress != null || reconcile.rebuild.running() || live.isEmpty()
                || live.get().getSpec().getReplicas() != spec.replicas();
    }

    /**
     * Runs the restore {@code status.restore} records, or starts the one {@code spec.restore} asks for, from
     * its next step; stops at the first step that has to wait.
     */
    private UpdateControl<CacheRuntime> restore(HighAvailabilityProvider provider, HaSpec spec,
            StatefulSet desiredSet) {
        RestoreProgress recorded = reconcile.status().getRestore();
        boolean running = recorded != null && RestoreProgress.RUNNING.equals(recorded.phase());
        String backupName = running ? recorded.backupName() : requested().orElseThrow();
        Optional<CacheRuntimeBackup> resource = reconcile.view.find(CacheRuntimeBackup.class, reconcile.namespace,
                backupName);
        List<String> refusals = new ArrayList<>();
        RestorePlan plan = null;
        Optional<Backup> backup = resource.flatMap(found -> backup(found, provider, spec, refusals));
        if (running && resource.isPresent()
                && !resource.get().getMetadata().getUid().equals(recorded.backupUid())) {
            refusals.add("spec.restore.backupName: backup " + backupName + " was replaced (uid "
                    + recorded.backupUid() + " -> " + resource.get().getMetadata().getUid() + ")");
        } else if (resource.isEmpty()) {
            refusals.add("spec.restore.backupName: no CacheRuntimeBackup " + backupName + " in namespace "
                    + reconcile.namespace);
        }
        if (!provider.capabilities().contains(Capability.RESTORE)) {
            refusals.add("spec.restore: the " + provider.engine() + " provider cannot restore a quorum");
        } else if (refusals.isEmpty() && backup.isPresent()) {
            try {
                plan = provider.planRestore(spec, backup.get());
            } catch (OperationRefusedException refused) {
                refused.reasons().forEach(reason -> refusals.add("backup " + backupName + ": " + reason));
            }
        }
        String uid = resource.map(found -> found.getMetadata().getUid()).orElse(null);
        String location = backup.map(Backup::location).orElse(null);
        Duration recheck = reconcile.services.recheck();
        if (!refusals.isEmpty() || plan == null) {
            String why = String.join("; ", refusals);
            if (running) {
                // Journals may be gone already: stopping here would leave the runtime without members, so
                // the restore waits for its backup to be back rather than ending.
                record(new RestoreProgress(recorded.backupName(), recorded.backupUid(),
                        recorded.location(), RestoreProgress.RUNNING, null, "waiting: " + why),
                        reconcile.status().getSteps());
                return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck.multipliedBy(6));
            }
            record(new RestoreProgress(backupName, uid, location, RestoreProgress.REFUSED, null, why),
                    reconcile.status().getSteps());
            reconcile.services.metrics().reconciled(Outcome.REFUSED);
            return UpdateControl.noUpdate();
        }
        List<Step> restoring = plan.steps();
        String operation = new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING, null, null)
                .operation();
        if (!running) {
            record(new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING, null,
                    "restore from " + location + " started"),
                    new StepProgress(operation, 0, restoring.get(0).description()));
        }
        Optional<StepRunner.Stop> stop = reconcile.services.steps().run(restoring, reconcile.resumeAt(operation),
                reconcile.target(provider, spec, spec, desiredSet), "restore/" + uid, next -> {
                    if (next < restoring.size()) {
                        record(new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING,
                                null, null), new StepProgress(operation, next, restoring.get(next).description()));
                    } else {
                        record(new RestoreProgress(backupName, uid, location, RestoreProgress.SUCCEEDED,
                                new StepProgress(operation, next, null), "restored from " + location
                                        + "; to restore again, remove spec.restore and set it again, or name"
                                        + " another backup"), null);
                    }
                });
        if (stop.isPresent() && stop.get().refused()) {
            int index = stop.get().step();
            record(new RestoreProgress(backupName, uid, location, RestoreProgress.REFUSED,
                    new StepProgress(operation, index, restoring.get(index).description()), stop.get().why()),
                    null);
            reconcile.services.metrics().reconciled(Outcome.REFUSED);
            return UpdateControl.noUpdate();
        }
        if (stop.isPresent()) {
            int index = stop.get().step();
            record(new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING, null,
                    "step " + (index + 1) + "/" + restoring.size() + ": waiting for " + stop.get().why()),
                    reconcile.status().getSteps());
        }
        reconcile.services.metrics().reconciled(Outcome.PROGRESSING);
        // The next reconcile takes the runtime from here as usual: applied plan, rolling restart, status.
        return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck);
    }

    /** The verified backup {@code resource} recorded, if it is one this runtime may restore. */
    private static Optional<Backup> backup(CacheRuntimeBackup resource, HighAvailabilityProvider provider,
            HaSpec spec, List<String> refusals) {
        String name = resource.getMetadata().getName();
        CacheRuntimeBackupStatus taken = resource.getStatus();
        if (taken == null || !CacheRuntimeBackupStatus.SUCCEEDED.equals(taken.getPhase())
                || taken.getBackup() == null) {
            refusals.add("spec.restore.backupName: backup " + name + " is "
                    + (taken == null || taken.getPhase() == null ? "not taken yet" : taken.getPhase())
                    + ", not " + CacheRuntimeBackupStatus.SUCCEEDED);
            return Optional.empty();
        }
        Backup backup;
        try {
            backup = taken.getBackup().toBackup();
        } catch (IllegalArgumentException broken) {
            refusals.add("spec.restore.backupName: backup " + name + " records no usable backup: "
                    + broken.getMessage());
            return Optional.empty();
        }
        if (!backup.belongsTo(provider.engine(), spec)) {
            refusals.add("spec.restore.backupName: backup " + name + " was taken from " + backup.engine()
                    + " runtime " + backup.namespace() + "/" + backup.runtime() + ", not from this "
                    + provider.engine() + " runtime " + spec.namespace() + "/" + spec.name()
                    + ": a foreign backup is never restored");
            return Optional.empty();
        }
        return Optional.of(backup);
    }

    /**
     * Writes {@code restore} and the progress of its steps ({@code steps}, null once it ended) with the
     * conditions they imply, in one write; nothing else of the status changes.
     */
    private void record(RestoreProgress restore, StepProgress steps) {
        CacheRuntimeStatus status = reconcile.statusCopy();
        status.setRestore(restore);
        status.setSteps(steps);
        status.setObservedGeneration(reconcile.runtime.getMetadata().getGeneration());
        String phase = restore.phase();
        boolean running = RestoreProgress.RUNNING.equals(phase);
        String message = restore.message() != null || steps == null ? restore.message()
                : steps.stepDescription();
        status.setMessage(running ? message : null);
        status.setConditions(reconcile.conditions(status)
                .set(RuntimeConditions.READY, false, running ? "Restoring"
                        : RestoreProgress.REFUSED.equals(phase) ? "RestoreRefused"
                        : RestoreProgress.ABORTED.equals(phase) ? "RestoreAborted" : "Restored",
                        running ? "a restore from " + restore.backupName() + " runs; see status.restore"
                                : message)
                .set(RuntimeConditions.PROGRESSING, running, running ? "Restore" : "Idle", running ? message : null)
                .set(RuntimeConditions.RESTORED, RestoreProgress.SUCCEEDED.equals(phase), phase, message)
                .build());
        reconcile.write(status);
    }

    /**
     * What {@code status.restore} says while no restore runs: the record of the one that ended for the
     * backup {@code spec.restore} still names, Pending while a requested one waits for the runtime to run at
     * its size, the record of an aborted one while {@code spec.restore} is unset, and nothing else once
     * {@code spec.restore} is gone (so that setting it again restores again).
     */
    RestoreProgress recordWhileIdle(RestoreProgress recorded) {
        Optional<String> requested = requestedBackup();
        if (requested.isEmpty()) {
            // An aborted restore stays stated until a restore is asked for again.
            return recorded != null && RestoreProgress.ABORTED.equals(recorded.phase()) ? recorded : null;
        }
        if (recorded != null && recorded.ends(requested.get())) {
            return recorded;
        }
        return new RestoreProgress(requested.get(), null, null, RestoreProgress.PENDING, null,
                "waits until the StatefulSet runs spec.replicas members and no replica change is under way");
    }
}
