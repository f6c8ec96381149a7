package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.controller.backup.BackupRecord;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupReconciler;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupSpec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.realcluster.Await;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/**
 * The {@link CacheRuntimeBackupReconciler} on the real control plane, through the Role of {@code deploy/rbac.yaml}:
 * each backup asks for a Ready runtime of its own (the real StatefulSet controller made its pods), the members'
 * answers come from the fake quorum and the backup command from the recording exec, which prints what the engine
 * would. The CRD's own rules are the server's: a spec they refuse never reaches the controller.
 */
class BackupsOnRealClusterTest extends OneControllerPerClass {

    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    private static final String BACKUP_VOLUME_CLAIM = "backups";

    /** Where runtime {@code runtime}'s backups land on the shared volume, as the engine names the file. */
    private static String file(String runtime) {
        return "/backups/" + namespace() + "/" + runtime + "/alluxio-backup-2026-11-30.gz";
    }

    /**
     * A Ready Alluxio runtime {@code name} led by member 1, with the opted-in claim {@value #BACKUP_VOLUME_CLAIM}
     * mounted at {@code /backups}, whose backup command prints {@code output}.
     */
    private static void readyRuntime(String name, String output) {
        controller.exec().answering(call -> new PodExec.Result(0,
                call.argv().contains("backup") && call.pod().startsWith(name + "-") ? output : "", ""));
        controller.membersAnswer(name, 1);
        if (admin().persistentVolumeClaims().inNamespace(namespace()).withName(BACKUP_VOLUME_CLAIM).get() == null) {
            admin().resource(Backups.claim(namespace(), BACKUP_VOLUME_CLAIM, true)).create();
        }
        admin().resource(Backups.withBackupVolume(Runtimes.runtime(namespace(), name, ENGINE.engine(), 3)))
                .create();
        controller.awaitReady(name, 1);
    }

    /** Asks for backup {@code name} of {@code runtime} into {@code directory} of its shared volume. */
    private static void askForBackup(String name, String runtime, String directory) {
        admin().resource(Backups.toSharedVolume(namespace(), name, runtime, directory)).create();
    }

    /** The backup commands run in the members of runtime {@code runtime}. */
    private static long backupCommands(String runtime) {
        return controller.exec().calls().stream()
                .filter(call -> call.argv().contains("backup") && call.pod().startsWith(runtime + "-")).count();
    }

    @Test
    void aBackupIsTakenOnTheLeaderRecordedAndNeverRunAgain() {
        // Given a Ready runtime led by member 1
        readyRuntime("taken", ENGINE.backupOutput(file("taken")));

        // When a backup of it to the shared volume /backups is asked for
        askForBackup("taken-nightly", "taken", "/backups");

        // Then it succeeds, recording the verified backup and the member that wrote it
        CacheRuntimeBackup done = controller.awaitBackup("taken-nightly", CacheRuntimeBackupStatus.SUCCEEDED);
        BackupRecord taken = done.getStatus().getBackup();
        assertThat(taken.location()).isEqualTo(file("taken"));
        assertThat(taken.takenBy().pod()).isEqualTo("taken-master-1");
        assertThat(taken.engine()).isEqualTo("alluxio");
        assertThat(taken.runtime()).isEqualTo("taken");
        assertThat(taken.targetKind()).isEqualTo(BackupRecord.SHARED_VOLUME);
        assertThat(taken.targetDirectory()).isEqualTo("/backups");
        assertThat(taken.toBackup().belongsTo("alluxio", Runtimes.translator()
                .translate(Runtimes.runtime(namespace(), "taken", ENGINE.engine(), 3)).spec())).isTrue();
        Condition succeeded = done.getStatus().getConditions().get(0);
        assertThat(succeeded.getType()).isEqualTo(CacheRuntimeBackupReconciler.SUCCEEDED_CONDITION);
        assertThat(succeeded.getStatus()).isEqualTo("True");
        assertThat(succeeded.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
        // And the command ran once, on the leader
        assertThat(controller.exec().calls()).filteredOn(call -> call.argv().contains("backup")
                        && call.pod().startsWith("taken-"))
                .singleElement().satisfies(call -> assertThat(call.pod()).isEqualTo("taken-master-1"));

        // When the leader has moved and a new controller takes over, which reconciles every backup it finds
        controller.membersAnswer("taken", 0);
        double before = Backups.reconciles(controller.registry(), "taken-nightly");
        controller.restart();
        controller.requests().sinceLastCall();
        Await.until("a reconcile of the finished backup", ControllerOnRealCluster.BUDGET,
                () -> Backups.reconciles(controller.registry(), "taken-nightly") > before, () -> "");

        // Then it did not run again and the controller wrote nothing about it
        assertThat(backupCommands("taken")).isEqualTo(1);
        assertThat(controller.requests().sinceLastCall())
                .noneMatch(request -> request.writes() && request.path().contains("/cacheruntimebackups/"));
        assertThat(controller.backup("taken-nightly").getStatus()).isEqualTo(done.getStatus());
    }

    @Test
    void withoutALeaderTheBackupStaysPendingWithTheReasonAndRunsOnceALeaderIsBack() {
        // Given a Ready runtime whose quorum then loses its majority: one member left, following
        readyRuntime("leaderless", ENGINE.backupOutput(file("leaderless")));
        controller.quorum().set("leaderless-master-0", Role.FOLLOWER).set("leaderless-master-1", Role.UNREACHABLE)
                .set("leaderless-master-2", Role.UNREACHABLE);

        // When a backup is asked for
        askForBackup("leaderless-nightly", "leaderless", "/backups");

        // Then it stays Pending, saying why, and no backup command runs
        CacheRuntimeBackup pending = controller.awaitBackup("leaderless-nightly", CacheRuntimeBackupStatus.PENDING);
        Await.until("the reason in the status", ControllerOnRealCluster.BUDGET, () -> controller
                .backup("leaderless-nightly").getStatus().getMessage().contains("status.health: is NO_QUORUM"),
                () -> "status: " + controller.backup("leaderless-nightly").getStatus());
        assertThat(pending.getStatus().getBackup()).isNull();
        assertThat(backupCommands("leaderless")).isZero();

        // When a leader is back, then the backup is taken without anyone touching it (it was rescheduled)
        controller.membersAnswer("leaderless", 2);
        CacheRuntimeBackup done = controller.awaitBackup("leaderless-nightly", CacheRuntimeBackupStatus.SUCCEEDED);
        assertThat(done.getStatus().getBackup().takenBy().pod()).isEqualTo("leaderless-master-2");
        assertThat(backupCommands("leaderless")).isEqualTo(1);
    }

    @Test
    void aBackupWhoseOutputNamesNoFileInTheRuntimesDirectoryFailsAndIsNotRetried() {
        // Given a runtime whose backup command reports a file in another runtime's directory
        readyRuntime("misnamed", ENGINE.backupOutput("/backups/" + namespace() + "/other/alluxio-backup.gz"));

        // When a backup is asked for
        askForBackup("misnamed-nightly", "misnamed", "/backups");

        // Then it failed, saying so, and ran once
        CacheRuntimeBackup failed = controller.awaitBackup("misnamed-nightly", CacheRuntimeBackupStatus.FAILED);
        assertThat(failed.getStatus().getMessage()).endsWith("output named no backup in /backups/" + namespace()
                + "/misnamed");
        assertThat(failed.getStatus().getBackup()).isNull();
        assertThat(backupCommands("misnamed")).isEqualTo(1);
    }

    @Test
    void aSpecThatBreaksTheCrdsRulesIsRefusedByTheServerAndOneThatBreaksTheControllersFailsNamingTheField() {
        // Given a Ready runtime
        readyRuntime("ruled", ENGINE.backupOutput(file("ruled")));

        // When a backup with a relative directory is asked for, then the server refuses it, naming the field
        assertThatThrownBy(() -> askForBackup("ruled-relative", "ruled", "backups"))
                .isInstanceOfSatisfying(KubernetesClientException.class, refused -> {
                    assertThat(refused.getCode()).isEqualTo(422);
                    assertThat(refused.getMessage()).contains("spec.target.sharedVolume.directory");
                });
        // And one naming both targets is refused by the CRD's rule
        CacheRuntimeBackup both = Backups.toSharedVolume(namespace(), "ruled-both", "ruled", "/backups");
        both.setSpec(new CacheRuntimeBackupSpec("ruled", new CacheRuntimeBackupSpec.Target(
                new CacheRuntimeBackupSpec.Directory("/backups"),
                new CacheRuntimeBackupSpec.Directory("/alluxio_backups"))));
        assertThatThrownBy(() -> admin().resource(both).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, refused ->
                        assertThat(refused.getMessage()).contains("name exactly one of sharedVolume and underStorage"));

        // When a backup whose runtime name is blank (which the CRD lets through) is asked for
        askForBackup("ruled-blank", " ", "/backups");

        // Then it failed naming the field and its rule, and nothing ran
        CacheRuntimeBackup failed = controller.awaitBackup("ruled-blank", CacheRuntimeBackupStatus.FAILED);
        assertThat(failed.getStatus().getMessage()).contains("spec.runtimeName: is required");
        assertThat(backupCommands("ruled")).isZero();
        assertThat(controller.backup("ruled-relative")).isNull();
        assertThat(controller.backup("ruled-both")).isNull();
    }

    @Test
    void aBackupOfAMissingRuntimeStaysPendingNamingTheField() {
        // Given the controller and no runtime named ghost
        // When a backup of ghost is asked for
        askForBackup("ghost-nightly", "ghost", "/backups");

        // Then it is Pending, naming the field and the namespace, and no command ran anywhere
        CacheRuntimeBackup pending = controller.awaitBackup("ghost-nightly", CacheRuntimeBackupStatus.PENDING);
        assertThat(pending.getStatus().getMessage()).startsWith("spec.runtimeName: no CacheRuntime ghost in"
                + " namespace " + namespace());
        assertThat(backupCommands("ghost")).isZero();
    }

    @Test
    void aSharedVolumeDirectoryNotBelowTheRuntimesBackupVolumeStaysPendingNamingTheField() {
        // Given a Ready runtime whose backup volume is mounted at /backups
        readyRuntime("elsewhere", ENGINE.backupOutput(file("elsewhere")));

        // When a backup to /elsewhere on a shared volume is asked for
        askForBackup("elsewhere-nightly", "elsewhere", "/elsewhere");

        // Then it waits, naming the field and the runtime's mount path, and nothing ran
        CacheRuntimeBackup pending = controller.awaitBackup("elsewhere-nightly", CacheRuntimeBackupStatus.PENDING);
        assertThat(pending.getStatus().getMessage()).startsWith("spec.target.sharedVolume.directory: /elsewhere is"
                + " not below runtime elsewhere's spec.backupVolume.mountPath /backups");
        assertThat(backupCommands("elsewhere")).isZero();
    }

    @Test
    void theBackupVolumeIsMountedAtItsPathInEveryMasterContainerOfEveryPod() {
        // Given a Ready runtime with the claim backups as its backup volume at /backups
        readyRuntime("mounted", ENGINE.backupOutput(file("mounted")));

        // Then its StatefulSet mounts that claim, and every container of the pod template has it at /backups
        PodSpec template = admin().apps().statefulSets().inNamespace(namespace()).withName("mounted-master").get()
                .getSpec().getTemplate().getSpec();
        assertMounted(template);
        // And so does every pod the StatefulSet controller made from it
        assertThat(admin().pods().inNamespace(namespace()).withLabel("app.kubernetes.io/instance", "mounted").list()
                .getItems()).hasSize(3).allSatisfy(pod -> assertMounted(pod.getSpec()));
    }

    private static void assertMounted(PodSpec pod) {
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getName().equals(BackupVolume.VOLUME_NAME))
                .singleElement().satisfies(volume ->
                        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(BACKUP_VOLUME_CLAIM));
        assertThat(pod.getContainers()).isNotEmpty().allSatisfy(container ->
                assertThat(container.getVolumeMounts()).anyMatch(mount ->
                        mount.getName().equals(BackupVolume.VOLUME_NAME) && mount.getMountPath().equals("/backups")));
    }

    @Test
    void aBackupDeletedWhileItsLeaderDiscoveryRunsLeavesNothingHeldForIt() {
        // Given a Ready runtime, and leader discoveries that stay under way until the test lets them run
        readyRuntime("deleted", ENGINE.backupOutput(file("deleted")));
        controller.discoveryThreads().hold();
        try {
            // When a backup is asked for, its discovery is under way (the backup says so) and the backup is deleted
            askForBackup("deleted-nightly", "deleted", "/backups");
            controller.awaitBackup("deleted-nightly", CacheRuntimeBackupStatus.PENDING);
            Await.until("the backup waiting for its discovery", ControllerOnRealCluster.BUDGET, () -> controller
                    .backup("deleted-nightly").getStatus().getMessage().startsWith("discovering the leader"),
                    () -> "status: " + controller.backup("deleted-nightly").getStatus());
            String uid = controller.backup("deleted-nightly").getMetadata().getUid();
            assertThat(controller.discoveries().held(uid)).isEqualTo(1);
            admin().resource(controller.backup("deleted-nightly")).delete();

            // Then the controller holds nothing for it any more, while its discovery is still under way
            Await.until("nothing held for the deleted backup", ControllerOnRealCluster.BUDGET,
                    () -> controller.discoveries().held(uid) == 0, () -> "held: " + controller.discoveries()
                            .held(uid));
            assertThat(controller.discoveryThreads().waiting()).isPositive();

            // And when the discovery runs out, nothing is held for it either, and its slot is free again
            controller.discoveryThreads().release();
            Await.until("every discovery ended", ControllerOnRealCluster.BUDGET,
                    () -> controller.discoveries().running() == 0, () -> "");
            assertThat(controller.discoveries().held(uid)).isZero();
            assertThat(backupCommands("deleted")).isZero();
        } finally {
            controller.discoveryThreads().release();
        }
    }
}
