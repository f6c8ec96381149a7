package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.CacheRuntimeTranslator;
import dev.cacheha.examples.controller.runtime.TranslatedRuntime;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Brings a {@link CacheRuntime} to what its spec asks, Fluid style, with the engine's high-availability
 * provider doing the engine-specific part:
 * <ol>
 *   <li>a spec that breaks a rule gets every violation in its status and nothing is applied; so does a journal
 *       change that the running StatefulSet's claim templates cannot take;</li>
 *   <li>a changed replica count goes through the provider's replica-change plan;</li>
 *   <li>the plan's objects are applied, owned by the runtime; unchanged objects are not written;</li>
 *   <li>the leader and the quorum's health go into the status, which is only written when it changed;</li>
 *   <li>a runtime being deleted has the journal claims its provider names deleted, and only those.</li>
 * </ol>
 * A write the API server refuses, or any other failure while applying, is written to the status's message and
 * then thrown, so the runtime says why it is stuck and the caller's work queue retries it with backoff, as
 * for any reconcile that fails.
 * Not thread-safe for one runtime: a controller reconciles each runtime from one worker at a time.
 */
public final class CacheRuntimeReconciler {

    /** Keeps a deleted runtime until its journal claims are gone: the claims have no owner reference. */
    public static final String CLEANUP_FINALIZER = "data.cacheha.dev/journal-cleanup";

    /**
     * How long one command a replica change runs on the leader may take, such as Alluxio's
     * {@code fsadmin journal quorum remove}: the CLI's JVM alone starts in one to three seconds, and the
     * change waits for the quorum to commit the new configuration.
     */
    public static final Duration DEFAULT_LEADER_COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final CacheRuntimeTranslator translator;
    private final ClusterAccess access;
    private final ObjectApplier applier;
    private final ReplicaChangeRunner replicaChanges;

    /**
     * @param client the cluster
     * @param providers where each runtime's engine is looked up
     * @param access how providers reach the masters, for leader discovery and replica changes
     * @param wait how long a replica change waits for the quorum at each step
     * @param leaderCommandTimeout how long one command of a replica change may run on the leader; the
     *     access's deadline bounds single probes and is far too short for a command that starts a JVM (see
     *     {@link #DEFAULT_LEADER_COMMAND_TIMEOUT})
     */
    public CacheRuntimeReconciler(KubernetesClient client, HighAvailabilityProviders providers, ClusterAccess access,
            BoundedWait wait, Duration leaderCommandTimeout) {
        this.client = requireNonNull(client, "client");
        this.translator = new CacheRuntimeTranslator(providers);
        this.access = requireNonNull(access, "access");
        this.applier = new ObjectApplier(client);
        this.replicaChanges = new ReplicaChangeRunner(client, applier, access, wait, leaderCommandTimeout);
    }

    /**
     * Reconciles the runtime {@code name} in {@code namespace}, as it is now on the server.
     *
     * @throws RuntimeException (typically a {@code KubernetesClientException}) when applying the plan failed;
     *     the runtime's status message says so before it is thrown. Violations and a replica change that
     *     stopped at a step are not thrown: they are the runtime's state, written to its status.
     */
    public ReconcileOutcome reconcile(String namespace, String name) {
        CacheRuntime runtime = client.resources(CacheRuntime.class).inNamespace(namespace).withName(name).get();
        if (runtime == null) {
            return new ReconcileOutcome(List.of(), List.of(), Optional.empty());
        }
        if (runtime.getMetadata().getDeletionTimestamp() != null) {
            return cleanUp(runtime);
        }
        if (!runtime.getMetadata().getFinalizers().contains(CLEANUP_FINALIZER)) {
            runtime = client.resource(runtime).edit(r -> {
                r.getMetadata().getFinalizers().add(CLEANUP_FINALIZER);
                return r;
            });
        }
        TranslatedRuntime translated;
        try {
            translated = translator.translate(runtime);
        } catch (SpecValidationException refused) {
            return refuse(runtime, refused.violations());
        }
        return converge(runtime, translated.provider(), translated.spec());
    }

    private ReconcileOutcome converge(CacheRuntime runtime, HighAvailabilityProvider provider, HaSpec spec) {
        Integer running = runtime.getStatus() == null ? null : runtime.getStatus().getReplicas();
        List<AppliedObject> applied = new ArrayList<>();
        Integer established = running;
        String message = null;
        RuntimeException notApplied = null;
        try {
            HaPlan plan = provider.plan(spec);
            List<Violation> immutable = claimTemplateChanges(plan, runtime);
            if (!immutable.isEmpty()) {
                return refuse(runtime, immutable);
            }
            if (running != null && running != spec.replicas()) {
                applied.addAll(replicaChanges.run(provider, spec,
                        provider.planReplicaChange(spec.withReplicas(running), spec.replicas()), runtime));
                established = spec.replicas();
            }
            for (HasMetadata object : plan.objects()) {
                applied.add(applier.apply(object, runtime));
            }
            established = spec.replicas();
        } catch (SpecValidationException refused) {
            return refuse(runtime, refused.violations());
        } catch (UnsupportedOperationException cannotChange) {
            return refuse(runtime, List.of(new Violation("replicas", cannotChange.getMessage()
                    + "; the running quorum has " + running + " masters")));
        } catch (ReplicaChangeFailedException failed) {
            message = failed.getMessage();
        } catch (RuntimeException failed) {
            // The API server refused a write (an admission webhook, a conflict) or could not be reached.
            notApplied = failed;
            message = "applying the plan failed: "
                    + Objects.requireNonNullElse(failed.getMessage(), failed.toString());
        }
        int discovered = Objects.requireNonNullElse(established, spec.replicas());
        LeaderStatus leader = provider.leaderDiscovery(spec.withReplicas(discovered), access).discover();
        CacheRuntimeStatus status = new CacheRuntimeStatus();
        status.setLeader(leader.leader().map(Member::podName).orElse(null));
        status.setQuorumHealth(leader.health().name());
        status.setObservedGeneration(runtime.getMetadata().getGeneration());
        status.setReplicas(established);
        status.setMessage(message);
        if (notApplied == null) {
            return new ReconcileOutcome(applied, List.of(), Optional.of(writeStatus(runtime, status)));
        }
        try {
            writeStatus(runtime, status);
        } catch (RuntimeException statusNotWritten) {
            notApplied.addSuppressed(statusNotWritten);
        }
        throw notApplied;
    }

    /**
     * Why the plan's StatefulSets cannot be applied over the ones running, if they cannot: Kubernetes
     * refuses any change to a StatefulSet's claim templates, and a patch it refuses on every reconcile would
     * leave the runtime stuck with no word in its status.
     */
    private List<Violation> claimTemplateChanges(HaPlan plan, CacheRuntime runtime) {
        List<Violation> violations = new ArrayList<>();
        for (HasMetadata object : plan.objects()) {
            if (object instanceof StatefulSet desired) {
                StatefulSet live = client.apps().statefulSets().inNamespace(runtime.getMetadata().getNamespace())
                        .withName(desired.getMetadata().getName()).get();
                if (live != null) {
                    violations.addAll(ClaimTemplateChanges.refused(live, desired));
                }
            }
        }
        return violations;
    }

    /** Writes the violations and applies nothing: a half-valid spec must never become half a quorum. */
    private ReconcileOutcome refuse(CacheRuntime runtime, List<Violation> violations) {
        CacheRuntimeStatus status = new CacheRuntimeStatus();
        status.setViolations(violations.stream().map(Violation::toString).toList());
        status.setObservedGeneration(runtime.getMetadata().getGeneration());
        // The quorum that runs is unchanged by a refused spec; a later replica change starts from it.
        status.setReplicas(runtime.getStatus() == null ? null : runtime.getStatus().getReplicas());
        return new ReconcileOutcome(List.of(), List.of(), Optional.of(writeStatus(runtime, status)));
    }

    /**
     * Deletes the journal claims the provider says the runtime owns, then lets the runtime go. Claims of
     * other runtimes in the namespace, look-alike names included, stay. A runtime whose spec no longer
     * translates keeps every claim: deleting data on a guess is worse than leaving a claim behind.
     */
    private ReconcileOutcome cleanUp(CacheRuntime runtime) {
        List<String> deleted = new ArrayList<>();
        if (runtime.getMetadata().getFinalizers().contains(CLEANUP_FINALIZER)) {
            Optional<TranslatedRuntime> translated = translateForCleanUp(runtime);
            if (translated.isPresent()) {
                List<PersistentVolumeClaim> claims = client.persistentVolumeClaims()
                        .inNamespace(runtime.getMetadata().getNamespace()).list().getItems();
                CleanupPlan plan = translated.get().provider().cleanup(translated.get().spec(), claims);
                for (PersistentVolumeClaim claim : plan.delete()) {
                    client.resource(claim).delete();
                    deleted.add(claim.getMetadata().getName());
                }
            }
            client.resource(runtime).edit(r -> {
                r.getMetadata().getFinalizers().remove(CLEANUP_FINALIZER);
                return r;
            });
        }
        return new ReconcileOutcome(List.of(), deleted, Optional.empty());
    }

    private Optional<TranslatedRuntime> translateForCleanUp(CacheRuntime runtime) {
        try {
            return Optional.of(translator.translate(runtime));
        } catch (SpecValidationException refused) {
            return Optional.empty();
        }
    }

    private CacheRuntimeStatus writeStatus(CacheRuntime runtime, CacheRuntimeStatus status) {
        if (Objects.equals(runtime.getStatus(), status)) {
            return status;
        }
        return client.resource(runtime).editStatus(r -> {
            r.setStatus(status);
            return r;
        }).getStatus();
    }
}
