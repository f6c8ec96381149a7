package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.fields.ApplyOwnership;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a plan's objects for a runtime and removes the ones that left the plan, touching only objects the
 * runtime controls (its UID in the controlling owner reference):
 * <ul>
 *   <li>missing: created with a plain create, which the API server refuses if the name was taken meanwhile,
 *       so an object that is not in the informer's cache is never overwritten;</li>
 *   <li>controlled by the runtime and different in a field the controller sets, or still holding a field it set
 *       that left the plan ({@link OwnedFields}): server-side applied with
 *       field manager {@value #FIELD_MANAGER} and the cached resource version as precondition, after what the
 *       controller's create set (under fabric8's default manager, by {@code Update}) is made that manager's by
 *       {@code Apply} ({@link ApplyOwnership}), so that a field which left the plan is removed by the apply;</li>
 *   <li>anyone else's: never modified, never adopted; reported as what blocks the runtime.</li>
 * </ul>
 *
 * <p>Why these are not the framework's dependent resources ({@code KubernetesDependentResource}), even with a
 * reconcile precondition that refuses objects the runtime does not control:
 * <ul>
 *   <li>A dependent creates by server-side apply, which writes onto an object of the same name that is already
 *       there. A precondition sees only the informers' cache, and the informers watch only objects labelled
 *       {@code managed-by=cache-ha}: a foreign object without that label is invisible to it, and the apply would
 *       adopt it. The plain create here is refused by the API server instead.</li>
 *   <li>A dependent is declared per kind, once; the provider's plan decides which objects exist (a
 *       NetworkPolicy or a Secret only when the spec asks for one), and the plan is computed once per reconcile
 *       from the spec, the replica change under way and the backup volume, not once per kind.</li>
 *   <li>Operations apply the plan between their steps with the StatefulSet's replica count held
 *       ({@link StepRunner}), and a restore runs before anything is applied: an order that a workflow of
 *       dependents, reconciled before the reconciler runs, does not express.</li>
 * </ul>
 */
final class OwnedObjects {

    /** The field manager of every server-side apply the controller sends. */
    static final String FIELD_MANAGER = "cache-ha";
    /** The API server's answer to a JSON patch whose {@code test} operation failed. */
    private static final int UNPROCESSABLE = 422;

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private final PreconditionedDelete deletes;
    private final ApplyOwnership applyOwnership = new ApplyOwnership(FIELD_MANAGER,
            Set.of(ApplyOwnership.FABRIC8_DEFAULT_MANAGER));

    OwnedObjects(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
        this.serialization = client.getKubernetesSerialization();
        this.deletes = new PreconditionedDelete(client);
    }

    /** What applying one object did. */
    enum Applied { CREATED, UPDATED, UNCHANGED }

    /**
     * Copies of {@code planned} as they must exist: in the runtime's namespace, controlled by it, each
     * StatefulSet's pod template stamped with the plan's {@link ConfigDigest}, and each object with its own
     * {@link PlanDigest}. Plans are shared; they are not changed.
     */
    List<HasMetadata> desired(List<HasMetadata> planned, CacheRuntime runtime) {
        String digest = ConfigDigest.of(planned, serialization);
        OwnerReference owner = ownerReference(runtime);
        List<HasMetadata> desired = new ArrayList<>();
        for (HasMetadata object : planned) {
            HasMetadata copy = serialization.clone(object);
            copy.getMetadata().setNamespace(runtime.getMetadata().getNamespace());
            copy.getMetadata().setOwnerReferences(List.of(owner));
            if (copy instanceof StatefulSet statefulSet) {
                var template = statefulSet.getSpec().getTemplate().getMetadata();
                Map<String, String> annotations = new HashMap<>(
                        Objects.requireNonNullElse(template.getAnnotations(), Map.of()));
                annotations.put(ConfigDigest.ANNOTATION, digest);
                template.setAnnotations(new TreeMap<>(annotations));
            }
            Map<String, String> annotations = new TreeMap<>(
                    Objects.requireNonNullElse(copy.getMetadata().getAnnotations(), Map.of()));
            annotations.put(PlanDigest.ANNOTATION, PlanDigest.of(copy, serialization));
            copy.getMetadata().setAnnotations(annotations);
            desired.add(copy);
        }
        return desired;
    }

    /**
     * The objects of {@code desired} whose name is taken in the cache by an object the runtime does not
     * control, each as {@code Kind name: who controls it}, in plan order.
     */
    List<String> blockers(List<HasMetadata> desired, CacheRuntime runtime, ClusterView view) {
        List<String> blockers = new ArrayList<>();
        for (HasMetadata object : desired) {
            cached(object, view).filter(live -> !Ownership.controlledBy(live, runtime))
                    .ifPresent(live -> blockers.add(blocker(live)));
        }
        return blockers;
    }

    /**
     * Makes {@code desired} (from {@link #desired}) exist.
     *
     * @throws ForeignObjectException if its name is taken by an object the runtime does not control
     */
    Applied apply(HasMetadata desired, CacheRuntime runtime, ClusterView view) {
        Optional<HasMetadata> cached = cached(desired, view);
        if (cached.isEmpty()) {
            return create(desired, runtime, view);
        }
        HasMetadata live = cached.get();
        if (!Ownership.controlledBy(live, runtime)) {
            throw new ForeignObjectException(blocker(live));
        }
        return update(desired, live);
    }

    /**
     * Makes {@code live}, an object the runtime controls, what {@code desired} says, by a server-side apply unless
     * it already is ({@link OwnedFields}).
     */
    Applied update(HasMetadata desired, HasMetadata live) {
        if (OwnedFields.match(tree(desired), tree(live), desired.getClass(), new OwnedFields.SetFields(
                applyOwnership.applied(live), applyOwnership.created(live)))) {
            return Applied.UNCHANGED;
        }
        HasMetadata update = serialization.clone(desired);
        // The precondition: if anyone changed the object since the cache saw it (its owner included), the
        // server refuses and the next reconcile decides again from what is there then.
        try {
            update.getMetadata().setResourceVersion(applyOwnership.resourceVersionToApply(client, live));
        } catch (KubernetesClientException refused) {
            // The ownership upgrade is a JSON patch that tests the cached resourceVersion: a failed test is a 422.
            throw refused.getCode() == UNPROCESSABLE ? new ChangedSinceCachedException(live, refused) : refused;
        }
        try {
            client.resource(update).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException refused) {
            // With conflicts forced, a 409 is the precondition. A 422 here is an object the server finds invalid
            // (an immutable field changed): a failure to report, never taken for a stale cache.
            throw refused.getCode() == HttpURLConnection.HTTP_CONFLICT
                    ? new ChangedSinceCachedException(live, refused) : refused;
        }
        return Applied.UPDATED;
    }

    private Applied create(HasMetadata desired, CacheRuntime runtime, ClusterView view) {
        try {
            view.created(client.resource(desired).create());
            return Applied.CREATED;
        } catch (KubernetesClientException refused) {
            if (refused.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw refused;
            }
            // The name is taken by an object the informers do not see (no cache-ha label) or have not seen yet.
            HasMetadata taken = client.resource(desired).get();
            if (taken != null && !Ownership.controlledBy(taken, runtime)) {
                throw new ForeignObjectException(blocker(taken));
            }
            return Applied.UNCHANGED;
        }
    }

    /**
     * Deletes every object the runtime controls, of a kind the controller applies, that {@code desired} no
     * longer names (a NetworkPolicy turned off), each with its UID as precondition.
     *
     * @return what was deleted, as {@code Kind name}, sorted
     */
    List<String> prune(List<HasMetadata> desired, CacheRuntime runtime, ClusterView view) {
        List<String> pruned = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : ClusterView.OWNED_KINDS) {
            for (HasMetadata live : view.ofRuntime(kind)) {
                boolean planned = desired.stream().anyMatch(object -> kind.isInstance(object)
                        && object.getMetadata().getName().equals(live.getMetadata().getName()));
                if (!planned && Ownership.controlledBy(live, runtime)
                        && deletes.delete(live) == PreconditionedDelete.Result.DELETED) {
                    pruned.add(live.getKind() + " " + live.getMetadata().getName());
                }
            }
        }
        return pruned.stream().sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static Optional<HasMetadata> cached(HasMetadata desired, ClusterView view) {
        return (Optional<HasMetadata>) view.find(desired.getClass(), desired.getMetadata().getNamespace(),
                desired.getMetadata().getName());
    }

    private static String blocker(HasMetadata live) {
        return live.getKind() + " " + live.getMetadata().getName() + ": " + Ownership.controllerOf(live)
                + ", not by this runtime; it is left untouched";
    }

    /** The reference that makes {@code owner} the controlling owner of an object. */
    private static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(requireNonNull(owner.getMetadata().getUid(),
                        () -> owner.getKind() + " " + owner.getMetadata().getName() + " has no uid"))
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private Map<?, ?> tree(HasMetadata object) {
        return serialization.convertValue(object, Map.class);
    }

    /**
     * A write refused because the object changed after the informers saw it: the cache is behind the server. Not a
     * failure: the change's watch event brings the runtime back, and that reconcile decides from what is there.
     */
    static final class ChangedSinceCachedException extends RuntimeException {
        ChangedSinceCachedException(HasMetadata cached, KubernetesClientException refused) {
            super(cached.getKind() + " " + cached.getMetadata().getName() + " changed since resource version "
                    + cached.getMetadata().getResourceVersion() + ": " + refused.getMessage(), refused);
        }
    }

    /** An object with a planned name that the runtime does not control. */
    static final class ForeignObjectException extends RuntimeException {
        ForeignObjectException(String blocker) {
            super(blocker);
        }

        /** The object and who controls it, as {@code Kind name: ...}. */
        String blocker() {
            return getMessage();
        }
    }
}
