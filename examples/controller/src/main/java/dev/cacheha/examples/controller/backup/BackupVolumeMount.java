package dev.cacheha.examples.controller.backup;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Mounts a runtime's {@link BackupVolume} into every master container of its StatefulSet, so that the leader
 * writes a backup where every other member can read it back. The mount is added to the plan's objects before
 * the config digest is taken: adding, moving or removing it restarts the members one at a time like any other
 * change of the pod template.
 */
public final class BackupVolumeMount {

    private BackupVolumeMount() {}

    /**
     * Why {@code volume} cannot be mounted into {@code plan}'s StatefulSet, or written to by a backup: its claim
     * ({@code claim}, as found) does not carry {@link BackupVolume#OPT_IN_LABEL}{@code =true}, or its path or
     * name is one the plan uses (a backup volume at {@code /journal} would put backups into the journal).
     */
    public static List<Violation> refusals(HaPlan plan, BackupVolume volume, Optional<PersistentVolumeClaim> claim) {
        List<Violation> refusals = new ArrayList<>();
        if (claim.map(found -> found.getMetadata().getLabels()).map(labels -> labels.get(BackupVolume.OPT_IN_LABEL))
                .filter("true"::equals).isEmpty()) {
            refusals.add(new Violation("backupVolume.claimName", "claim " + volume.claimName() + " "
                    + (claim.isPresent() ? "is not labelled " : "does not exist, or is not labelled ")
                    + BackupVolume.OPT_IN_LABEL + "=true: a claim is mounted into masters only when its owner opts"
                    + " in with that label"));
        }
        refusals.addAll(clashes(plan, volume));
        return refusals;
    }

    /** Why {@code volume} cannot be mounted into {@code plan}'s StatefulSet: paths or names the plan uses. */
    private static List<Violation> clashes(HaPlan plan, BackupVolume volume) {
        List<Violation> clashes = new ArrayList<>();
        for (StatefulSet statefulSet : statefulSets(plan.objects())) {
            var pod = statefulSet.getSpec().getTemplate().getSpec();
            if (Objects.requireNonNullElse(pod.getVolumes(), List.<io.fabric8.kubernetes.api.model.Volume>of())
                    .stream().anyMatch(existing -> existing.getName().equals(BackupVolume.VOLUME_NAME))) {
                clashes.add(new Violation("backupVolume", "the plan already has a volume named "
                        + BackupVolume.VOLUME_NAME));
            }
            for (Container container : pod.getContainers()) {
                for (var mount : Objects.requireNonNullElse(container.getVolumeMounts(),
                        List.<io.fabric8.kubernetes.api.model.VolumeMount>of())) {
                    if (nested(mount.getMountPath(), volume.mountPath())) {
                        clashes.add(new Violation("backupVolume.mountPath", volume.mountPath() + " overlaps "
                                + mount.getMountPath() + ", where container " + container.getName() + " mounts "
                                + mount.getName()));
                    }
                }
            }
        }
        return clashes;
    }

    /** Copies of {@code planned}, each StatefulSet with {@code volume} mounted in every container. */
    public static List<HasMetadata> mounted(List<HasMetadata> planned, Optional<BackupVolume> volume,
            KubernetesSerialization serialization) {
        if (volume.isEmpty()) {
            return planned;
        }
        List<HasMetadata> mounted = new ArrayList<>();
        for (HasMetadata object : planned) {
            if (object instanceof StatefulSet statefulSet) {
                StatefulSet copy = serialization.clone(statefulSet);
                var pod = copy.getSpec().getTemplate().getSpec();
                List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(
                        Objects.requireNonNullElse(pod.getVolumes(), List.of()));
                volumes.add(new VolumeBuilder().withName(BackupVolume.VOLUME_NAME).withNewPersistentVolumeClaim()
                        .withClaimName(volume.get().claimName()).endPersistentVolumeClaim().build());
                pod.setVolumes(volumes);
                for (Container container : pod.getContainers()) {
                    List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(
                            Objects.requireNonNullElse(container.getVolumeMounts(), List.of()));
                    mounts.add(new VolumeMountBuilder().withName(BackupVolume.VOLUME_NAME)
                            .withMountPath(volume.get().mountPath()).build());
                    container.setVolumeMounts(mounts);
                }
                mounted.add(copy);
            } else {
                mounted.add(object);
            }
        }
        return mounted;
    }

    private static List<StatefulSet> statefulSets(List<HasMetadata> objects) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).toList();
    }

    private static boolean nested(String one, String other) {
        String a = one.endsWith("/") ? one : one + "/";
        String b = other.endsWith("/") ? other : other + "/";
        return a.startsWith(b) || b.startsWith(a);
    }
}
