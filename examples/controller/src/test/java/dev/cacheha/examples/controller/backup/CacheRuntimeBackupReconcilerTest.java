package dev.cacheha.examples.controller.backup;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.SpecValidationException;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link CacheRuntimeBackupReconciler} on JOSDK against the CRUD mock API server. */
class CacheRuntimeBackupReconcilerTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    private static final String FILE = "/backups/data/demo/alluxio-backup-2026-11-30.gz";

    private ControllerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A Ready Alluxio runtime demo led by member 1, whose backup command prints {@code output}. */
    private void readyRuntime(String output) {
        harness = new ControllerHarness(ENGINE);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        harness.exec().answering(call -> new PodExec.Result(0, output, ""));
        Backups.labelledClaim(harness, "backups");
        harness.test().resource(Backups.withBackupVolume(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3)))
                .create();
        Backups.awaitReady(harness, "demo", BUDGET);
    }

    private long backupCommands() {
        return harness.exec().calls().stream().filter(call -> call.argv().contains("backup")).count();
    }

    @Test
    void aBackupIsTakenOnTheLeaderRecordedAndNeverRunAgain() {
        // Given a Ready runtime led by member 1
        readyRuntime(ENGINE.backupOutput(FILE));

        // When a backup of it to the shared volume /backups is asked for
        harness.test().resource(Backups.toSharedVolume("nightly", "demo", "/backups")).create();

        // Then it succeeds, recording the verified backup and the member that wrote it
        CacheRuntimeBackup done = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.SUCCEEDED, BUDGET);
        BackupRecord taken = done.getStatus().getBackup();
        assertThat(taken.location()).isEqualTo(FILE);
        assertThat(taken.takenBy().pod()).isEqualTo("demo-master-1");
        assertThat(taken.engine()).isEqualTo("alluxio");
        assertThat(taken.runtime()).isEqualTo("demo");
        assertThat(taken.targetKind()).isEqualTo(BackupRecord.SHARED_VOLUME);
        assertThat(taken.targetDirectory()).isEqualTo("/backups");
        assertThat(taken.toBackup().belongsTo("alluxio", Runtimes.translator()
                .translate(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3)).spec())).isTrue();
        Condition succeeded = done.getStatus().getConditions().get(0);
        assertThat(succeeded.getType()).isEqualTo(CacheRuntimeBackupReconciler.SUCCEEDED_CONDITION);
        assertThat(succeeded.getStatus()).isEqualTo("True");
        assertThat(succeeded.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
        // And the command ran once, on the leader
        assertThat(harness.exec().calls()).filteredOn(call -> call.argv().contains("backup")).singleElement()
                .satisfies(call -> assertThat(call.pod()).isEqualTo("demo-master-1"));
        harness.requests().sinceLastCall();

        // When the leader has moved and a new controller takes over, which reconciles every backup it finds
        harness.quorum().with("demo-master-0", "demo-master-1", "demo-master-2");
        double before = Backups.reconciles(harness, "nightly");
        harness.stop();
        harness.start();
        Eventually.within(BUDGET, "a reconcile of the finished backup",
                () -> Backups.reconciles(harness, "nightly") > before ? true : null);

        // Then it did not run again and the controller wrote nothing about it
        assertThat(backupCommands()).isEqualTo(1);
        assertThat(harness.requests().sinceLastCall())
                .noneMatch(request -> request.writes() && request.path().contains("/cacheruntimebackups/"));
    }

    @Test
    void withoutALeaderTheBackupStaysPendingWithTheReasonAndRunsOnceALeaderIsBack() {
        // Given a Ready runtime whose quorum then loses its majority
        readyRuntime(ENGINE.backupOutput(FILE));
        harness.quorum().with("demo-master-0").set("demo-master-0", Role.FOLLOWER);

        // When a backup is asked for
        harness.test().resource(Backups.toSharedVolume("nightly", "demo", "/backups")).create();

        // Then it stays Pending, saying why, and no backup command runs
        CacheRuntimeBackup pending = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.PENDING,
                BUDGET);
        assertThat(pending.getStatus().getMessage()).contains("status.health: is NO_QUORUM");
        assertThat(backupCommands()).isZero();

        // When a leader is back, then the backup is taken without anyone touching it (it was rescheduled)
        harness.quorum().with("demo-master-2", "demo-master-0", "demo-master-1");
        CacheRuntimeBackup done = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.SUCCEEDED, BUDGET);
        assertThat(done.getStatus().getBackup().takenBy().pod()).isEqualTo("demo-master-2");
        assertThat(backupCommands()).isEqualTo(1);
    }

    @Test
    void aBackupWhoseOutputNamesNoFileInTheRuntimesDirectoryFailsAndIsNotRetried() {
        // Given a runtime whose backup command reports a file in another runtime's directory
        readyRuntime(ENGINE.backupOutput("/backups/data/other/alluxio-backup.gz"));

        // When a backup is asked for
        harness.test().resource(Backups.toSharedVolume("nightly", "demo", "/backups")).create();

        // Then it failed, saying so, and ran once
        CacheRuntimeBackup failed = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.FAILED, BUDGET);
        assertThat(failed.getStatus().getMessage()).endsWith("output named no backup in /backups/data/demo");
        assertThat(failed.getStatus().getBackup()).isNull();
        assertThat(backupCommands()).isEqualTo(1);
    }

    @Test
    void aSpecThatBreaksRulesFailsNamingEveryFieldAndRunsNothing() {
        // Given a Ready runtime
        readyRuntime(ENGINE.backupOutput(FILE));

        // When a backup without a runtime name and with a relative directory is asked for
        harness.test().resource(Backups.toSharedVolume("broken", " ", "backups")).create();

        // Then it failed naming both fields and their rules, and nothing ran
        CacheRuntimeBackup failed = Backups.awaitPhase(harness, "broken", CacheRuntimeBackupStatus.FAILED, BUDGET);
        assertThat(failed.getStatus().getMessage())
                .contains("spec.runtimeName: is required")
                .contains("spec.target.sharedVolume.directory: must be an absolute path, but is 'backups'");
        assertThat(backupCommands()).isZero();
    }

    @Test
    void aBackupOfAMissingRuntimeStaysPendingNamingTheField() {
        // Given the controller and no runtime named ghost
        readyRuntime(ENGINE.backupOutput(FILE));

        // When a backup of ghost is asked for
        harness.test().resource(Backups.toSharedVolume("nightly", "ghost", "/backups")).create();

        // Then it is Pending, naming the field and the namespace
        CacheRuntimeBackup pending = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.PENDING,
                BUDGET);
        assertThat(pending.getStatus().getMessage()).startsWith("spec.runtimeName: no CacheRuntime ghost in"
                + " namespace data");
        assertThat(backupCommands()).isZero();
    }

    @Test
    void bothTargetsAtOnceAreRefusedByTheRequestsRules() {
        // Given a spec naming both kinds of target
        CacheRuntimeBackupSpec spec = new CacheRuntimeBackupSpec("demo", new CacheRuntimeBackupSpec.Target(
                new CacheRuntimeBackupSpec.Directory("/backups"),
                new CacheRuntimeBackupSpec.Directory("/alluxio_backups")));

        // When it is checked, then the target is refused with its field path
        assertThatThrownBy(() -> BackupRequest.of(spec)).isInstanceOfSatisfying(SpecValidationException.class,
                refused -> assertThat(refused.violations()).singleElement().hasToString(
                        "spec.target: names both sharedVolume and underStorage: name exactly one"));
    }

    @Test
    void aSharedVolumeDirectoryNotBelowTheRuntimesBackupVolumeStaysPendingNamingTheField() {
        // Given a Ready runtime whose backup volume is mounted at /backups
        readyRuntime(ENGINE.backupOutput(FILE));

        // When a backup to /elsewhere on a shared volume is asked for
        harness.test().resource(Backups.toSharedVolume("nightly", "demo", "/elsewhere")).create();

        // Then it waits, naming the field and the runtime's mount path, and nothing ran
        CacheRuntimeBackup pending = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.PENDING,
                BUDGET);
        assertThat(pending.getStatus().getMessage()).startsWith("spec.target.sharedVolume.directory: /elsewhere is"
                + " not below runtime demo's spec.backupVolume.mountPath /backups");
        assertThat(backupCommands()).isZero();
    }

    @Test
    void theBackupVolumeIsMountedAtItsPathInEveryMasterContainer() {
        // Given a Ready runtime with the claim backups as its backup volume at /backups
        readyRuntime(ENGINE.backupOutput(FILE));

        // Then its StatefulSet mounts that claim, and every container of the pod template has it at /backups
        var pod = harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getName().equals(BackupVolume.VOLUME_NAME))
                .singleElement().satisfies(volume ->
                        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("backups"));
        assertThat(pod.getContainers()).isNotEmpty().allSatisfy(container ->
                assertThat(container.getVolumeMounts()).anyMatch(mount ->
                        mount.getName().equals(BackupVolume.VOLUME_NAME) && mount.getMountPath().equals("/backups")));
    }
}
