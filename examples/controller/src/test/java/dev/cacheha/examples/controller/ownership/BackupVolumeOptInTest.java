package dev.cacheha.examples.controller.ownership;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.BackupVolumeSpec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A claim is mounted into masters, or written to by a backup, only when its owner opted in and it is no mount of
 * the plan.
 */
class BackupVolumeOptInTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;

    private ControllerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private void start() {
        harness = new ControllerHarness(ENGINE);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
    }

    private static CacheRuntime withVolume(CacheRuntime runtime, String claim, String mountPath) {
        runtime.getSpec().setBackupVolume(new BackupVolumeSpec(claim, mountPath));
        return runtime;
    }

    @Test
    void aClaimWithoutTheOptInLabelIsNotMountedUntilItsOwnerLabelsIt() {
        // Given another application's claim, not labelled as a backup volume
        start();
        harness.test().resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("billing-data")
                .withNamespace(NAMESPACE).endMetadata().withNewSpec().withAccessModes("ReadWriteMany")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build())
                .create();

        // When a runtime names it as its backup volume
        harness.test().resource(withVolume(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3), "billing-data",
                "/backups")).create();

        // Then the runtime is refused with the label to set, and nothing is applied (nothing mounts the claim)
        CacheRuntime refused = harness.await("demo", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getViolations() != null, BUDGET, "the runtime refused");
        assertThat(refused.getStatus().getViolations()).containsExactly("backupVolume.claimName: claim billing-data"
                + " does not exist, or is not labelled " + BackupVolume.OPT_IN_LABEL + "=true: a claim is mounted into"
                + " masters only when its owner opts in with that label");
        assertThat(harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get())
                .isNull();

        // When its owner labels it
        harness.test().persistentVolumeClaims().inNamespace(NAMESPACE).withName("billing-data")
                .edit(claim -> new PersistentVolumeClaimBuilder(claim).editMetadata()
                        .addToLabels(BackupVolume.OPT_IN_LABEL, "true").endMetadata().build());

        // Then the runtime becomes Ready with the claim mounted in its masters
        Backups.awaitReady(harness, "demo", BUDGET);
        StatefulSet set = harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get();
        assertThat(set.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(volume -> volume.getPersistentVolumeClaim() != null
                        && volume.getPersistentVolumeClaim().getClaimName().equals("billing-data"));
    }

    @Test
    void aBackupIntoAVolumeMountedOverTheJournalIsRefusedAndRunsNothing() {
        // Given a Ready runtime, then given a labelled backup volume mounted at /journal, the journal's own path
        start();
        harness.exec().answering(call -> new PodExec.Result(0, ENGINE.backupOutput("/journal/data/demo/b.gz"), ""));
        harness.test().resource(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3)).create();
        Backups.awaitReady(harness, "demo", BUDGET);
        Backups.labelledClaim(harness, "backups");
        harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).withName("demo").edit(runtime ->
                withVolume(runtime, "backups", "/journal"));

        // When a backup into /journal is asked for
        harness.test().resource(Backups.toSharedVolume("nightly", "demo", "/journal")).create();

        // Then it is refused with the overlap, and no backup command ran
        CacheRuntimeBackup pending = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.PENDING,
                BUDGET);
        assertThat(pending.getStatus().getMessage()).startsWith("refused: runtime demo's backupVolume.mountPath:"
                + " /journal overlaps /journal");
        assertThat(harness.exec().calls()).noneMatch(call -> call.argv().contains("backup"));
    }
}
