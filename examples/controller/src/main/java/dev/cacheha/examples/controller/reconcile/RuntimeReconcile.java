package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.backup.BackupVolumeMount;
import dev.cacheha.examples.controller.ownership.OwnedPodExec;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.ReplicaChangeProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One reconcile of one runtime; the worker thread owns it until it returns. {@link #run} is the table of contents
 * of a reconcile; what a reconcile knows while it runs (the runtime as last written, the discoveries' answers)
 * and the helpers every part shares are here, the parts are in {@link ReplicaChange}, {@link RuntimeRestore},
 * {@link MemberRebuild} and {@link RuntimeStatusUpdates}.
 */
final class RuntimeReconcile {

    final RuntimeServices services;
    final Context<CacheRuntime> context;
    final ClusterView view;
    final String namespace;
    /** The runtime as this reconcile last wrote it: the progress recorded so far is read from here. */
    CacheRuntime runtime;
    /** Whether this reconcile changed anything in the cluster, for the reconcile's metric. */
    boolean wrote;
    String statefulSetName;
    Optional<BackupVolume> backupVolume = Optional.empty();
    /** The discoveries' answers this reconcile took, by member count: one reconcile, one view of the quorum. */
    private final Map<String, LeaderStatus> answers = new HashMap<>();
    final RuntimeStatusUpdates statusUpdates;
    private final ReplicaChange replicaChange;
    final RuntimeRestore restore;
    final MemberRebuild rebuild;

    RuntimeReconcile(RuntimeServices services, CacheRuntime runtime, Context<CacheRuntime> context) {
        this.services = requireNonNull(services, "services");
        this.runtime = requireNonNull(runtime, "runtime");
        this.context = requireNonNull(context, "context");
        this.view = new ClusterView(context);
        this.namespace = runtime.getMetadata().getNamespace();
        this.statusUpdates = new RuntimeStatusUpdates(this);
        this.replicaChange = new ReplicaChange(this);
        this.restore = new RuntimeRestore(this);
        this.rebuild = new MemberRebuild(this);
    }

    /**
     * The reconcile, top-down: translate and plan (refused: violations in the status), check what the running
     * objects cannot take and who owns the planned names, then the one operation that runs (restore, member
     * rebuild, replica change), apply and prune the plan's objects, roll members onto a new configuration, and
     * write the settled status.
     */
    UpdateControl<CacheRuntime> run() {
        TranslatedRuntime translated;
        try {
            translated = services.translator().translate(runtime);
        } catch (SpecValidationException refused) {
            return statusUpdates.refuse(refused.violations());
        }
        HighAvailabilityProvider provider = translated.provider();
        HaSpec spec = translated.spec();
        backupVolume = translated.backupVolume();
        ReplicaChangeProgress progress = status().getReplicaChange();
        HaSpec planned = progress == null ? spec : spec.withReplicas(progress.toReplicas());
        HaPlan plan;
        try {
            plan = provider.plan(planned);
        } catch (SpecValidationException refused) {
            return statusUpdates.refuse(refused.violations());
        }
        HaPlan mountedInto = plan;
        List<Violation> clashes = backupVolume.map(volume -> BackupVolumeMount.refusals(mountedInto, volume,
                view.backupVolumeClaim(namespace, volume.claimName()))).orElse(List.of());
        if (!clashes.isEmpty()) {
            // A claim labelled later sends this runtime no event (the claim informer maps to no runtime).
            return statusUpdates.refuse(clashes).rescheduleAfter(services.recheck().multipliedBy(6));
        }
        List<HasMetadata> desired = desired(plan, planned);
        StatefulSet desiredSet = statefulSet(desired);
        statefulSetName = desiredSet.getMetadata().getName();
        Optional<StatefulSet> live = view.find(StatefulSet.class, namespace, statefulSetName);
        if (live.isPresent()) {
            List<Violation> immutable = new ArrayList<>(ClaimTemplateChanges.refused(live.get(), desiredSet));
            immutable.addAll(TopologyChanges.refused(live.get(), planned));
            if (!immutable.isEmpty()) {
                return statusUpdates.refuse(immutable);
            }
        }
        List<String> blockers = services.owned().blockers(desired, runtime, view);
        if (!blockers.isEmpty()) {
            return statusUpdates.blocked(blockers);
        }
        try {
            Optional<UpdateControl<CacheRuntime>> restoring = restore.run(provider, spec, desiredSet, progress, live);
            if (restoring.isPresent()) {
                return restoring.get();
            }
            boolean atSize = live.isPresent() && live.get().getSpec().getReplicas() == spec.replicas();
            Optional<UpdateControl<CacheRuntime>> rebuilding = rebuild.run(provider, spec, desiredSet,
                    progress == null && atSize);
            if (rebuilding.isPresent()) {
                return rebuilding.get();
            }
            if (progress == null && live.isPresent() && !atSize) {
                progress = replicaChange.start(provider, spec, live.get().getSpec().getReplicas());
                if (progress == null) {
                    return UpdateControl.noUpdate();
                }
            }
            if (progress != null) {
                Optional<String> waiting = replicaChange.run(provider, spec, progress);
                if (waiting.isPresent()) {
                    return statusUpdates.progressing(provider, planned, waiting.get(), false, false);
                }
                plan = provider.plan(spec);
                desired = desired(plan, spec);
                desiredSet = statefulSet(desired);
            }
            applyAndPrune(desired);
            Optional<MemberRoll.Waiting> rolling = services.roll().step(plan.members(),
                    ConfigDigest.planned(desiredSet), this::pod, () -> discover(provider, spec));
            if (rolling.isPresent()) {
                return statusUpdates.progressing(provider, spec, "rolling restart for a configuration change:"
                        + " waiting for " + rolling.get().what(), rolling.get().endsWithPodEvent(),
                        rolling.get().podMissing());
            }
            return statusUpdates.settled(provider, spec, null, false);
        } catch (OwnedObjects.ForeignObjectException foreign) {
            return statusUpdates.blocked(List.of(foreign.blocker()));
        } catch (OwnedObjects.ChangedSinceCachedException behind) {
            return statusUpdates.superseded(behind);
        }
    }

    /** Creates or applies every object of {@code desired}, then deletes the owned ones that left the plan. */
    private void applyAndPrune(List<HasMetadata> desired) {
        boolean applied = false;
        for (HasMetadata object : desired) {
            applied |= services.owned().apply(object, runtime, view) != OwnedObjects.Applied.UNCHANGED;
        }
        applied |= !services.owned().prune(desired, runtime, view).isEmpty();
        wrote |= applied;
    }

    /** The member's cached pod, if it is one of the StatefulSet this runtime controls. */
    Optional<Pod> pod(Member member) {
        Optional<Pod> pod = view.find(Pod.class, member.namespace(), member.podName());
        return podRefusal(member, pod).isEmpty() ? pod : Optional.empty();
    }

    private Optional<String> podRefusal(Member member, Optional<Pod> pod) {
        return Ownership.podRefusal(runtime, statefulSetName,
                view.find(StatefulSet.class, namespace, statefulSetName), member.podName(), pod);
    }

    /** How providers and commands reach the members: exec only into pods of the runtime's own StatefulSet. */
    private ClusterAccess ownedAccess() {
        ClusterAccess access = services.access();
        return new ClusterAccess(access.probe(), new OwnedPodExec(access.exec(),
                member -> podRefusal(member, view.find(Pod.class, member.namespace(), member.podName()))),
                access.deadline());
    }

    /** The objects {@code plan} asks for, as the runtime owns them, with the backup volume mounted. */
    List<HasMetadata> desired(HaPlan plan, HaSpec spec) {
        List<HasMetadata> desired = services.owned().desired(BackupVolumeMount.mounted(plan.objects(),
                backupVolume, services.client().getKubernetesSerialization()), runtime);
        TopologyChanges.record(statefulSet(desired), spec);
        return desired;
    }

    /**
     * What discovery says of {@code spec}'s members, asked once per reconcile and member count, off this thread.
     * An answer is of the pods as they were when it was asked ({@link #discoveryKey}). While a new runtime's
     * members start and none of their pods is Ready, they are asked over the network only: a command there starts
     * a JVM beside a master that is starting itself (Alluxio's CLI fallback held a start's first discovery for
     * 19.5 s), and a quorum still forming is not shown while the runtime starts anyway. The first Ready pod changes
     * the key, and commands are asked again (Jindo's discovery is only commands).
     *
     * @throws DiscoveryPending when there is no fresh answer yet: the reconcile ends and is woken for it
     */
    LeaderStatus discover(HighAvailabilityProvider provider, HaSpec spec) {
        String quorum = runtime.getMetadata().getUid() + "/" + spec.replicas() + "/";
        List<Optional<Pod>> memberPods = statefulSetName == null ? List.of() : IntStream.range(0, spec.replicas())
                .mapToObj(ordinal -> view.find(Pod.class, namespace, statefulSetName + "-" + ordinal)).toList();
        boolean networkOnly = RuntimeStatusUpdates.neverReady(status())
                && memberPods.stream().flatMap(Optional::stream).noneMatch(Readiness::isPodReady);
        String key = discoveryKey(quorum, memberPods) + (networkOnly ? "/network-only" : "");
        LeaderStatus answer = answers.get(key);
        if (answer == null) {
            services.discoveries().forgetOthers(quorum, key);
            ClusterAccess access = ownedAccess();
            LeaderDiscovery discovery = provider.leaderDiscovery(spec, networkOnly
                    ? new ClusterAccess(access.probe(), PodExec.unavailable(), access.deadline()) : access);
            answer = services.discoveries().answer(runtime, key,
                    () -> services.metrics().discover(provider.engine(), discovery))
                    .orElseThrow(DiscoveryPending::new);
            answers.put(key, answer);
        }
        return answer;
    }

    /**
     * The key of a discovery of {@code quorum} (a runtime and its member count) while {@code memberPods} (by
     * ordinal, as the cache has them) run: each pod's UID and readiness, or {@code -} where there is no pod. A
     * discovery outliving its reconcile is handed to a later one, never across a change of pods: one asked while a
     * replaced pod still answered (FOLLOWER, naming the leader, as it shut down) would speak for the new pod,
     * whose master has not even started, and the roll would restart the next member at once (the Kubernetes
     * demo's narration showed two members restarted a second apart; docs/reliability.md section 11); one asked
     * before a pod turned Ready may still wait for a command in a starting pod, while the pods now answer at once.
     */
    static String discoveryKey(String quorum, List<Optional<Pod>> memberPods) {
        return quorum + memberPods.stream().map(pod -> pod.map(known -> known.getMetadata().getUid()
                        + (Readiness.isPodReady(known) ? "/Ready" : "")).orElse("-"))
                .collect(Collectors.joining(","));
    }

    /**
     * What steps act on: the runtime's quorum going to {@code spec}, whose StatefulSet is {@code statefulSet},
     * with waits and commands asking the members of {@code everyMember}.
     */
    StepTarget target(HighAvailabilityProvider provider, HaSpec spec, HaSpec everyMember,
            StatefulSet statefulSet) {
        return new StepTarget(runtime, provider, spec, everyMember, statefulSet, view,
                haPlan -> desired(haPlan, spec), members -> discover(provider, members), ownedAccess(), this::pod);
    }

    /** The step {@code status.steps} says {@code operation} resumes at; 0 when it records another. */
    int resumeAt(String operation) {
        StepProgress recorded = status().getSteps();
        return recorded != null && recorded.of(operation) ? recorded.nextStep() : 0;
    }

    /** The runtime's conditions as they are, to change some of them. */
    RuntimeConditions conditions(CacheRuntimeStatus status) {
        RuntimeConditions conditions = new RuntimeConditions(status.getConditions(),
                runtime.getMetadata().getGeneration());
        Objects.requireNonNullElse(status.getConditions(), List.<Condition>of())
                .forEach(previous -> conditions.set(previous.getType(), "True".equals(previous.getStatus()),
                        previous.getReason(), previous.getMessage()));
        return conditions;
    }

    /** The status as this reconcile last wrote it (or found it). */
    CacheRuntimeStatus status() {
        return Objects.requireNonNullElseGet(runtime.getStatus(), CacheRuntimeStatus::new);
    }

    /** A copy of the status to change, so the cached runtime is never changed in place. */
    CacheRuntimeStatus statusCopy() {
        return RuntimeStatusUpdates.copy(runtime.getStatus(), services.client());
    }

    /** Writes {@code status} (when it changed), with the Events the change means. */
    void write(CacheRuntimeStatus status) {
        CacheRuntime before = runtime;
        runtime = RuntimeStatusUpdates.write(services, runtime, status, context);
        wrote |= before != runtime;
    }

    static StatefulSet statefulSet(List<HasMetadata> objects) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the plan has no StatefulSet"));
    }

    /** A reconcile needs a leader discovery's answer that is not there yet. */
    static final class DiscoveryPending extends RuntimeException {
        DiscoveryPending() {
            super("a leader discovery runs", null, false, false);
        }
    }
}
