package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.events.RateLimitedEvents;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.rolelabel.RoleLabels;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.StatusWriter;
import dev.cacheha.spi.ClusterAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * What every reconcile of a runtime works with, made once by the {@link CacheRuntimeReconciler}: the reconcile's
 * parts ({@link RuntimeReconcile}, the operations, {@link RuntimeStatusUpdates}) take it instead of a dozen
 * constructor arguments each.
 *
 * @param client the cluster, for writes (reads come from the informers)
 * @param translator the runtime's spec to the engine's provider and {@code HaSpec}
 * @param access how providers reach the masters
 * @param recheck how soon a runtime that waits for its members is reconciled again
 * @param metrics quorum health, discovery latency and reconcile outcomes
 * @param owned the plan's objects, applied and pruned
 * @param roll rolling restarts
 * @param steps the one runner of every operation's steps
 * @param statusWriter status writes
 * @param events the runtime's Kubernetes Events
 * @param roleLabels the role label on each master pod
 * @param discoveries leader discoveries running off the worker threads, in the pool backups share
 */
record RuntimeServices(KubernetesClient client, CacheRuntimeTranslator translator, ClusterAccess access,
        Duration recheck, ControllerMetrics metrics, OwnedObjects owned, MemberRoll roll, StepRunner steps,
        StatusWriter statusWriter, RateLimitedEvents events, RoleLabels roleLabels,
        DiscoveriesInFlight.Caller<CacheRuntime> discoveries) {
    RuntimeServices {
        requireNonNull(client, "client");
        requireNonNull(translator, "translator");
        requireNonNull(access, "access");
        requireNonNull(recheck, "recheck");
        requireNonNull(metrics, "metrics");
        requireNonNull(owned, "owned");
        requireNonNull(roll, "roll");
        requireNonNull(steps, "steps");
        requireNonNull(statusWriter, "statusWriter");
        requireNonNull(events, "events");
        requireNonNull(roleLabels, "roleLabels");
        requireNonNull(discoveries, "discoveries");
    }
}
