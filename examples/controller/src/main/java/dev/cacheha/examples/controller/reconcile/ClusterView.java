package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cluster as the informers see it: every read of a reconcile comes from here, not from a GET, so a resync
 * of an unchanged runtime sends no request at all. The informers watch only objects labelled
 * {@code app.kubernetes.io/managed-by=cache-ha}; an object with a planned name but without that label is not
 * in the cache, which is why creation is a plain create that the server refuses when the name is taken.
 */
final class ClusterView {

    /** The kinds a plan may contain; the controller owns, updates and prunes objects of these kinds. */
    static final List<Class<? extends HasMetadata>> OWNED_KINDS = List.of(ConfigMap.class, NetworkPolicy.class,
            PodDisruptionBudget.class, Secret.class, Service.class, StatefulSet.class);

    /** The kinds the controller reads but never owns: the StatefulSet's pods and claims. */
    static final List<Class<? extends HasMetadata>> READ_KINDS = List.of(PersistentVolumeClaim.class, Pod.class);

    /** The informer of claims labelled as backup volumes, which users make and the controller never owns. */
    private static final String BACKUP_VOLUMES = "BackupVolumeClaim";

    private final Context<CacheRuntime> context;

    ClusterView(Context<CacheRuntime> context) {
        this.context = requireNonNull(context, "context");
    }

    /**
     * One informer per kind, labelled objects only, each event mapped to the runtime named by the object's
     * {@code app.kubernetes.io/instance} label in the object's namespace; and one of every
     * {@link CacheRuntimeBackup} (users make them, unlabelled), mapped to the runtime it backs up, so that a
     * restore waiting for its backup hears when the backup is taken.
     */
    static List<EventSource<?, CacheRuntime>> eventSources(EventSourceContext<CacheRuntime> context) {
        List<EventSource<?, CacheRuntime>> sources = new ArrayList<>();
        Stream.concat(OWNED_KINDS.stream(), READ_KINDS.stream())
                .forEach(kind -> sources.add(informer(kind, context)));
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration
                .from(CacheRuntimeBackup.class, CacheRuntime.class)
                .withName(CacheRuntimeBackup.class.getSimpleName())
                .withSecondaryToPrimaryMapper(backup -> backup.getSpec() == null
                        || backup.getSpec().runtimeName() == null ? Set.of()
                        : Set.of(new ResourceID(backup.getSpec().runtimeName(),
                                backup.getMetadata().getNamespace())))
                .build(), context));
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration
                .from(PersistentVolumeClaim.class, CacheRuntime.class)
                .withName(BACKUP_VOLUMES)
                .withLabelSelector(BackupVolume.OPT_IN_LABEL + "=true")
                // A runtime refused for an unlabelled claim is looked at again by the framework's interval.
                .withSecondaryToPrimaryMapper(claim -> Set.of())
                .build(), context));
        return sources;
    }

    /**
     * The framework keeps, from the mapper, an index of each runtime's objects, which
     * {@link Context#getSecondaryResources} reads: without it every reconcile scanned every cached object of each
     * kind, so a reconcile cost grew with the number of runtimes (docs/benchmarks.md).
     */
    private static <T extends HasMetadata> EventSource<T, CacheRuntime> informer(Class<T> kind,
            EventSourceContext<CacheRuntime> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, CacheRuntime.class)
                .withName(kind.getSimpleName())
                .withLabelSelector(RuntimeLabels.MANAGED_BY + "=" + RuntimeLabels.MANAGER)
                .withSecondaryToPrimaryMapper(object -> runtimeOf(object).map(Set::of).orElse(Set.of()))
                .build(), context);
    }

    private static Optional<ResourceID> runtimeOf(HasMetadata object) {
        return Optional.ofNullable(object.getMetadata().getLabels())
                .map(labels -> labels.get(RuntimeLabels.INSTANCE))
                .map(instance -> new ResourceID(instance, object.getMetadata().getNamespace()));
    }

    /** The cached object of {@code kind} named {@code name} in {@code namespace}. */
    <T extends HasMetadata> Optional<T> find(Class<T> kind, String namespace, String name) {
        return informer(kind).get(new ResourceID(name, namespace));
    }

    /**
     * Holds an object this reconcile created, as the server returned it, in its kind's informer until the watch
     * brings it. The next reconcile may come from another object's event before that watch event does, and would
     * create it again, be refused and read the name back: 29 PodDisruptionBudgets of 1,000 runtimes on a loaded
     * real control plane (docs/benchmarks.md). The framework does not send the watch event of a version it holds
     * so as a reconcile: this reconcile made that change and has acted on it.
     */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> void created(T created) {
        informer((Class<T>) created.getClass()).handleRecentResourceCreate(ResourceID.fromResource(created),
                created);
    }

    /**
     * Holds {@code changed}, the server's answer to this reconcile's change of {@code cached}, in its kind's
     * informer until the watch brings it, for the reason {@link #created} gives: a pod's role label was patched
     * twice when the next reconcile came first (more than half of 20 runtimes in one run).
     */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> void changed(T changed, T cached) {
        informer((Class<T>) changed.getClass()).handleRecentResourceUpdate(ResourceID.fromResource(changed),
                changed, cached);
    }

    /** The claim {@code name} in {@code namespace}, if it is labelled as a backup volume. */
    Optional<PersistentVolumeClaim> backupVolumeClaim(String namespace, String name) {
        return ((InformerEventSource<PersistentVolumeClaim, CacheRuntime>) context.eventSourceRetriever()
                .getEventSourceFor(PersistentVolumeClaim.class, BACKUP_VOLUMES)).get(new ResourceID(name, namespace));
    }

    /** The cached objects of {@code kind} labelled as the reconciled runtime's, sorted by name. */
    <T extends HasMetadata> List<T> ofRuntime(Class<T> kind) {
        return context.getSecondaryResourcesAsStream(kind)
                .sorted(Comparator.comparing(object -> object.getMetadata().getName()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> InformerEventSource<T, CacheRuntime> informer(Class<T> kind) {
        return (InformerEventSource<T, CacheRuntime>) context.eventSourceRetriever()
                .getEventSourceFor(kind, kind.getSimpleName());
    }
}
