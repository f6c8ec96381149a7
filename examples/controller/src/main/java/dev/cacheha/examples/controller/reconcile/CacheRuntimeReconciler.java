package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.MemberCommand;
import dev.cacheha.examples.controller.backup.BackupAction;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.CacheRuntimeTranslator;
import dev.cacheha.examples.controller.runtime.ReplicaChangeProgress;
import dev.cacheha.examples.controller.runtime.TranslatedRuntime;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.ReplicaChangePlan.Step;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Brings a {@link CacheRuntime} to what its spec asks, on the Java Operator SDK, with the engine's
 * high-availability provider doing the engine-specific part. Every read comes from the informers'
 * caches; every wait is a reschedule, never a sleep on the worker thread.
 * <ol>
 *   <li>A spec that breaks a rule, a journal change the running StatefulSet's claim templates cannot take, or
 *       a change of ports or cluster domain on a running runtime: every violation goes to the status and
 *       nothing is applied.</li>
 *   <li>An object with a planned name that the runtime does not control (owner UID): the status names it in
 *       {@code blockedBy}; nothing is applied, nothing is adopted.</li>
 *   <li>A replica change: its size comes from the live StatefulSet; its progress (from, to, next step) is
 *       recorded on the status before and after every step, so a retry resumes at the step it stopped at.</li>
 *   <li>The plan's objects are created or server-side applied; owned objects that left the plan are deleted.</li>
 *   <li>Members whose pod runs an old configuration are restarted one at a time, followers first, the leader
 *       last, each only with the quorum HEALTHY.</li>
 *   <li>Conditions {@code Ready}, {@code QuorumHealthy}, {@code Progressing}, {@code BackupReady}, with the
 *       generation they describe; the status is written only when it changed.</li>
 *   <li>Deletion ({@link Cleaner}): the journal claims the provider's cleanup names are deleted, each with its
 *       UID as precondition; the framework then removes the finalizer.</li>
 * </ol>
 */
@ControllerConfiguration(name = CacheRuntimeReconciler.NAME, finalizerName = CacheRuntimeReconciler.CLEANUP_FINALIZER,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 60, timeUnit = TimeUnit.SECONDS))
public final class CacheRuntimeReconciler implements Reconciler<CacheRuntime>, Cleaner<CacheRuntime> {

    /** The controller's name in the framework and its metrics. */
    public static final String NAME = "cacheruntime";

    /** Keeps a deleted runtime until its journal claims are gone: the claims have no owner reference. */
    public static final String CLEANUP_FINALIZER = "data.cacheha.dev/journal-cleanup";

    /**
     * How long one command a replica change runs on the leader may take, such as Alluxio's
     * {@code fsadmin journal quorum remove}: the CLI's JVM alone starts in one to three seconds.
     */
    public static final Duration DEFAULT_LEADER_COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** How soon a runtime waiting for its quorum or a restarted member is looked at again. */
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(CacheRuntimeReconciler.class.getName());

    private final KubernetesClient client;
    private final CacheRuntimeTranslator translator;
    private final ClusterAccess access;
    private final ClusterAccess leaderCommandAccess;
    private final Duration recheck;
    private final ControllerMetrics metrics;
    private final OwnedObjects owned;
    private final StaleClaims staleClaims;
    private final PreconditionedDelete deletes;
    private final MemberRoll roll;
    private final StatusWriter statusWriter;

    /**
     * @param client the cluster, for writes (reads come from the informers)
     * @param providers where each runtime's engine is looked up
     * @param access how providers reach the masters
     * @param recheck how soon a runtime that waits for its members is reconciled again
     * @param leaderCommandTimeout how long one command of a replica change may run on the leader
     * @param metrics where quorum health, discovery latency and reconcile outcomes are recorded
     * @param serverSideApply whether owned objects are updated by server-side apply (field manager
     *     {@code cache-ha}); false only against fabric8's mock server, which cannot apply
     */
    public CacheRuntimeReconciler(KubernetesClient client, HighAvailabilityProviders providers, ClusterAccess access,
            Duration recheck, Duration leaderCommandTimeout, ControllerMetrics metrics, boolean serverSideApply) {
        this.client = requireNonNull(client, "client");
        this.translator = new CacheRuntimeTranslator(providers);
        this.access = requireNonNull(access, "access");
        this.leaderCommandAccess = access.withDeadline(leaderCommandTimeout);
        this.recheck = requireNonNull(recheck, "recheck");
        this.metrics = requireNonNull(metrics, "metrics");
        this.owned = new OwnedObjects(client, serverSideApply);
        this.staleClaims = new StaleClaims(client);
        this.deletes = new PreconditionedDelete(client);
        this.roll = new MemberRoll(deletes);
        this.statusWriter = new StatusWriter(client);
    }

    @Override
    public List<EventSource<?, CacheRuntime>> prepareEventSources(EventSourceContext<CacheRuntime> context) {
        return ClusterView.eventSources(context);
    }

    @Override
    public UpdateControl<CacheRuntime> reconcile(CacheRuntime runtime, Context<CacheRuntime> context) {
        try {
            return new Reconcile(runtime, context).run();
        } catch (RuntimeException failed) {
            // The API server refused a write or could not be reached: the runtime says why, the framework
            // retries with backoff.
            metrics.reconciled(Outcome.FAILED);
            CacheRuntimeStatus status = copy(runtime.getStatus());
            status.setMessage("reconcile failed: " + Objects.requireNonNullElse(failed.getMessage(), failed.toString()));
            try {
                statusWriter.write(runtime, status, context);
            } catch (RuntimeException statusNotWritten) {
                failed.addSuppressed(statusNotWritten);
            }
            throw failed;
        }
    }

    /**
     * Deletes the journal claims the provider says the runtime owns, read from the API server, each with its UID
     * as precondition. A runtime whose spec no longer translates keeps every claim: deleting data on a guess is
     * worse than leaving a claim behind.
     */
    @Override
    public DeleteControl cleanup(CacheRuntime runtime, Context<CacheRuntime> context) {
        metrics.forget(runtime.getMetadata().getNamespace(), runtime.getMetadata().getName());
        TranslatedRuntime translated;
        try {
            translated = translator.translate(runtime);
        } catch (SpecValidationException refused) {
            LOG.warning(() -> "keeping the claims of " + runtime.getMetadata().getName()
                    + ": its spec no longer translates: " + refused.violations());
            return DeleteControl.defaultDelete();
        }
        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims()
                .inNamespace(runtime.getMetadata().getNamespace()).list().getItems();
        CleanupPlan plan = translated.provider().cleanup(translated.spec(), claims);
        for (PersistentVolumeClaim claim : plan.delete()) {
            deletes.delete(claim);
        }
        return DeleteControl.defaultDelete();
    }

    /** One reconcile of one runtime; the worker thread owns it until it returns. */
    private final class Reconcile {

        private final Context<CacheRuntime> context;
        private final ClusterView view;
        private final String namespace;
        private CacheRuntime runtime;
        private boolean wrote;
        private String statefulSetName;

        Reconcile(CacheRuntime runtime, Context<CacheRuntime> context) {
            this.runtime = runtime;
            this.context = context;
            this.view = new ClusterView(context);
            this.namespace = runtime.getMetadata().getNamespace();
        }

        UpdateControl<CacheRuntime> run() {
            TranslatedRuntime translated;
            try {
                translated = translator.translate(runtime);
            } catch (SpecValidationException refused) {
                return refuse(refused.violations());
            }
            HighAvailabilityProvider provider = translated.provider();
            HaSpec spec = translated.spec();
            ReplicaChangeProgress progress = status().getReplicaChange();
            HaSpec planned = progress == null ? spec : spec.withReplicas(progress.getToReplicas());
            HaPlan plan;
            try {
                plan = provider.plan(planned);
            } catch (SpecValidationException refused) {
                return refuse(refused.violations());
            }
            List<HasMetadata> desired = desired(plan, planned);
            StatefulSet desiredSet = statefulSet(desired);
            statefulSetName = desiredSet.getMetadata().getName();
            Optional<StatefulSet> live = view.find(StatefulSet.class, namespace, desiredSet.getMetadata().getName());
            if (live.isPresent()) {
                List<Violation> immutable = new ArrayList<>(ClaimTemplateChanges.refused(live.get(), desiredSet));
                immutable.addAll(TopologyChanges.refused(live.get(), planned));
                if (!immutable.isEmpty()) {
                    return refuse(immutable);
                }
            }
            List<String> blockers = owned.blockers(desired, runtime, view);
            if (!blockers.isEmpty()) {
                return blocked(blockers);
            }
            try {
                if (progress == null && live.isPresent() && live.get().getSpec().getReplicas() != spec.replicas()) {
                    progress = start(provider, spec, live.get().getSpec().getReplicas());
                    if (progress == null) {
                        return UpdateControl.noUpdate();
                    }
                }
                if (progress != null) {
                    Optional<String> waiting = changeReplicas(provider, spec, progress);
                    if (waiting.isPresent()) {
                        return progressing(provider, planned, waiting.get(), false);
                    }
                    plan = provider.plan(spec);
                    desired = desired(plan, spec);
                    desiredSet = statefulSet(desired);
                }
                boolean applied = false;
                for (HasMetadata object : desired) {
                    applied |= owned.apply(object, runtime, view) != OwnedObjects.Applied.UNCHANGED;
                }
                applied |= !owned.prune(desired, runtime, view).isEmpty();
                wrote |= applied;
                String digest = digest(desiredSet);
                Optional<MemberRoll.Waiting> rolling = roll.step(plan.members(), digest, this::pod,
                        () -> discover(provider, spec));
                if (rolling.isPresent()) {
                    return progressing(provider, spec, "rolling restart for a configuration change: waiting for "
                            + rolling.get().what(), rolling.get().endsWithPodEvent());
                }
                return settled(provider, spec, null);
            } catch (OwnedObjects.ForeignObjectException foreign) {
                return blocked(List.of(foreign.blocker()));
            }
        }

        /** Records a new replica change before its first step runs; null when the provider refuses it. */
        private ReplicaChangeProgress start(HighAvailabilityProvider provider, HaSpec spec, int running) {
            ReplicaChangePlan change;
            try {
                change = provider.planReplicaChange(spec.withReplicas(running), spec.replicas());
            } catch (SpecValidationException refused) {
                refuse(refused.violations());
                return null;
            } catch (UnsupportedOperationException cannotChange) {
                refuse(List.of(new Violation("replicas", cannotChange.getMessage() + "; the running quorum has "
                        + running + " masters")));
                return null;
            }
            ReplicaChangeProgress progress = new ReplicaChangeProgress(running, spec.replicas(), 0,
                    change.steps().get(0).description());
            CacheRuntimeStatus status = copy(status());
            status.setReplicaChange(progress);
            status.setMessage("replica change " + running + " -> " + spec.replicas() + " started");
            write(status);
            return progress;
        }

        /**
         * Runs the recorded change from its next step, recording each step as done once it is; stops at the
         * first step that has to wait.
         *
         * @return what the change waits for; empty once every step is done (and the record cleared)
         */
        private Optional<String> changeReplicas(HighAvailabilityProvider provider, HaSpec spec,
                ReplicaChangeProgress progress) {
            int from = progress.getFromReplicas();
            int to = progress.getToReplicas();
            ReplicaChangePlan change = provider.planReplicaChange(spec.withReplicas(from), to);
            HaSpec target = spec.withReplicas(to);
            List<HasMetadata> targetObjects = desired(change.target(), target);
            List<Step> steps = change.steps();
            for (int index = progress.getNextStep(); index < steps.size(); index++) {
                Step step = steps.get(index);
                Optional<String> waiting = runStep(step, provider, spec, change, target, targetObjects);
                if (waiting.isPresent()) {
                    return Optional.of("replica change " + from + " -> " + to + ", step " + (index + 1) + "/"
                            + steps.size() + " (" + step.description() + "): waiting for " + waiting.get());
                }
                CacheRuntimeStatus status = copy(status());
                status.setReplicaChange(index + 1 < steps.size()
                        ? new ReplicaChangeProgress(from, to, index + 1, steps.get(index + 1).description())
                        : null);
                write(status);
            }
            return Optional.empty();
        }

        private Optional<String> runStep(Step step, HighAvailabilityProvider provider, HaSpec spec,
                ReplicaChangePlan change, HaSpec target, List<HasMetadata> targetObjects) {
            HaSpec everyMember = target.withReplicas(Math.max(change.fromReplicas(), change.toReplicas()));
            if (step instanceof Step.DeleteClaims stale) {
                StaleClaims.Outcome outcome = staleClaims.delete(stale.claimNames(), target, provider,
                        statefulSet(targetObjects));
                outcome.kept().forEach(kept -> LOG.info(() -> "kept claim " + kept));
                wrote |= !outcome.deleted().isEmpty();
                return Optional.empty();
            } else if (step instanceof Step.Apply) {
                for (HasMetadata object : targetObjects) {
                    wrote |= owned.apply(object, runtime, view) != OwnedObjects.Applied.UNCHANGED;
                }
                return Optional.empty();
            } else if (step instanceof Step.AwaitQuorum await) {
                LeaderStatus quorum = discover(provider, everyMember);
                int answered = quorum.membersWithRole(Role.LEADER).size()
                        + quorum.membersWithRole(Role.FOLLOWER).size();
                return quorum.membersWithRole(Role.LEADER).size() == 1 && answered >= await.members()
                        ? Optional.empty()
                        : Optional.of(await.members() + " members to answer with one leader (" + answered
                                + " answer, health " + quorum.health() + ")");
            } else if (step instanceof Step.RollMembers members) {
                return roll.step(members.members(), digest(statefulSet(targetObjects)), this::pod,
                        () -> discover(provider, target)).map(MemberRoll.Waiting::what);
            } else if (step instanceof Step.ExecOnLeader exec) {
                LeaderStatus quorum = discover(provider, everyMember);
                if (quorum.leader().isEmpty()) {
                    return Optional.of("a leader to run " + exec.argv() + " on (health " + quorum.health() + ")");
                }
                Member leader = quorum.leader().get();
                PodExec.Result result = MemberCommand.run(leaderCommandAccess, leader, exec.container(), exec.argv());
                if (result.exitCode() != 0) {
                    throw new IllegalStateException(exec.argv() + " on " + leader.podName() + " exited "
                            + result.exitCode() + ": " + result.stderr().strip());
                }
                return Optional.empty();
            }
            throw new IllegalStateException("this controller does not know step " + step);
        }

        private Optional<Pod> pod(Member member) {
            return view.find(Pod.class, member.namespace(), member.podName());
        }

        private List<HasMetadata> desired(HaPlan plan, HaSpec spec) {
            List<HasMetadata> desired = owned.desired(plan.objects(), runtime);
            TopologyChanges.record(statefulSet(desired), spec);
            return desired;
        }

        private LeaderStatus discover(HighAvailabilityProvider provider, HaSpec spec) {
            return metrics.discover(provider.engine(), provider.leaderDiscovery(spec, access));
        }

        private UpdateControl<CacheRuntime> refuse(List<Violation> violations) {
            CacheRuntimeStatus status = copy(status());
            status.setViolations(violations.stream().map(Violation::toString).toList());
            status.setBlockedBy(null);
            status.setMessage(null);
            status.setObservedGeneration(runtime.getMetadata().getGeneration());
            status.setConditions(conditions(status)
                    .set(RuntimeConditions.READY, false, "SpecRefused", violations.size()
                            + " broken rule(s); see status.violations")
                    .build());
            write(status);
            metrics.reconciled(Outcome.REFUSED);
            return UpdateControl.noUpdate();
        }

        private UpdateControl<CacheRuntime> blocked(List<String> blockers) {
            CacheRuntimeStatus status = copy(status());
            status.setViolations(null);
            status.setBlockedBy(blockers.stream().sorted().toList());
            status.setMessage(null);
            status.setObservedGeneration(runtime.getMetadata().getGeneration());
            status.setConditions(conditions(status)
                    .set(RuntimeConditions.READY, false, "ForeignObject", "objects with planned names belong to"
                            + " someone else; see status.blockedBy")
                    .build());
            write(status);
            metrics.reconciled(Outcome.BLOCKED);
            // The foreign object may carry no cache-ha label, so no event tells when it is gone: look again.
            return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck.multipliedBy(6));
        }

        /**
         * Writes the status of a runtime that waits for {@code waiting}. A wait that a pod event ends is left to
         * the pod informer (the framework's maximum interval stays the safety net): rescheduling it would
         * reconcile every waiting runtime once per {@code recheck} for nothing, which is what bounded the
         * controller when many runtimes started at once (docs/benchmarks.md).
         */
        private UpdateControl<CacheRuntime> progressing(HighAvailabilityProvider provider, HaSpec spec,
                String waiting, boolean endsWithPodEvent) {
            settled(provider, spec, waiting);
            return endsWithPodEvent ? UpdateControl.noUpdate()
                    : UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck);
        }

        /** Writes the status of a runtime whose objects are applied; {@code waiting} says what is under way. */
        private UpdateControl<CacheRuntime> settled(HighAvailabilityProvider provider, HaSpec spec,
                String waiting) {
            LeaderStatus quorum = discover(provider, spec);
            metrics.health(namespace, runtime.getMetadata().getName(), quorum.health());
            CacheRuntimeStatus status = copy(status());
            status.setViolations(null);
            status.setBlockedBy(null);
            status.setLeader(quorum.leader().map(Member::podName).orElse(null));
            status.setQuorumHealth(quorum.health().name());
            status.setObservedGeneration(runtime.getMetadata().getGeneration());
            status.setReplicas(view.find(StatefulSet.class, namespace, statefulSetName)
                    .map(set -> set.getSpec().getReplicas())
                    .orElse(status.getReplicas()));
            status.setMessage(waiting);
            boolean healthy = quorum.health() == LeaderStatus.Health.HEALTHY;
            Optional<String> backupRefusal = BackupAction.refusal(quorum);
            status.setConditions(conditions(status)
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
                            backupRefusal.orElse("a backup would run on " + status.getLeader()))
                    .build());
            write(status);
            metrics.reconciled(waiting != null ? Outcome.PROGRESSING : wrote ? Outcome.APPLIED : Outcome.UNCHANGED);
            return UpdateControl.noUpdate();
        }

        private RuntimeConditions conditions(CacheRuntimeStatus status) {
            RuntimeConditions conditions = new RuntimeConditions(status.getConditions(),
                    runtime.getMetadata().getGeneration());
            Objects.requireNonNullElse(status.getConditions(), List.<io.fabric8.kubernetes.api.model.Condition>of())
                    .forEach(previous -> conditions.set(previous.getType(), "True".equals(previous.getStatus()),
                            previous.getReason(), previous.getMessage()));
            return conditions;
        }

        private CacheRuntimeStatus status() {
            return Objects.requireNonNullElseGet(runtime.getStatus(), CacheRuntimeStatus::new);
        }

        private void write(CacheRuntimeStatus status) {
            CacheRuntime before = runtime;
            runtime = statusWriter.write(runtime, status, context);
            wrote |= before != runtime;
        }
    }

    private static StatefulSet statefulSet(List<HasMetadata> objects) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the plan has no StatefulSet"));
    }

    private static String digest(StatefulSet desired) {
        return desired.getSpec().getTemplate().getMetadata().getAnnotations().get(ConfigDigest.ANNOTATION);
    }

    /** A copy of {@code status} (or an empty one), so the cached runtime is never changed in place. */
    private CacheRuntimeStatus copy(CacheRuntimeStatus status) {
        return status == null ? new CacheRuntimeStatus()
                : client.getKubernetesSerialization().clone(status);
    }
}
