package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.examples.controller.backup.BackupAction;
import dev.cacheha.examples.controller.events.RuntimeStatusEvents;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Optional;

/**
 * How a reconcile ends: the status it writes (refused, blocked, progressing, settled) and what it returns to the
 * framework (when to look again).
 */
final class RuntimeStatusUpdates {

    private final RuntimeReconcile reconcile;

    RuntimeStatusUpdates(RuntimeReconcile reconcile) {
        this.reconcile = reconcile;
    }

    /** Ends a reconcile whose spec breaks {@code violations}: nothing is applied, the status lists them. */
    UpdateControl<CacheRuntime> refuse(List<Violation> violations) {
        CacheRuntimeStatus status = reconcile.statusCopy();
        status.setViolations(violations.stream().map(Violation::toString).toList());
        status.setBlockedBy(null);
        status.setMessage(null);
        status.setObservedGeneration(reconcile.runtime.getMetadata().getGeneration());
        status.setConditions(reconcile.conditions(status)
                .set(RuntimeConditions.READY, false, "SpecRefused", violations.size()
                        + " broken rule(s); see status.violations")
                .build());
        reconcile.write(status);
        reconcile.services.metrics().reconciled(Outcome.REFUSED);
        return UpdateControl.noUpdate();
    }

    /** Ends a reconcile whose planned names are taken by {@code blockers}: nothing is applied or adopted. */
    UpdateControl<CacheRuntime> blocked(List<String> blockers) {
        CacheRuntimeStatus status = reconcile.statusCopy();
        status.setViolations(null);
        status.setBlockedBy(blockers.stream().sorted().toList());
        status.setMessage(null);
        status.setObservedGeneration(reconcile.runtime.getMetadata().getGeneration());
        status.setConditions(reconcile.conditions(status)
                .set(RuntimeConditions.READY, false, "ForeignObject", "objects with planned names belong to"
                        + " someone else; see status.blockedBy")
                .build());
        reconcile.write(status);
        reconcile.services.metrics().reconciled(Outcome.BLOCKED);
        // The foreign object may carry no cache-ha label, so no event tells when it is gone: look again.
        return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck().multipliedBy(6));
    }

    /**
     * Writes the status of a runtime that waits for {@code waiting}. A wait that a pod event ends is left to
     * the pod informer (the framework's maximum interval stays the safety net): rescheduling it would
     * reconcile every waiting runtime once per {@code recheck} for nothing, which is what bounded the
     * controller when many runtimes started at once (docs/benchmarks.md).
     */
    UpdateControl<CacheRuntime> progressing(HighAvailabilityProvider provider, HaSpec spec, String waiting,
            boolean endsWithPodEvent) {
        settled(provider, spec, waiting);
        return endsWithPodEvent ? UpdateControl.noUpdate()
                : UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
    }

    /** Writes the status of a runtime whose objects are applied; {@code waiting} says what is under way. */
    UpdateControl<CacheRuntime> settled(HighAvailabilityProvider provider, HaSpec spec, String waiting) {
        CacheRuntime runtime = reconcile.runtime;
        LeaderStatus quorum = reconcile.discover(provider, spec);
        reconcile.services.metrics().health(reconcile.namespace, runtime.getMetadata().getName(), quorum.health());
        reconcile.wrote |= !reconcile.services.roleLabels().update(quorum, reconcile::pod).isEmpty();
        CacheRuntimeStatus status = reconcile.statusCopy();
        status.setViolations(null);
        status.setBlockedBy(null);
        status.setLeader(quorum.leader().map(Member::podName).orElse(null));
        status.setQuorumHealth(quorum.health().name());
        status.setObservedGeneration(runtime.getMetadata().getGeneration());
        status.setReplicas(reconcile.view.find(StatefulSet.class, reconcile.namespace, reconcile.statefulSetName)
                .map(set -> set.getSpec().getReplicas())
                .orElse(status.getReplicas()));
        status.setMessage(waiting);
        status.setRestore(reconcile.restore.recordWhileIdle(status.getRestore()));
        status.setMemberRebuild(reconcile.rebuild.recordWhileIdle(status.getMemberRebuild()));
        if (status.getReplicaChange() == null) {
            // No operation runs here: a record of steps left by one that ended without clearing it (its
            // replica change record lost) must never resume a later operation that has the same name.
            status.setSteps(null);
        }
        boolean healthy = quorum.health() == LeaderStatus.Health.HEALTHY;
        Optional<String> backupRefusal = BackupAction.refusal(provider.plan(spec), quorum);
        RuntimeConditions conditions = reconcile.conditions(status)
                .set(RuntimeConditions.READY, healthy && waiting == null,
                        waiting != null ? "Progressing" : healthy ? "Ready" : "Quorum" + quorum.health(),
                        waiting != null ? waiting : healthy ? "every member runs the planned configuration"
                                : "quorum health is " + quorum.health())
                .set(RuntimeConditions.QUORUM_HEALTHY, healthy, quorum.health().name(),
                        quorum.leader().map(leader -> leader.podName() + " leads").orElse("no member leads"))
                .set(RuntimeConditions.PROGRESSING, waiting != null,
                        waiting == null ? "Idle" : status.getReplicaChange() != null ? "ReplicaChange"
                                : "RollingRestart",
                        waiting)
                .set(RuntimeConditions.BACKUP_READY, backupRefusal.isEmpty(),
                        backupRefusal.isEmpty() ? "LeaderFound" : "NoLeader",
                        backupRefusal.orElse("a backup would run on " + status.getLeader()));
        RestoreProgress restore = status.getRestore();
        if (restore == null) {
            conditions.remove(RuntimeConditions.RESTORED);
        } else {
            conditions.set(RuntimeConditions.RESTORED, RestoreProgress.SUCCEEDED.equals(restore.phase()),
                    restore.phase(), restore.message());
        }
        status.setConditions(conditions.build());
        reconcile.write(status);
        reconcile.services.metrics().reconciled(waiting != null ? Outcome.PROGRESSING
                : reconcile.wrote ? Outcome.APPLIED : Outcome.UNCHANGED);
        // A requested rebuild that is refused or pending starts once the quorum allows it, which sends no event;
        // nor does the election that heals a quorum without a leader (with Alluxio's 10-20 s election timeouts
        // it ends after the last pod event of a failover, docs/reliability.md section 11).
        MemberRebuildProgress rebuild = status.getMemberRebuild();
        return healthy && (rebuild == null || MemberRebuildProgress.SUCCEEDED.equals(rebuild.phase()))
                ? UpdateControl.noUpdate()
                : UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
    }

    /** Writes {@code status} on {@code runtime}, noting in Events what the change means; returns it as it is now. */
    static CacheRuntime write(RuntimeServices services, CacheRuntime runtime, CacheRuntimeStatus status,
            Context<CacheRuntime> context) {
        CacheRuntime written = services.statusWriter().write(runtime, status, context);
        RuntimeStatusEvents.between(runtime.getStatus(), written.getStatus())
                .forEach(note -> services.events().record(written, note));
        return written;
    }

    /** A copy of {@code status} (or an empty one), so the cached runtime is never changed in place. */
    static CacheRuntimeStatus copy(CacheRuntimeStatus status, KubernetesClient client) {
        return status == null ? new CacheRuntimeStatus() : client.getKubernetesSerialization().clone(status);
    }
}
