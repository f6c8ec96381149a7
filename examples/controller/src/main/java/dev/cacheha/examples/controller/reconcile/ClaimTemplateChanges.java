package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.examples.cacheruntime.JournalSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The changes a plan asks of a running StatefulSet's claim templates, which Kubernetes refuses: a
 * StatefulSet's {@code volumeClaimTemplates} cannot be updated, so a journal that moves to another size,
 * storage class or access mode, or between a claim template and an {@code emptyDir} volume, would have its
 * patch rejected on every reconcile. The controller refuses such a spec up front, like a broken rule.
 *
 * <p>Each violation is on the field {@code journal}: the journal is the only part of a runtime's spec that a
 * provider turns into a claim template. Only what the controller's spec sets is compared (name, storage
 * class, access modes, requested storage, and the kind of volume of the same name), never what the API
 * server fills in, such as a template's {@code volumeMode}. Moving between a memory and a disk
 * {@code emptyDir} changes the pod template only, which Kubernetes allows, so it is not refused here.
 */
final class ClaimTemplateChanges {

    private static final String NO_VOLUME = "none";
    private static final String OTHER_VOLUME = "another volume source";

    private ClaimTemplateChanges() {}

    /**
     * Every change from {@code live} to {@code desired} that Kubernetes would refuse, in the order of the
     * claim templates' names; empty when {@code desired} can be applied to {@code live}.
     */
    static List<Violation> refused(StatefulSet live, StatefulSet desired) {
        SortedSet<String> names = new TreeSet<>();
        templates(live).forEach(template -> names.add(template.getMetadata().getName()));
        templates(desired).forEach(template -> names.add(template.getMetadata().getName()));
        List<Violation> violations = new ArrayList<>();
        for (String name : names) {
            Optional<PersistentVolumeClaimSpec> running = template(live, name);
            Optional<PersistentVolumeClaimSpec> asked = template(desired, name);
            if (running.isEmpty() || asked.isEmpty()) {
                compare("type", volumeKind(live, name), volumeKind(desired, name), violations);
            } else {
                compare("storageClass", running.get().getStorageClassName(), asked.get().getStorageClassName(),
                        violations);
                compare("accessModes", Objects.requireNonNullElse(running.get().getAccessModes(), List.of()),
                        Objects.requireNonNullElse(asked.get().getAccessModes(), List.of()), violations);
                Optional<Quantity> runningSize = storage(running.get());
                Optional<Quantity> askedSize = storage(asked.get());
                // By value: the API server may store 1024Mi as 1Gi.
                boolean sameSize = runningSize.isPresent() && askedSize.isPresent()
                        ? runningSize.get().compareTo(askedSize.get()) == 0
                        : runningSize.isEmpty() && askedSize.isEmpty();
                if (!sameSize) {
                    violations.add(violation("size", runningSize.map(Quantity::toString).orElse(NO_VOLUME),
                            askedSize.map(Quantity::toString).orElse(NO_VOLUME)));
                }
            }
        }
        return List.copyOf(violations);
    }

    private static void compare(String what, Object running, Object asked, List<Violation> violations) {
        if (!Objects.equals(running, asked)) {
            violations.add(violation(what, Objects.toString(running, "unset"), Objects.toString(asked, "unset")));
        }
    }

    private static Violation violation(String what, String running, String asked) {
        return new Violation("journal", what + " " + running + " -> " + asked + " cannot change on a running"
                + " runtime: the StatefulSet's claim templates are immutable; set it back to " + running
                + ", or back up the metadata, delete the runtime and create it again");
    }

    private static List<PersistentVolumeClaim> templates(StatefulSet statefulSet) {
        return statefulSet.getSpec() == null || statefulSet.getSpec().getVolumeClaimTemplates() == null
                ? List.of()
                : statefulSet.getSpec().getVolumeClaimTemplates();
    }

    private static Optional<PersistentVolumeClaimSpec> template(StatefulSet statefulSet, String name) {
        return templates(statefulSet).stream()
                .filter(template -> name.equals(template.getMetadata().getName()))
                .findFirst()
                .map(template -> Objects.requireNonNullElseGet(template.getSpec(), PersistentVolumeClaimSpec::new));
    }

    private static Optional<Quantity> storage(PersistentVolumeClaimSpec claim) {
        return Optional.ofNullable(claim.getResources())
                .map(VolumeResourceRequirements::getRequests)
                .map(requests -> requests.get("storage"));
    }

    /** The volume {@code name} as a runtime's {@code journal.type} names it: pvc, memory, disk, or neither. */
    private static String volumeKind(StatefulSet statefulSet, String name) {
        if (template(statefulSet, name).isPresent()) {
            return JournalSpec.PVC;
        }
        return Optional.ofNullable(statefulSet.getSpec())
                .map(StatefulSetSpec::getTemplate)
                .map(PodTemplateSpec::getSpec)
                .map(PodSpec::getVolumes)
                .flatMap(volumes -> volumes.stream().filter(volume -> name.equals(volume.getName())).findFirst())
                .map(ClaimTemplateChanges::volumeKind)
                .orElse(NO_VOLUME);
    }

    private static String volumeKind(Volume volume) {
        EmptyDirVolumeSource emptyDir = volume.getEmptyDir();
        if (emptyDir == null) {
            return OTHER_VOLUME;
        }
        return JournalStorage.EmptyDir.Medium.MEMORY.kubernetesValue().equals(emptyDir.getMedium())
                ? JournalSpec.MEMORY
                : JournalSpec.DISK;
    }
}
