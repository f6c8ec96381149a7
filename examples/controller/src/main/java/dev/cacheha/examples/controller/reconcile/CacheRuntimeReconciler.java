package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.MemberRebuildRequest;
import dev.cacheha.examples.cacheruntime.RestoreRequest;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.access.CommandsInFlight;
import dev.cacheha.examples.controller.backup.BackupAction;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.events.RateLimitedEvents;
import dev.cacheha.examples.controller.events.RuntimeStatusEvents;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.ownership.OwnedPodExec;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.rolelabel.RoleLabels;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.examples.controller.runtime.ReplicaChangeProgress;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>A restore from a backup ({@code spec.restore}), before anything else is applied: the backup is resolved
 *       (it exists, is Succeeded, belongs to this runtime), the provider plans the steps, and they run one by one
 *       through the {@link StepRunner}, as every operation's do; replica changes, pruning and rolling restarts
 *       wait until it ends. Any refusal goes to the status, and nothing is changed.</li>
 *   <li>A member rebuild ({@code spec.memberRebuild}) of the last member, once the runtime runs at its size:
 *       refused, changing nothing, when the provider says it would cost the majority.</li>
 *   <li>A replica change: its size comes from the live StatefulSet; from and to are recorded in
 *       {@code status.replicaChange}.</li>
 *   <li>Every operation's steps record their progress in the one {@code status.steps} before and after every
 *       step, so a retry resumes at the step it stopped at.</li>
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

    /**
     * How long a reconcile waits for the leader discovery it started before it leaves it running off the thread:
     * long enough for an HTTP discovery, far shorter than a command's deadline.
     */
    public static final Duration DISCOVERY_INLINE_WAIT = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(CacheRuntimeReconciler.class.getName());

    private final KubernetesClient client;
    private final CacheRuntimeTranslator translator;
    private final ClusterAccess access;
    private final Duration leaderCommandTimeout;
    private final Duration recheck;
    private final ControllerMetrics metrics;
    private final OwnedObjects owned;
    private final StaleClaims staleClaims;
    private final PreconditionedDelete deletes;
    private final MemberRoll roll;
    private final StatusWriter statusWriter;
    private final StepRunner steps;
    private final RateLimitedEvents events;
    private final RoleLabels roleLabels;
    private final DiscoveriesInFlight<CacheRuntime> discoveries;
    /** Commands of replica changes and restores under way, by runtime UID and step. */
    private final CommandsInFlight<PodExec.Result> commands = new CommandsInFlight<>();

    /**
     * @param client the cluster, for writes (reads come from the informers)
     * @param providers where each runtime's engine is looked up
     * @param access how providers reach the masters
     * @param recheck how soon a runtime that waits for its members is reconciled again
     * @param leaderCommandTimeout how long one command of a replica change may run on the leader
     * @param metrics where quorum health, discovery latency and reconcile outcomes are recorded
     * @param settings what the controller was started with (allowed images, cluster domain)
     */
    public CacheRuntimeReconciler(KubernetesClient client, HighAvailabilityProviders providers, ClusterAccess access,
            Duration recheck, Duration leaderCommandTimeout, ControllerMetrics metrics, ControllerSettings settings) {
        this.client = requireNonNull(client, "client");
        this.translator = new CacheRuntimeTranslator(providers, settings.admission());
        this.access = requireNonNull(access, "access");
        this.leaderCommandTimeout = requireNonNull(leaderCommandTimeout, "leaderCommandTimeout");
        this.recheck = requireNonNull(recheck, "recheck");
        this.metrics = requireNonNull(metrics, "metrics");
        this.owned = new OwnedObjects(client);
        this.staleClaims = new StaleClaims(client);
        this.deletes = new PreconditionedDelete(client);
        this.roll = new MemberRoll(deletes);
        this.statusWriter = new StatusWriter(client);
        this.steps = new StepRunner(client, owned, staleClaims, roll, commands, leaderCommandTimeout);
        this.events = new RateLimitedEvents(client, StatusText::bounded);
        this.roleLabels = new RoleLabels(client);
        this.discoveries = new DiscoveriesInFlight<>(settings.commandThreads(), settings.commandsPerNamespace(),
                DISCOVERY_INLINE_WAIT);
    }

    @Override
    public List<EventSource<?, CacheRuntime>> prepareEventSources(EventSourceContext<CacheRuntime> context) {
        List<EventSource<?, CacheRuntime>> sources = new ArrayList<>(ClusterView.eventSources(context));
        sources.add(discoveries.eventSource());
        return sources;
    }

    @Override
    public UpdateControl<CacheRuntime> reconcile(CacheRuntime runtime, Context<CacheRuntime> context) {
        Reconcile reconcile = new Reconcile(runtime, context);
        try {
            return reconcile.run();
        } catch (DiscoveryPending pending) {
            // Nothing is decided on a guess: the discovery's end (or a free slot for it) wakes the runtime; the
            // reschedule is only a safety net, long, since a short one would reconcile every runtime waiting for a
            // hung discovery over and over. The status keeps the last known answer meanwhile.
            return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck.multipliedBy(60));
        } catch (RuntimeException failed) {
            // The API server refused a write or could not be reached: the runtime says why, the framework
            // retries with backoff. The message goes onto the last status this reconcile wrote, never onto the
            // one it started from: that would undo the progress it recorded, and the retry would run again steps
            // that are done (a restore would wipe the journals it had just restored).
            metrics.reconciled(Outcome.FAILED);
            CacheRuntime latest = reconcile.runtime;
            CacheRuntimeStatus status = copy(latest.getStatus());
            status.setMessage("reconcile failed: "
                    + Objects.requireNonNullElse(failed.getMessage(), failed.toString()));
            try {
                writeStatus(latest, status, context);
            } catch (RuntimeException statusNotWritten) {
                failed.addSuppressed(statusNotWritten);
            }
            throw failed;
        }
    }

    /**
     * Deletes the journal claims the provider says the runtime owns, read from the API server, each with its UID
     * as precondition, and only claims owned by the live StatefulSet the runtime controls: a runtime blocked by a
     * foreign quorum of the same name deletes nothing. When the StatefulSet is gone already (a foreground
     * deletion), Kubernetes' garbage collector deletes the claims it owned. A runtime whose spec no longer
     * translates keeps every claim: deleting data on a guess is worse than leaving a claim behind.
     */
    @Override
    public DeleteControl cleanup(CacheRuntime runtime, Context<CacheRuntime> context) {
        metrics.forget(runtime.getMetadata().getNamespace(), runtime.getMetadata().getName());
        commands.forget(runtime.getMetadata().getUid() + "/");
        discoveries.forget(runtime.getMetadata().getUid() + "/");
        TranslatedRuntime translated;
        String statefulSetName;
        try {
            translated = translator.translate(runtime);
            statefulSetName = statefulSet(translated.provider().plan(translated.spec()).objects()).getMetadata()
                    .getName();
        } catch (SpecValidationException refused) {
            LOG.warning(() -> "keeping the claims of " + runtime.getMetadata().getName()
                    + ": its spec no longer translates: " + refused.violations());
            return DeleteControl.defaultDelete();
        }
        String namespace = runtime.getMetadata().getNamespace();
        Optional<StatefulSet> live = Optional.ofNullable(client.apps().statefulSets().inNamespace(namespace)
                .withName(statefulSetName).get());
        Optional<String> notOurs = Ownership.statefulSetRefusal(runtime, statefulSetName, live);
        if (notOurs.isPresent()) {
            LOG.warning(() -> "deleting no claim of " + runtime.getMetadata().getName() + ": " + notOurs.get());
            return DeleteControl.defaultDelete();
        }
        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(namespace).list()
                .getItems().stream().filter(claim -> Ownership.ownedBy(claim, live.get())).toList();
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
        private Optional<BackupVolume> backupVolume = Optional.empty();
        /** The discoveries' answers this reconcile took, by member count: one reconcile, one view of the quorum. */
        private final Map<String, LeaderStatus> answers = new HashMap<>();

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
            backupVolume = translated.backupVolume();
            ReplicaChangeProgress progress = status().getReplicaChange();
            HaSpec planned = progress == null ? spec : spec.withReplicas(progress.getToReplicas());
            HaPlan plan;
            try {
                plan = provider.plan(planned);
            } catch (SpecValidationException refused) {
                return refuse(refused.violations());
            }
            HaPlan mountedInto = plan;
            List<Violation> clashes = backupVolume.map(volume -> BackupVolumeMount.refusals(mountedInto, volume,
                    view.backupVolumeClaim(namespace, volume.claimName()))).orElse(List.of());
            if (!clashes.isEmpty()) {
                // A claim labelled later sends this runtime no event (the claim informer maps to no runtime).
                return refuse(clashes).rescheduleAfter(recheck.multipliedBy(6));
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
                RestoreProgress restore = status().getRestore();
                boolean restoreRunning = restore != null && RestoreProgress.RUNNING.equals(restore.getPhase());
                if (restoreRunning && !restore.getBackupName().equals(requestedBackup().orElse(null))) {
                    return abortRestore(restore, spec, desiredSet);
                }
                if (restoreRunning || restoreRequested().isPresent() && !restoreWaits(progress, live, spec)) {
                    return restore(provider, spec, desiredSet);
                }
                boolean atSize = live.isPresent() && live.get().getSpec().getReplicas() == spec.replicas();
                Optional<UpdateControl<CacheRuntime>> rebuilding = rebuildMember(provider, spec, desiredSet,
                        progress == null && atSize);
                if (rebuilding.isPresent()) {
                    return rebuilding.get();
                }
                if (progress == null && live.isPresent() && !atSize) {
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
                String digest = ConfigDigest.planned(desiredSet);
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
            if (!provider.capabilities().contains(Capability.REPLICA_CHANGE)) {
                refuse(List.of(new Violation("replicas", "the " + provider.engine() + " provider cannot change the"
                        + " replica count of a running quorum; the running quorum has " + running + " masters")));
                return null;
            }
            ReplicaChangePlan change;
            try {
                change = provider.planReplicaChange(spec.withReplicas(running), spec.replicas());
            } catch (SpecValidationException refused) {
                refuse(refused.violations());
                return null;
            }
            ReplicaChangeProgress progress = new ReplicaChangeProgress(running, spec.replicas());
            CacheRuntimeStatus status = copy(status());
            status.setReplicaChange(progress);
            status.setSteps(new StepProgress(progress.operation(), 0, change.steps().get(0).description()));
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
            List<Step> plan = change.steps();
            StepRunner.Target on = target(provider, target, target.withReplicas(Math.max(from, to)),
                    statefulSet(desired(change.target(), target)));
            String operation = progress.operation();
            return steps.run(plan, resumeAt(operation), on, "replica-change/" + from + "-" + to, next -> {
                CacheRuntimeStatus status = copy(status());
                status.setReplicaChange(next < plan.size() ? progress : null);
                status.setSteps(next < plan.size() ? new StepProgress(operation, next, plan.get(next).description())
                        : null);
                write(status);
            }).map(stop -> "replica change " + from + " -> " + to + ", step " + (stop.step() + 1) + "/"
                    + plan.size() + " (" + plan.get(stop.step()).description() + "): waiting for " + stop.why());
        }

        /** The step {@code status.steps} says {@code operation} resumes at; 0 when it records another. */
        private int resumeAt(String operation) {
            StepProgress recorded = status().getSteps();
            return recorded != null && recorded.of(operation) ? recorded.getNextStep() : 0;
        }

        /**
         * What steps act on: the runtime's quorum going to {@code spec}, whose StatefulSet is {@code statefulSet},
         * with waits and commands asking the members of {@code everyMember}.
         */
        private StepRunner.Target target(HighAvailabilityProvider provider, HaSpec spec, HaSpec everyMember,
                StatefulSet statefulSet) {
            return new StepRunner.Target(runtime, provider, spec, everyMember, statefulSet, view,
                    haPlan -> desired(haPlan, spec), members -> discover(provider, members), ownedAccess(), this::pod);
        }

        /** The backup {@code spec.restore} names, when it names one that is not restored or refused already. */
        private Optional<String> restoreRequested() {
            return requestedBackup()
                    .filter(name -> status().getRestore() == null || !status().getRestore().ends(name));
        }

        /** The backup {@code spec.restore} names, if any. */
        private Optional<String> requestedBackup() {
            return Optional.ofNullable(runtime.getSpec().getRestore()).map(RestoreRequest::getBackupName)
                    .filter(name -> !name.isBlank());
        }

        /**
         * Ends the running restore {@code recorded} because {@code spec.restore} no longer names its backup (the
         * way out of a restore whose backup was deleted after the journals were wiped): the StatefulSet is scaled
         * back to the spec's size, and the next reconcile applies the plan as usual (without the restore's
         * property), so the members start from what their journals hold now; the record says which steps ran.
         */
        private UpdateControl<CacheRuntime> abortRestore(RestoreProgress recorded, HaSpec spec,
                StatefulSet desiredSet) {
            steps.scaleBack(runtime, spec, desiredSet);
            int done = resumeAt(recorded.operation());
            StepProgress recordedSteps = status().getSteps();
            String next = recordedSteps != null && recordedSteps.of(recorded.operation())
                    ? recordedSteps.getStepDescription() : null;
            recordRestore(new RestoreProgress(recorded.getBackupName(), recorded.getBackupUid(),
                    recorded.getLocation(), RestoreProgress.ABORTED,
                    new StepProgress(recorded.operation(), done, next),
                    "aborted because spec.restore no longer names " + recorded.getBackupName() + ", with " + done
                            + " step(s) done and the next one (" + next + ") not run;"
                            + " the StatefulSet runs " + spec.replicas() + " members again on what their journals"
                            + " hold now, which is empty if the journals were wiped: set spec.restore to a backup"
                            + " to restore one"), null);
            metrics.reconciled(Outcome.PROGRESSING);
            // The scale and the status write each wake the runtime; the next reconcile applies the plan.
            return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck);
        }

        /**
         * Whether a requested restore must wait: it starts only from a runtime that runs, at its spec's size,
         * with no replica change under way, so that the plan's members are exactly the running ones.
         */
        private boolean restoreWaits(ReplicaChangeProgress progress, Optional<StatefulSet> live, HaSpec spec) {
            return progress != null || rebuildRunning() || live.isEmpty() || live.get().getSpec().getReplicas() != spec.replicas();
        }

        /**
         * Runs the restore {@code status.restore} records, or starts the one {@code spec.restore} asks for, from
         * its next step; stops at the first step that has to wait.
         */
        private UpdateControl<CacheRuntime> restore(HighAvailabilityProvider provider, HaSpec spec,
                StatefulSet desiredSet) {
            RestoreProgress recorded = status().getRestore();
            boolean running = recorded != null && RestoreProgress.RUNNING.equals(recorded.getPhase());
            String backupName = running ? recorded.getBackupName() : restoreRequested().orElseThrow();
            Optional<CacheRuntimeBackup> resource = view.find(CacheRuntimeBackup.class, namespace, backupName);
            List<String> refusals = new ArrayList<>();
            RestorePlan plan = null;
            Optional<Backup> backup = resource.flatMap(found -> backup(found, provider, spec, refusals));
            if (running && resource.isPresent()
                    && !resource.get().getMetadata().getUid().equals(recorded.getBackupUid())) {
                refusals.add("spec.restore.backupName: backup " + backupName + " was replaced (uid "
                        + recorded.getBackupUid() + " -> " + resource.get().getMetadata().getUid() + ")");
            } else if (resource.isEmpty()) {
                refusals.add("spec.restore.backupName: no CacheRuntimeBackup " + backupName + " in namespace "
                        + namespace);
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
            if (!refusals.isEmpty() || plan == null) {
                String why = String.join("; ", refusals);
                if (running) {
                    // Journals may be gone already: stopping here would leave the runtime without members, so
                    // the restore waits for its backup to be back rather than ending.
                    recordRestore(new RestoreProgress(recorded.getBackupName(), recorded.getBackupUid(),
                            recorded.getLocation(), RestoreProgress.RUNNING, null, "waiting: " + why),
                            status().getSteps());
                    return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck.multipliedBy(6));
                }
                recordRestore(new RestoreProgress(backupName, uid, location, RestoreProgress.REFUSED, null, why),
                        status().getSteps());
                metrics.reconciled(Outcome.REFUSED);
                return UpdateControl.noUpdate();
            }
            List<Step> restoring = plan.steps();
            String operation = new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING, null, null)
                    .operation();
            if (!running) {
                recordRestore(new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING, null,
                        "restore from " + location + " started"),
                        new StepProgress(operation, 0, restoring.get(0).description()));
            }
            Optional<StepRunner.Stop> stop = steps.run(restoring, resumeAt(operation),
                    target(provider, spec, spec, desiredSet), "restore/" + uid, next -> {
                        if (next < restoring.size()) {
                            recordRestore(new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING,
                                    null, null), new StepProgress(operation, next, restoring.get(next).description()));
                        } else {
                            recordRestore(new RestoreProgress(backupName, uid, location, RestoreProgress.SUCCEEDED,
                                    new StepProgress(operation, next, null), "restored from " + location + "; to restore again, remove"
                                            + " spec.restore and set it again, or name another backup"), null);
                        }
                    });
            if (stop.isPresent() && stop.get().refused()) {
                int index = stop.get().step();
                recordRestore(new RestoreProgress(backupName, uid, location, RestoreProgress.REFUSED,
                        new StepProgress(operation, index, restoring.get(index).description()), stop.get().why()),
                        null);
                metrics.reconciled(Outcome.REFUSED);
                return UpdateControl.noUpdate();
            }
            if (stop.isPresent()) {
                int index = stop.get().step();
                recordRestore(new RestoreProgress(backupName, uid, location, RestoreProgress.RUNNING, null,
                        "step " + (index + 1) + "/" + restoring.size() + ": waiting for " + stop.get().why()),
                        status().getSteps());
            }
            metrics.reconciled(Outcome.PROGRESSING);
            // The next reconcile takes the runtime from here as usual: applied plan, rolling restart, status.
            return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck);
        }

        /**
         * Runs the member rebuild {@code status.memberRebuild} records, or starts the one {@code spec.memberRebuild}
         * asks for when {@code mayStart} (the StatefulSet runs the spec's size, no replica change under way).
         *
         * @return the reconcile's result while the rebuild runs; empty when none runs, it ended in this reconcile,
         *     or it was refused (recorded, nothing changed), so that the reconcile goes on as usual
         */
        private Optional<UpdateControl<CacheRuntime>> rebuildMember(HighAvailabilityProvider provider, HaSpec spec,
                StatefulSet desiredSet, boolean mayStart) {
            MemberRebuildProgress recorded = status().getMemberRebuild();
            boolean running = rebuildRunning();
            Optional<Integer> requested = rebuildRequested();
            if (!running && (requested.isEmpty() || !mayStart)) {
                return Optional.empty();
            }
            int member = running ? recorded.getMember() : requested.get();
            // Only the last member is ever rebuilt (below), so the quorum it belongs to has member + 1 members,
            // whatever spec.replicas says now.
            HaSpec quorum = running ? spec.withReplicas(member + 1) : spec;
            List<String> refusals = new ArrayList<>();
            MemberRebuildPlan plan = null;
            if (!provider.capabilities().contains(Capability.MEMBER_REBUILD)) {
                refusals.add("spec.memberRebuild: the " + provider.engine() + " provider cannot rebuild a member");
            } else if (member >= 0 && member < quorum.replicas() - 1) {
                refusals.add("spec.memberRebuild.member: " + member + " is not the last member ("
                        + (quorum.replicas() - 1) + "): this controller stops a member by scaling its StatefulSet"
                        + " down, which would stop the members above it too");
            } else {
                try {
                    plan = provider.planMemberRebuild(quorum, discover(provider, quorum), member);
                } catch (OperationRefusedException refused) {
                    refused.reasons().forEach(reason -> refusals.add("spec.memberRebuild.member " + member + ": "
                            + reason));
                }
            }
            if (plan == null) {
                String why = String.join("; ", refusals);
                if (running) {
                    // The member may be stopped with its journal gone: the rebuild waits until it may go on.
                    recordRebuild(new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, "waiting: " + why),
                            status().getSteps());
                    metrics.reconciled(Outcome.PROGRESSING);
                    return Optional.of(UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck));
                }
                recordRebuild(new MemberRebuildProgress(member, MemberRebuildProgress.REFUSED, why),
                        status().getSteps());
                return Optional.empty();
            }
            List<Step> rebuilding = plan.steps();
            String operation = new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, null).operation();
            if (!running) {
                recordRebuild(new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, "rebuild of member "
                        + member + " started"), new StepProgress(operation, 0, rebuilding.get(0).description()));
            }
            Optional<StepRunner.Stop> stop = steps.run(rebuilding, resumeAt(operation),
                    target(provider, quorum, quorum, desiredSet), "rebuild/" + member, next -> recordRebuild(
                            next < rebuilding.size()
                                    ? new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, null)
                                    : new MemberRebuildProgress(member, MemberRebuildProgress.SUCCEEDED, "member "
                                            + member + " follows again, from a fresh journal; to rebuild it again,"
                                            + " remove spec.memberRebuild and set it again"),
                            next < rebuilding.size()
                                    ? new StepProgress(operation, next, rebuilding.get(next).description()) : null));
            if (stop.isEmpty()) {
                return Optional.empty();
            }
            int index = stop.get().step();
            if (stop.get().refused()) {
                recordRebuild(new MemberRebuildProgress(member, MemberRebuildProgress.REFUSED, stop.get().why()),
                        null);
                return Optional.empty();
            }
            recordRebuild(new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, "step " + (index + 1)
                    + "/" + rebuilding.size() + ": waiting for " + stop.get().why()), status().getSteps());
            metrics.reconciled(Outcome.PROGRESSING);
            return Optional.of(UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck));
        }

        private boolean rebuildRunning() {
            MemberRebuildProgress recorded = status().getMemberRebuild();
            return recorded != null && MemberRebuildProgress.RUNNING.equals(recorded.getPhase());
        }

        /** The member {@code spec.memberRebuild} names, when it names one whose rebuild has not succeeded already. */
        private Optional<Integer> rebuildRequested() {
            MemberRebuildProgress recorded = status().getMemberRebuild();
            return requestedRebuild().filter(member -> recorded == null || !recorded.ends(member));
        }

        /** The member {@code spec.memberRebuild} names, if any. */
        private Optional<Integer> requestedRebuild() {
            return Optional.ofNullable(runtime.getSpec().getMemberRebuild()).map(MemberRebuildRequest::getMember);
        }

        /**
         * Writes {@code rebuild} and the progress of its steps ({@code steps}) in one write, with the Progressing
         * condition while it runs; nothing else of the status changes.
         */
        private void recordRebuild(MemberRebuildProgress rebuild, StepProgress steps) {
            CacheRuntimeStatus status = copy(status());
            status.setMemberRebuild(rebuild);
            status.setSteps(steps);
            status.setObservedGeneration(runtime.getMetadata().getGeneration());
            if (MemberRebuildProgress.RUNNING.equals(rebuild.getPhase())) {
                String message = rebuild.getMessage() != null || steps == null ? rebuild.getMessage()
                        : steps.getStepDescription();
                status.setMessage(message);
                status.setConditions(conditions(status)
                        .set(RuntimeConditions.PROGRESSING, true, "MemberRebuild", message)
                        .build());
            }
            write(status);
        }

        /** The verified backup {@code resource} recorded, if it is one this runtime may restore. */
        private Optional<Backup> backup(CacheRuntimeBackup resource, HighAvailabilityProvider provider, HaSpec spec,
                List<String> refusals) {
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
        private void recordRestore(RestoreProgress restore, StepProgress steps) {
            CacheRuntimeStatus status = copy(status());
            status.setRestore(restore);
            status.setSteps(steps);
            status.setObservedGeneration(runtime.getMetadata().getGeneration());
            String phase = restore.getPhase();
            boolean running = RestoreProgress.RUNNING.equals(phase);
            String message = restore.getMessage() != null || steps == null ? restore.getMessage()
                    : steps.getStepDescription();
            status.setMessage(running ? message : null);
            status.setConditions(conditions(status)
                    .set(RuntimeConditions.READY, false, running ? "Restoring"
                            : RestoreProgress.REFUSED.equals(phase) ? "RestoreRefused"
                            : RestoreProgress.ABORTED.equals(phase) ? "RestoreAborted" : "Restored",
                            running ? "a restore from " + restore.getBackupName() + " runs; see status.restore"
                                    : message)
                    .set(RuntimeConditions.PROGRESSING, running, running ? "Restore" : "Idle", running ? message : null)
                    .set(RuntimeConditions.RESTORED, RestoreProgress.SUCCEEDED.equals(phase), phase, message)
                    .build());
            write(status);
        }

        /** The member's cached pod, if it is one of the StatefulSet this runtime controls. */
        private Optional<Pod> pod(Member member) {
            Optional<Pod> pod = view.find(Pod.class, member.namespace(), member.podName());
            return podRefusal(member, pod).isEmpty() ? pod : Optional.empty();
        }

        private Optional<String> podRefusal(Member member, Optional<Pod> pod) {
            return Ownership.podRefusal(runtime, statefulSetName,
                    view.find(StatefulSet.class, namespace, statefulSetName), member.podName(), pod);
        }

        /** How providers and commands reach the members: exec only into pods of the runtime's own StatefulSet. */
        private ClusterAccess ownedAccess() {
            return new ClusterAccess(access.probe(), new OwnedPodExec(access.exec(),
                    member -> podRefusal(member, view.find(Pod.class, member.namespace(), member.podName()))),
                    access.deadline());
        }

        private List<HasMetadata> desired(HaPlan plan, HaSpec spec) {
            List<HasMetadata> desired = owned.desired(BackupVolumeMount.mounted(plan.objects(), backupVolume,
                    client.getKubernetesSerialization()), runtime);
            TopologyChanges.record(statefulSet(desired), spec);
            return desired;
        }

        /**
         * What discovery says of {@code spec}'s members, asked once per reconcile and member count, off this thread.
         *
         * @throws DiscoveryPending when there is no fresh answer yet: the reconcile ends and is woken for it
         */
        private LeaderStatus discover(HighAvailabilityProvider provider, HaSpec spec) {
            String key = runtime.getMetadata().getUid() + "/" + spec.replicas();
            LeaderStatus answer = answers.get(key);
            if (answer == null) {
                LeaderDiscovery discovery = provider.leaderDiscovery(spec, ownedAccess());
                answer = discoveries.answer(runtime, key, () -> metrics.discover(provider.engine(), discovery))
                        .orElseThrow(DiscoveryPending::new);
                answers.put(key, answer);
            }
            return answer;
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
            wrote |= !roleLabels.update(quorum, this::pod).isEmpty();
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
            status.setRestore(restoreRecord(status.getRestore()));
            status.setMemberRebuild(rebuildRecord(status.getMemberRebuild()));
            if (status.getReplicaChange() == null) {
                // No operation runs here: a record of steps left by one that ended without clearing it (its
                // replica change record lost) must never resume a later operation that has the same name.
                status.setSteps(null);
            }
            boolean healthy = quorum.health() == LeaderStatus.Health.HEALTHY;
            Optional<String> backupRefusal = BackupAction.refusal(provider.plan(spec), quorum);
            RuntimeConditions conditions = conditions(status)
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
                conditions.set(RuntimeConditions.RESTORED, RestoreProgress.SUCCEEDED.equals(restore.getPhase()),
                        restore.getPhase(), restore.getMessage());
            }
            status.setConditions(conditions.build());
            write(status);
            metrics.reconciled(waiting != null ? Outcome.PROGRESSING : wrote ? Outcome.APPLIED : Outcome.UNCHANGED);
            // A requested rebuild that is refused or pending starts once the quorum allows it, which sends no event;
            // nor does the election that heals a quorum without a leader (with Alluxio's 10-20 s election timeouts
            // it ends after the last pod event of a failover, docs/reliability.md section 11).
            MemberRebuildProgress rebuild = status.getMemberRebuild();
            return healthy && (rebuild == null || MemberRebuildProgress.SUCCEEDED.equals(rebuild.getPhase()))
                    ? UpdateControl.noUpdate() : UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(recheck);
        }

        /**
         * What {@code status.restore} says while no restore runs: the record of the one that ended for the
         * backup {@code spec.restore} still names, Pending while a requested one waits for the runtime to run at
         * its size, the record of an aborted one while {@code spec.restore} is unset, and nothing else once
         * {@code spec.restore} is gone (so that setting it again restores again).
         */
        private RestoreProgress restoreRecord(RestoreProgress recorded) {
            Optional<String> requested = requestedBackup();
            if (requested.isEmpty()) {
                // An aborted restore stays stated until a restore is asked for again.
                return recorded != null && RestoreProgress.ABORTED.equals(recorded.getPhase()) ? recorded : null;
            }
            if (recorded != null && recorded.ends(requested.get())) {
                return recorded;
            }
            return new RestoreProgress(requested.get(), null, null, RestoreProgress.PENDING, null,
                    "waits until the StatefulSet runs spec.replicas members and no replica change is under way");
        }

        /**
         * What {@code status.memberRebuild} says while no rebuild runs: the record of the one {@code
         * spec.memberRebuild} still names (Succeeded or Refused), Pending while a requested one waits for the
         * runtime to run at its size, and nothing once {@code spec.memberRebuild} is gone.
         */
        private MemberRebuildProgress rebuildRecord(MemberRebuildProgress recorded) {
            Optional<Integer> requested = requestedRebuild();
            if (requested.isEmpty()) {
                return null;
            }
            if (recorded != null && requested.get().equals(recorded.getMember())) {
                return recorded;
            }
            return new MemberRebuildProgress(requested.get(), MemberRebuildProgress.PENDING, "waits until the"
                    + " StatefulSet runs spec.replicas members and no replica change or restore is under way");
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
            runtime = writeStatus(runtime, status, context);
            wrote |= before != runtime;
        }
    }

    /** Writes {@code status} on {@code runtime}, noting in Events what the change means; returns it as it is now. */
    private CacheRuntime writeStatus(CacheRuntime runtime, CacheRuntimeStatus status, Context<CacheRuntime> context) {
        CacheRuntime written = statusWriter.write(runtime, status, context);
        RuntimeStatusEvents.between(runtime.getStatus(), written.getStatus()).forEach(note -> events.record(written,
                note));
        return written;
    }

    /** A reconcile needs a leader discovery's answer that is not there yet. */
    private static final class DiscoveryPending extends RuntimeException {
        DiscoveryPending() {
            super("a leader discovery runs", null, false, false);
        }
    }

    private static StatefulSet statefulSet(List<HasMetadata> objects) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the plan has no StatefulSet"));
    }

    /** A copy of {@code status} (or an empty one), so the cached runtime is never changed in place. */
    private CacheRuntimeStatus copy(CacheRuntimeStatus status) {
        return status == null ? new CacheRuntimeStatus()
                : client.getKubernetesSerialization().clone(status);
    }
}
