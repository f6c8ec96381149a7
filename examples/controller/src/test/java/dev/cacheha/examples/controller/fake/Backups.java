package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.BackupVolumeSpec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupSpec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/** {@link CacheRuntimeBackup} fixtures and waits, and the runtime readiness the backup tests start from. */
public final class Backups {

    private Backups() {}

    /** A backup of runtime {@code runtime} into the shared-volume directory {@code directory}, not stored. */
    public static CacheRuntimeBackup toSharedVolume(String name, String runtime, String directory) {
        CacheRuntimeBackup backup = new CacheRuntimeBackup();
        backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ControllerHarness.NAMESPACE).build());
        backup.setSpec(new CacheRuntimeBackupSpec(runtime, new CacheRuntimeBackupSpec.Target(
                new CacheRuntimeBackupSpec.Directory(directory), null)));
        return backup;
    }

    /** {@code runtime} with the claim {@code backups} mounted at {@code /backups} in every master. */
    public static CacheRuntime withBackupVolume(CacheRuntime runtime) {
        runtime.getSpec().setBackupVolume(new BackupVolumeSpec("backups", "/backups"));
        return runtime;
    }

    /**
     * Creates the claim {@code name} a runtime's {@code backupVolume} mounts, labelled
     * {@value BackupVolume#OPT_IN_LABEL}{@code =true} as a volume must be to be mounted, and returns it.
     */
    public static PersistentVolumeClaim labelledClaim(ControllerHarness harness, String name) {
        return harness.test().resource(claim(ControllerHarness.NAMESPACE, name, true)).create();
    }

    /**
     * The 1Gi ReadWriteMany claim {@code name} of {@code namespace} a runtime's {@code backupVolume} may name, not
     * stored; labelled {@value BackupVolume#OPT_IN_LABEL}{@code =true} when its owner {@code optedIn}.
     */
    public static PersistentVolumeClaim claim(String namespace, String name, boolean optedIn) {
        PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata();
        if (optedIn) {
            claim.editMetadata().addToLabels(BackupVolume.OPT_IN_LABEL, "true").endMetadata();
        }
        return claim.withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build();
    }

    /** A backup of runtime {@code runtime} of {@code namespace} into {@code directory} of its shared volume. */
    public static CacheRuntimeBackup toSharedVolume(String namespace, String name, String runtime,
            String directory) {
        CacheRuntimeBackup backup = toSharedVolume(name, runtime, directory);
        backup.getMetadata().setNamespace(namespace);
        return backup;
    }

    /** Waits until backup {@code name} is in {@code phase}, and returns it. */
    public static CacheRuntimeBackup awaitPhase(ControllerHarness harness, String name, String phase,
            Duration budget) {
        try {
            return Eventually.within(budget, "backup " + name + " " + phase, () -> {
                CacheRuntimeBackup backup = harness.backup(name);
                CacheRuntimeBackupStatus status = backup == null ? null : backup.getStatus();
                return status != null && phase.equals(status.getPhase()) ? backup : null;
            });
        } catch (AssertionError timedOut) {
            CacheRuntimeBackup backup = harness.backup(name);
            throw new AssertionError(timedOut.getMessage() + "; the backup's status: "
                    + (backup == null ? "(no backup)" : backup.getStatus()), timedOut);
        }
    }

    /** Waits until runtime {@code name} is Ready, and returns it. */
    public static CacheRuntime awaitReady(ControllerHarness harness, String name, Duration budget) {
        return harness.await(name, runtime -> runtime.getStatus() != null && runtime.getStatus().getConditions() != null
                && runtime.getStatus().getConditions().stream().anyMatch(condition ->
                        condition.getType().equals("Ready") && condition.getStatus().equals("True")),
                budget, "runtime " + name + " Ready");
    }

    /** JOSDK's count, in {@code registry}, of reconciles of the resource named {@code name} that returned. */
    public static double reconciles(MeterRegistry registry, String name) {
        return reconciliations(registry, name, "reconciliations.success");
    }

    /** JOSDK's count, in {@code registry}, of reconciles of the resource named {@code name} that started. */
    public static double reconcilesStarted(MeterRegistry registry, String name) {
        return reconciliations(registry, name, "reconciliations.started");
    }

    private static double reconciliations(MeterRegistry registry, String name, String meter) {
        double count = 0;
        for (Meter candidate : registry.getMeters()) {
            if (candidate.getId().getName().endsWith(meter) && name.equals(candidate.getId().getTag("name"))
                    && candidate instanceof Counter counter) {
                count += counter.count();
            }
        }
        return count;
    }
}
