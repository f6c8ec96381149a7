package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.BackupVolumeSpec;
import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.access.CommandsInFlight;
import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.events.EventNote;
import dev.cacheha.examples.controller.events.RateLimitedEvents;
import dev.cacheha.examples.controller.ownership.OwnedPodExec;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.examples.controller.status.StatusWriter;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Takes each {@link CacheRuntimeBackup} once, through {@link BackupAction}: Pending while it cannot run yet (the
 * runtime is missing, is being restored, has no shared backup volume that holds a shared-volume target's
 * directory, does not control its live StatefulSet (a foreign quorum of the same name: nothing is run there), or
 * its quorum names no leader; looked at again after {@code recheck},
 * never by sleeping), Running once the leader is known and right before the command starts, then Succeeded with
 * the verified backup or Failed with the reason. A finished backup (Succeeded or Failed) is never run again, and
 * reconciling it sends no request.
 *
 * <p>Neither the leader discovery nor the command holds a reconcile thread. The discovery (which may fall back to
 * commands in the pods, up to a minute) runs through {@link DiscoveriesInFlight}, the pool the runtimes' discoveries
 * run in, bounded in all and per namespace whoever asks (a tenant's backups and runtimes draw on one per-namespace
 * limit): a backup whose discovery does not answer within {@link DiscoveriesInFlight#INLINE_WAIT} stays Pending, says
 * so, and is woken when the discovery ends, so one tenant's hanging discoveries cannot occupy the framework's
 * shared reconcile threads. The command is started, recorded as Running, and its outcome collected by a
 * later reconcile ({@link CommandsInFlight}). If the controller dies while the command runs, the status still says
 * Running and the next controller runs the backup again: the engine then writes a second, complete backup file
 * beside the first (Alluxio names each file by its time), which is harmless; the status records the one that was
 * verified.
 *
 * <p>Backups carry no finalizer: the reconciler is told of every event instead ({@code triggerReconcilerOnAllEvents}),
 * so that a backup deleted while its discovery or command runs has what is held in memory for it forgotten, rather
 * than kept for good (nothing would ever take it).
 */
@ControllerConfiguration(name = CacheRuntimeBackupReconciler.NAME, triggerReconcilerOnAllEvents = true)
public final class CacheRuntimeBackupReconciler implements Reconciler<CacheRuntimeBackup> {

    /** The controller's name in the framework and its metrics. */
    public static final String NAME = "cacheruntimebackup";

    /** True once the backup is taken; False with reason Pending, Running or Failed. */
    public static final String SUCCEEDED_CONDITION = "Succeeded";

    private final KubernetesClient client;
    private final CacheRuntimeTranslator translator;
    private final ClusterAccess access;
    private final Duration recheck;
    private final StatusWriter statusWriter;
    private final RateLimitedEvents events;
    /** Backup commands under way, by the backup's UID. */
    private final CommandsInFlight<BackupOutcome> commands = new CommandsInFlight<>();
    /** Leader discoveries before a backup, by the backup's UID. */
    private final DiscoveriesInFlight.Caller<CacheRuntimeBackup> discoveries;

    /**
     * @param client the cluster
     * @param providers where each runtime's engine is looked up
     * @param access how providers reach the masters and how the backup command runs
     * @param recheck how soon a Pending backup is looked at again
     * @param settings what the controller was started with (allowed images, cluster domain)
     * @param discoveries the controller's one pool of leader discoveries, which runtimes share
     */
    public CacheRuntimeBackupReconciler(KubernetesClient client, HighAvailabilityProviders providers,
            ClusterAccess access, Duration recheck, ControllerSettings settings, DiscoveriesInFlight discoveries) {
        this.client = requireNonNull(client, "client");
        this.translator = new CacheRuntimeTranslator(providers, settings.admission());
        this.access = requireNonNull(access, "access");
        this.recheck = requireNonNull(recheck, "recheck");
        this.statusWriter = new StatusWriter(client);
        this.events = new RateLimitedEvents(client, StatusText::bounded);
        this.discoveries = discoveries.caller("backup-leader-discoveries");
    }

    @Override
    public List<EventSource<?, CacheRuntimeBackup>> prepareEventSources(
            EventSourceContext<CacheRuntimeBackup> context) {
        return List.of(discoveries.eventSource());
    }

    @Override
    public UpdateControl<CacheRuntimeBackup> reconcile(CacheRuntimeBackup backup,
            Context<CacheRuntimeBackup> context) {
        String key = backup.getMetadata().getUid();
        if (context.isPrimaryResourceDeleted()) {
            // Its discovery or command may still run: it runs out, and nothing waits for its answer any more.
            discoveries.forget(key);
            commands.forget(key);
            return UpdateControl.noUpdate();
        }
        if (backup.getStatus() != null && backup.getStatus().finished()) {
            return UpdateControl.noUpdate();
        }
        if (commands.started(key)) {
            return collect(commands.done(key), () -> backup, context);
        }
        BackupRequest request;
        try {
            request = BackupRequest.of(backup.getSpec());
        } catch (SpecValidationException refused) {
            write(backup, CacheRuntimeBackupStatus.FAILED, null, refused.violations().stream()
                    .map(Violation::toString).collect(Collectors.joining("; ")), context);
            return UpdateControl.noUpdate();
        }
        String namespace = backup.getMetadata().getNamespace();
        CacheRuntime runtime = client.resources(CacheRuntime.class).inNamespace(namespace)
                .withName(request.runtimeName()).get();
        if (runtime == null) {
            return pending(backup, "spec.runtimeName: no CacheRuntime " + request.runtimeName() + " in namespace "
                    + namespace + " (yet)", context);
        }
        if (request.target() instanceof BackupTarget.SharedVolume shared) {
            Optional<String> unshared = unshared(shared.directory(), runtime);
            if (unshared.isPresent()) {
                return pending(backup, unshared.get(), context);
            }
        }
        RestoreProgress restore = runtime.getStatus() == null ? null : runtime.getStatus().getRestore();
        if (restore != null && RestoreProgress.RUNNING.equals(restore.phase())) {
            return pending(backup, "runtime " + request.runtimeName() + " is being restored from "
                    + restore.backupName() + "; its metadata is replaced until the restore ends", context);
        }
        Optional<HaPlan> planned = plan(runtime);
        Optional<String> statefulSetName = planned.flatMap(CacheRuntimeBackupReconciler::statefulSetName);
        Optional<String> notOurs = statefulSetName.flatMap(name -> Ownership.statefulSetRefusal(runtime, name,
                statefulSet(namespace, name)));
        if (notOurs.isPresent()) {
            return pending(backup, "refused: " + notOurs.get() + "; a backup runs only in a quorum its runtime"
                    + " controls, so nothing was run", context);
        }
        List<Violation> volumeRefusals = planned.flatMap(quorum -> volume(runtime).map(volume ->
                BackupVolumeMount.refusals(quorum, volume, Optional.ofNullable(client.persistentVolumeClaims()
                        .inNamespace(namespace).withName(volume.claimName()).get())))).orElse(List.of());
        if (!volumeRefusals.isEmpty()) {
            return pending(backup, "refused: runtime " + request.runtimeName() + "'s " + volumeRefusals.stream()
                    .map(Violation::toString).collect(Collectors.joining("; ")), context);
        }
        // Exec only into pods of that StatefulSet, checked again right before the command goes out.
        ClusterAccess owned = new ClusterAccess(access.probe(), new OwnedPodExec(access.exec(),
                member -> statefulSetName.flatMap(name -> Ownership.podRefusal(runtime, name,
                        statefulSet(namespace, name), member.podName(), Optional.ofNullable(client.pods()
                                .inNamespace(namespace).withName(member.podName()).get())))),
                access.deadline());
        CacheRuntimeBackup[] current = {backup};
        BackupAction action = new BackupAction(translator, owned,
                discovery -> discoveries.answer(backup, key, discovery));
        Optional<CompletableFuture<BackupOutcome>> started = action.start(runtime, request.target(),
                plan -> current[0] = write(current[0], CacheRuntimeBackupStatus.RUNNING, null, "running "
                        + plan.argv() + " in " + plan.container() + " of " + plan.leader().podName()
                        + " (the leader), within " + plan.timeout(), context));
        if (started.isEmpty()) {
            write(backup, CacheRuntimeBackupStatus.PENDING, null, "discovering the leader of runtime "
                    + request.runtimeName() + " (off the reconcile threads; the backup is looked at again when"
                    + " the discovery ends)", context);
            // The discovery's end (or a free slot for it) wakes the backup; the reschedule is only a safety net,
            // long, since a short one would reconcile every backup waiting for a hung discovery over and over.
            return UpdateControl.<CacheRuntimeBackup>noUpdate().rescheduleAfter(recheck.multipliedBy(60));
        }
        return collect(commands.done(key, started::get), () -> current[0], context);
    }

    /**
     * Records the outcome of a backup's command once it ended; while it runs (recorded as Running), the backup is
     * looked at again after {@code recheck}, which costs no request, and no reconcile thread waits for it.
     */
    private UpdateControl<CacheRuntimeBackup> collect(Optional<CompletableFuture<BackupOutcome>> done,
            Supplier<CacheRuntimeBackup> latest, Context<CacheRuntimeBackup> context) {
        if (done.isEmpty()) {
            return UpdateControl.<CacheRuntimeBackup>noUpdate().rescheduleAfter(recheck);
        }
        BackupOutcome outcome = done.get().join();
        if (outcome instanceof BackupOutcome.Taken taken) {
            write(latest.get(), CacheRuntimeBackupStatus.SUCCEEDED, BackupRecord.of(taken.backup()),
                    outcome.summary(), context);
        } else if (outcome instanceof BackupOutcome.Failed) {
            write(latest.get(), CacheRuntimeBackupStatus.FAILED, null, outcome.summary(), context);
        } else {
            return pending(latest.get(), outcome.summary(), context);
        }
        return UpdateControl.noUpdate();
    }

    /**
     * Why {@code directory} is not on the runtime's shared backup volume, if it is not: a backup written
     * anywhere else would land on the leader's own disk, where no other member can read it for a restore. The
     * runtime may still get its volume, so the backup waits rather than fails.
     */
    private static Optional<String> unshared(String directory, CacheRuntime runtime) {
        BackupVolumeSpec volume = runtime.getSpec() == null ? null : runtime.getSpec().getBackupVolume();
        String field = "spec.target.sharedVolume.directory";
        if (volume == null || volume.mountPath() == null) {
            return Optional.of(field + ": runtime " + runtime.getMetadata().getName() + " has no"
                    + " spec.backupVolume, so no volume is shared by its masters; give it one and mount "
                    + directory + " below it");
        }
        try {
            if (new BackupVolume(volume.claimName(), volume.mountPath()).holds(directory)) {
                return Optional.empty();
            }
        } catch (SpecValidationException broken) {
            return Optional.of(field + ": runtime " + runtime.getMetadata().getName() + "'s spec.backupVolume"
                    + " is invalid: " + broken.violations());
        }
        return Optional.of(field + ": " + directory + " is not below runtime " + runtime.getMetadata().getName()
                + "'s spec.backupVolume.mountPath " + volume.mountPath() + ", the only directory its masters"
                + " share");
    }

    /** The runtime's plan; empty if its spec does not translate, which the action reports (running nothing). */
    private Optional<HaPlan> plan(CacheRuntime runtime) {
        try {
            TranslatedRuntime translated = translator.translate(runtime);
            return Optional.of(translated.provider().plan(translated.spec()));
        } catch (SpecValidationException refused) {
            return Optional.empty();
        }
    }

    private static Optional<String> statefulSetName(HaPlan plan) {
        return plan.objects().stream().filter(StatefulSet.class::isInstance)
                .map(object -> object.getMetadata().getName()).findFirst();
    }

    private static Optional<BackupVolume> volume(CacheRuntime runtime) {
        BackupVolumeSpec volume = runtime.getSpec() == null ? null : runtime.getSpec().getBackupVolume();
        try {
            return volume == null ? Optional.empty()
                    : Optional.of(new BackupVolume(volume.claimName(), volume.mountPath()));
        } catch (SpecValidationException broken) {
            return Optional.empty();
        }
    }

    private Optional<StatefulSet> statefulSet(String namespace, String name) {
        return Optional.ofNullable(client.apps().statefulSets().inNamespace(namespace).withName(name).get());
    }

    private UpdateControl<CacheRuntimeBackup> pending(CacheRuntimeBackup backup, String why,
            Context<CacheRuntimeBackup> context) {
        write(backup, CacheRuntimeBackupStatus.PENDING, null, why, context);
        return UpdateControl.<CacheRuntimeBackup>noUpdate().rescheduleAfter(recheck);
    }

    private CacheRuntimeBackup write(CacheRuntimeBackup backup, String phase, BackupRecord taken, String message,
            Context<CacheRuntimeBackup> context) {
        CacheRuntimeBackupStatus previous = Objects.requireNonNullElseGet(backup.getStatus(),
                CacheRuntimeBackupStatus::new);
        CacheRuntimeBackupStatus status = new CacheRuntimeBackupStatus();
        status.setPhase(phase);
        status.setBackup(taken);
        status.setMessage(message);
        status.setObservedGeneration(backup.getMetadata().getGeneration());
        status.setConditions(new RuntimeConditions(previous.getConditions(), backup.getMetadata().getGeneration())
                .set(SUCCEEDED_CONDITION, CacheRuntimeBackupStatus.SUCCEEDED.equals(phase), phase, message)
                .build());
        CacheRuntimeBackup written = statusWriter.write(backup, status, context);
        if (!phase.equals(previous.getPhase()) || !Objects.equals(message, previous.getMessage())) {
            events.record(written, new EventNote(CacheRuntimeBackupStatus.FAILED.equals(phase), "Backup" + phase,
                    Objects.requireNonNullElse(message, "backup " + phase)));
        }
        return written;
    }
}
