package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.controller.access.CommandsInFlight;
import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.events.RateLimitedEvents;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.rolelabel.RoleLabels;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.examples.controller.status.StatusWriter;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
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
import java.util.stream.Stream;

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

    private final RuntimeServices services;
    private final JournalCleanup journals;
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
     * @param discoveries the controller's one pool of leader discoveries, which backups share
     */
    public CacheRuntimeReconciler(KubernetesClient client, HighAvailabilityProviders providers, ClusterAccess access,
            Duration recheck, Duration leaderCommandTimeout, ControllerMetrics metrics, ControllerSettings settings,
            DiscoveriesInFlight discoveries) {
        requireNonNull(client, "client");
        requireNonNull(leaderCommandTimeout, "leaderCommandTimeout");
        CacheRuntimeTranslator translator = new CacheRuntimeTranslator(providers, settings.admission());
        OwnedObjects owned = new OwnedObjects(client);
        PreconditionedDelete deletes = new PreconditionedDelete(client);
        MemberRoll roll = new MemberRoll(deletes);
        this.services = new RuntimeServices(client, translator, access, recheck, metrics, owned, roll,
                new StepRunner(client, owned, new StaleClaims(client), roll, commands, leaderCommandTimeout),
                new StatusWriter(client), new RateLimitedEvents(client, StatusText::bounded), new RoleLabels(client),
                discoveries.caller("leader-discoveries"));
        this.journals = new JournalCleanup(client, translator, deletes);
    }

    @Override
    public List<EventSource<?, CacheRuntime>> prepareEventSources(EventSourceContext<CacheRuntime> context) {
        List<EventSource<?, CacheRuntime>> sources = new ArrayList<>(ClusterView.eventSources(context));
        sources.add(services.discoveries().eventSource());
        return sources;
    }

    @Override
    public UpdateControl<CacheRuntime> reconcile(CacheRuntime runtime, Context<CacheRuntime> context) {
        RuntimeReconcile reconcile = new RuntimeReconcile(services, runtime, context);
        try {
            return reconcile.run();
        } catch (RuntimeReconcile.DiscoveryPending pending) {
            // Nothing is decided on a guess: the discovery's end (or a free slot for it) wakes the runtime; the
            // reschedule is only a safety net, long, since a short one would reconcile every runtime waiting for a
            // hung discovery over and over. The status keeps the last known answer meanwhile.
            return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(services.recheck().multipliedBy(60));
        } catch (RuntimeException failed) {
            throw new ReconcileFailed(reconcile.runtime, failed);
        }
    }

    /**
     * Says in the status why a reconcile failed (the API server refused a write or could not be reached); the
     * framework retries with backoff. The message goes onto the last status the failed reconcile wrote, which
     * its {@link ReconcileFailed} carries, never onto the runtime the framework passes, which is the one the
     * reconcile started from: that would undo the progress it recorded, and the retry would run again steps that
     * are done (a restore would wipe the journals it had just restored). The framework's cache is no better
     * source: a watch event older than the last write can replace that write there.
     *
     * <p>The message is written here, by the same writer as every status, rather than returned with
     * {@link ErrorStatusUpdateControl#patchStatus}: the framework's patch is a server-side apply, which would
     * leave behind the fields the other writes set and this one does not ({@link StatusWriter}).
     */
    @Override
    public ErrorStatusUpdateControl<CacheRuntime> updateErrorStatus(CacheRuntime runtime,
            Context<CacheRuntime> context, Exception failed) {
        services.metrics().reconciled(Outcome.FAILED);
        // The framework's metrics may have wrapped the failure.
        Optional<ReconcileFailed> reconcile = Stream.<Throwable>iterate(failed, Objects::nonNull, Throwable::getCause)
                .filter(ReconcileFailed.class::isInstance).map(ReconcileFailed.class::cast).findFirst();
        CacheRuntime latest = reconcile.map(known -> known.latest).orElse(runtime);
        Throwable why = reconcile.<Throwable>map(Throwable::getCause).orElse(failed);
        CacheRuntimeStatus status = RuntimeStatusUpdates.copy(latest.getStatus(), services.client());
        status.setMessage("reconcile failed: " + Objects.requireNonNullElse(why.getMessage(), why.toString()));
        try {
            RuntimeStatusUpdates.write(services, latest, status, context);
        } catch (RuntimeException statusNotWritten) {
            failed.addSuppressed(statusNotWritten);
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** A failed reconcile, with the runtime as the reconcile last wrote it. */
    private static final class ReconcileFailed extends RuntimeException {
        private final transient CacheRuntime latest;

        ReconcileFailed(CacheRuntime latest, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.latest = latest;
        }
    }

    /** Deletes the runtime's journal claims ({@link JournalCleanup}); the framework then removes the finalizer. */
    @Override
    public DeleteControl cleanup(CacheRuntime runtime, Context<CacheRuntime> context) {
        services.metrics().forget(runtime.getMetadata().getNamespace(), runtime.getMetadata().getName());
        commands.forget(runtime.getMetadata().getUid() + "/");
        services.discoveries().forget(runtime.getMetadata().getUid() + "/");
        journals.delete(runtime);
        return DeleteControl.defaultDelete();
    }
}
