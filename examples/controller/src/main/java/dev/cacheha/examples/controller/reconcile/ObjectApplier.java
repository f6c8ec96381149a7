package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * Applies a plan's objects on behalf of an owner: create when missing, patch when a field the controller
 * sets differs, and otherwise send nothing, so reconciling an unchanged runtime writes nothing.
 *
 * <p>Every applied object names the owner as its controlling owner, so Kubernetes deletes it with the owner
 * and anyone looking at the object sees why it exists and when it goes.
 */
public final class ObjectApplier {

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;

    /** An applier that writes through {@code client}. */
    public ObjectApplier(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
        this.serialization = client.getKubernetesSerialization();
    }

    /**
     * Makes {@code planned}, owned by {@code owner}, exist in {@code owner}'s namespace. {@code planned} is
     * not changed: plans are shared, so the owner reference goes on a copy.
     */
    public AppliedObject apply(HasMetadata planned, HasMetadata owner) {
        HasMetadata desired = serialization.clone(planned);
        desired.getMetadata().setNamespace(owner.getMetadata().getNamespace());
        desired.getMetadata().setOwnerReferences(List.of(ownerReference(owner)));
        HasMetadata live = client.resource(desired).get();
        ApplyAction action;
        if (live == null) {
            client.resource(desired).create();
            action = ApplyAction.CREATED;
        } else if (OwnedFields.match(tree(desired), tree(live))) {
            action = ApplyAction.UNCHANGED;
        } else {
            // A merge patch sets our fields and leaves the server's (and other tools' labels) alone.
            client.resource(desired).patch(PatchContext.of(PatchType.JSON_MERGE));
            action = ApplyAction.UPDATED;
        }
        return new AppliedObject(desired.getKind(), desired.getMetadata().getName(), action);
    }

    /** The reference that makes {@code owner} the controlling owner of an object. */
    private static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(requireNonNull(owner.getMetadata().getUid(),
                        () -> owner.getKind() + " " + owner.getMetadata().getName() + " has no uid: it was never stored"))
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private Map<?, ?> tree(HasMetadata object) {
        return serialization.convertValue(object, Map.class);
    }
}
