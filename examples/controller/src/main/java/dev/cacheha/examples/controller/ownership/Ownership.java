package dev.cacheha.examples.controller.ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The owner chain every destructive or privileged act of the controller is checked against: a runtime controls
 * its StatefulSet (the runtime's UID in the StatefulSet's controlling owner reference), the StatefulSet controls
 * its pods, and the StatefulSet owns the claims it made for its ordinals (Kubernetes adds that reference under
 * the {@code whenDeleted: Delete} retention policy every plan sets). A pod or claim outside that chain is never
 * deleted or exec'd into, whatever its name and labels say: a name is something anyone can choose.
 */
public final class Ownership {

    private Ownership() {}

    /** Whether {@code object}'s controlling owner reference names {@code owner}'s UID. */
    public static boolean controlledBy(HasMetadata object, HasMetadata owner) {
        return controller(object).map(reference -> reference.getUid().equals(owner.getMetadata().getUid()))
                .orElse(false);
    }

    /** Whether any owner reference of {@code object} names {@code owner}'s UID. */
    public static boolean ownedBy(HasMetadata object, HasMetadata owner) {
        return references(object).stream()
                .anyMatch(reference -> reference.getUid().equals(owner.getMetadata().getUid()));
    }

    /** Who controls {@code object}, in words, for a status that explains why it is left alone. */
    public static String controllerOf(HasMetadata object) {
        return controller(object)
                .map(owner -> "controlled by " + owner.getKind() + " " + owner.getName() + " (uid " + owner.getUid()
                        + ")")
                .orElse("not controlled by any owner");
    }

    /**
     * Why {@code runtime} may not act on its quorum through {@code statefulSet} (the live one of the planned
     * name), if it may not: the StatefulSet is missing or someone else's.
     */
    public static Optional<String> statefulSetRefusal(HasMetadata runtime, String name,
            Optional<StatefulSet> statefulSet) {
        if (statefulSet.isEmpty()) {
            return Optional.of("StatefulSet " + name + " does not exist, so no member is provably runtime "
                    + runtime.getMetadata().getName() + "'s");
        }
        if (!controlledBy(statefulSet.get(), runtime)) {
            return Optional.of("StatefulSet " + name + " is " + controllerOf(statefulSet.get()) + ", not by runtime "
                    + runtime.getMetadata().getName() + " (uid " + runtime.getMetadata().getUid() + ")");
        }
        return Optional.empty();
    }

    /**
     * Why nothing may run in or happen to pod {@code podName} on behalf of {@code runtime}, if so: the
     * StatefulSet is not the runtime's, or the pod is missing or not controlled by that StatefulSet.
     */
    public static Optional<String> podRefusal(HasMetadata runtime, String statefulSetName,
            Optional<StatefulSet> statefulSet, String podName, Optional<Pod> pod) {
        Optional<String> notOurs = statefulSetRefusal(runtime, statefulSetName, statefulSet);
        if (notOurs.isPresent()) {
            return notOurs;
        }
        if (pod.isEmpty()) {
            return Optional.of("pod " + podName + " does not exist");
        }
        if (!controlledBy(pod.get(), statefulSet.get())) {
            return Optional.of("pod " + podName + " is " + controllerOf(pod.get()) + ", not by StatefulSet "
                    + statefulSetName + " (uid " + statefulSet.get().getMetadata().getUid() + ")");
        }
        return Optional.empty();
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return references(object).stream().filter(owner -> Boolean.TRUE.equals(owner.getController())).findFirst();
    }

    private static List<OwnerReference> references(HasMetadata object) {
        return Objects.requireNonNullElse(object.getMetadata().getOwnerReferences(), List.of());
    }
}
