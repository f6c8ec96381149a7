package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.examples.controller.backup.BackupAction;
import dev.cacheha.examples.controller.events.RuntimeStatusEvents;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * How a reconcile ends: the status it writes (refused, blocked, progressing, settled) and what it returns to the
 * framework (when to look again).
 */
final class RuntimeStatusUpdates {

    /**
     * How long a new runtime's members may run Ready before a quorum that is still not HEALTHY is reported as it
     * is: Alluxio's masters elect within 10 to 20 s of running (docs/reliability.md section 11); the rest is room
     * for a loaded node.
     */
    static final Duration START_GRACE = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(RuntimeStatusUpdates.class.getName());

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

    /**
     * Ends a reconcile whose write the API server refused because the object had changed after the informers saw
     * it: the status is left as it is (a stale cache is no failure to report), and the runtime comes back with the
     * change's watch event, or after the recheck interval should that event be lost.
     */
    UpdateControl<CacheRuntime> superseded(OwnedObjects.ChangedSinceCachedException behind) {
        LOG.fine(() -> reconcile.namespace + "/" + reconcile.runtime.getMetadata().getName() + ": "
                + behind.getMessage());
        reconcile.services.metrics().reconciled(Outcome.SUPERSEDED);
        return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
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
            boolean endsWithPodEvent, boolean podMissing) {
        settled(provider, spec, waiting, podMissing);
        return endsWithPodEvent ? UpdateControl.noUpdate()
                : UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
    }

    /**
     * Writes the status of a runtime whose objects are applied; {@code waiting} says what is under way.
     *
     * <p>A new runtime whose members' pods are still coming up says {@value RuntimeConditions#STARTING} and only
     * that, until its quorum is HEALTHY or every member's pod is Ready: the pods appearing one by one and the
     * quorum's answers while its members start (no quorum, then some members answering) are one step, not news,
     * and a status written at each of them cost a write and an Event per pod and answer for every runtime
     * created (docs/benchmarks.md). A start that stalls, every pod Ready for {@link #START_GRACE} and still no
     * HEALTHY quorum, reports the quorum's health as it is, with the warning that goes with it.
     *
     * @param podMissing whether {@code waiting} is only for a member's pod to exist
     */
    UpdateControl<CacheRuntime> settled(HighAvailabilityProvider provider, HaSpec spec, String waiting,
            boolean podMissing) {
        CacheRuntime runtime = reconcile.runtime;
        LeaderStatus quorum = reconcile.discover(provider, spec);
        reconcile.services.metrics().health(reconcile.namespace, runtime.getMetadata().getName(), quorum.health());
        reconcile.wrote |= !reconcile.services.roleLabels().update(quorum, reconcile::pod, reconcile.view::changed)
                .isEmpty();
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
        HaPlan plan = provider.plan(spec);
        if (status.getReplicaChange() == null && (waiting == null || podMissing) && !healthy
                && neverReady(status) && !everyMemberReadyFor(plan.members(), START_GRACE)) {
            return starting(status, plan);
        }
        Optional<String> backupRefusal = BackupAction.refusal(plan, quorum);
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

    /**
     * Writes the status of a runtime that {@link #settled starts}; its pod events end the wait, and the quorum is
     * asked again after the recheck, as for any quorum that is not HEALTHY.
     */
    private UpdateControl<CacheRuntime> starting(CacheRuntimeStatus status, HaPlan plan) {
        String waiting = "waiting for the pods of the " + plan.members().size() + " members of StatefulSet "
                + reconcile.statefulSetName + " to be Ready and for their quorum to elect a leader";
        status.setLeader(null);
        status.setQuorumHealth(null);
        status.setMessage(waiting);
        status.setConditions(reconcile.conditions(status)
                .set(RuntimeConditions.READY, false, RuntimeConditions.STARTING, waiting)
                .set(RuntimeConditions.QUORUM_HEALTHY, false, RuntimeConditions.STARTING,
                        "the members are starting")
                .set(RuntimeConditions.PROGRESSING, true, RuntimeConditions.STARTING, waiting)
                .set(RuntimeConditions.BACKUP_READY, false, "NoLeader", "the members are starting")
                .build());
        reconcile.write(status);
        reconcile.services.metrics().reconciled(Outcome.PROGRESSING);
        return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
    }

    /** Whether {@code status} has never said anything but that the runtime starts. */
    static boolean neverReady(CacheRuntimeStatus status) {
        return Objects.requireNonNullElse(status.getConditions(), List.<Condition>of()).stream()
                .filter(condition -> RuntimeConditions.READY.equals(condition.getType()))
                .allMatch(ready -> RuntimeConditions.STARTING.equals(ready.getReason()));
    }

    /**
     * Whether the pod of every one of {@code members} is the runtime's and has been Ready for {@code time}, as the
     * cache sees it.
     */
    private boolean everyMemberReadyFor(List<Member> members, Duration time) {
        Instant since = Instant.now().minus(time);
        return members.stream().map(reconcile::pod).allMatch(pod -> pod.filter(Readiness::isPodReady)
                .flatMap(ready -> ready.getStatus().getConditions().stream()
                        .filter(condition -> "Ready".equals(condition.getType())).findFirst())
                .filter(ready -> ready.getLastTransitionTime() == null
                        || Instant.parse(ready.getLastTransitionTime()).isBefore(since))
                .isPresent());
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
