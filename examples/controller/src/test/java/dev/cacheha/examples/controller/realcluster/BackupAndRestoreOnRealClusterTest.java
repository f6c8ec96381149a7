package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.RestoreRequest;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A backup and a restore requested on the real cluster: the backup runs on the member that leads (the command goes
 * to the {@link RecordingPodExec}, no container runs), its record lands on the CacheRuntimeBackup's status through
 * the Role's rights; the restore stops the members, replaces every journal claim and starts them again, with the
 * real StatefulSet controller making the new pods and claims.
 */
@ExtendWith(RealClusterExtension.class)
class BackupAndRestoreOnRealClusterTest {

    private static final String NAME = "demo";
    private static final String BACKUP_FILE_NAME = "alluxio-backup-2026-12-06.gz";
    private static final String RESTORE_PROPERTY = "alluxio.master.journal.init.from.backup";

    @Test
    void aBackupRunsOnTheLeaderAndARestoreFromItReplacesEveryJournalClaim(RealCluster cluster) {
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.start(cluster, "backup",
                TestEngine.ALLUXIO)) {
            // Given a Ready runtime whose member 1 leads, with a backup volume (opted in by its label) mounted in
            // every master
            KubernetesClient admin = controller.admin();
            String namespace = controller.namespace();
            controller.exec().answering(BackupAndRestoreOnRealClusterTest::answer);
            IntStream.range(0, 3).forEach(ordinal -> controller.quorum()
                    .set(NAME + "-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER));
            admin.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("backups")
                    .withNamespace(namespace).addToLabels(BackupVolume.OPT_IN_LABEL, "true").endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                    .build()).create();
            admin.resource(Backups.withBackupVolume(Runtimes.runtime(namespace, NAME, "alluxio", 3))).create();
            controller.awaitReady(NAME, 1);

            // When a backup is requested
            CacheRuntimeBackup request = Backups.toSharedVolume("nightly", NAME, "/backups");
            request.getMetadata().setNamespace(namespace);
            admin.resource(request).create();

            // Then it succeeds with the file the leader wrote, and the backup command ran on the leader only
            Await.until("backup nightly Succeeded", ControllerOnRealCluster.BUDGET, () -> {
                CacheRuntimeBackupStatus status = controller.backup("nightly").getStatus();
                return status != null && CacheRuntimeBackupStatus.SUCCEEDED.equals(status.getPhase());
            }, () -> "status: " + controller.backup("nightly").getStatus());
            assertThat(controller.backup("nightly").getStatus().getBackup().location()).endsWith(BACKUP_FILE_NAME);
            assertThat(controller.exec().calls()).filteredOn(call -> call.argv().contains("backup"))
                    .extracting(RecordingPodExec.Call::pod).containsExactly(NAME + "-master-1");

            // When a restore from it is requested on the runtime
            Map<String, String> claimsBefore = claimUids(admin, namespace);
            assertThat(claimsBefore).hasSize(3);
            controller.edit(NAME, runtime -> runtime.getSpec().setRestore(new RestoreRequest("nightly")));

            // Then the restore succeeds and the runtime is Ready again at the new generation
            CacheRuntime restored = controller.await(NAME, runtime -> runtime.getStatus() != null
                    && runtime.getStatus().getRestore() != null
                    && RestoreProgress.SUCCEEDED.equals(runtime.getStatus().getRestore().phase()),
                    "restore Succeeded");
            assertThat(restored.getStatus().getRestore().location()).endsWith(BACKUP_FILE_NAME);
            controller.awaitReady(NAME, 2);
            // And every journal claim was replaced by a new one the StatefulSet controller made
            Await.until("three new claims", ControllerOnRealCluster.BUDGET, () -> {
                Map<String, String> after = claimUids(admin, namespace);
                return after.keySet().equals(claimsBefore.keySet())
                        && after.values().stream().noneMatch(claimsBefore::containsValue);
            }, () -> "claims: " + claimUids(admin, namespace) + ", before: " + claimsBefore);
            // And no object of the runtime still carries the restore property
            String statefulSet = admin.getKubernetesSerialization().asJson(admin.apps().statefulSets()
                    .inNamespace(namespace).withName(NAME + "-master").get());
            assertThat(statefulSet).doesNotContain(RESTORE_PROPERTY);
            assertThat(admin.configMaps().inNamespace(namespace).list().getItems()).allSatisfy(map ->
                    assertThat(admin.getKubernetesSerialization().asJson(map)).doesNotContain(RESTORE_PROPERTY));
        }
    }

    /** The journal claims of the runtime, by name, with their UIDs. */
    private static Map<String, String> claimUids(KubernetesClient admin, String namespace) {
        return admin.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                .filter(claim -> claim.getMetadata().getName().matches(".*-" + NAME + "-master-\\d+"))
                .collect(Collectors.toMap(claim -> claim.getMetadata().getName(),
                        claim -> claim.getMetadata().getUid()));
    }

    /** The members' side of a command: a backup reports a file in the directory it was given; all else succeeds. */
    private static PodExec.Result answer(RecordingPodExec.Call call) {
        if (call.argv().contains("backup")) {
            String directory = call.argv().stream().filter(argument -> argument.startsWith("/backups"))
                    .findFirst().orElseThrow();
            return new PodExec.Result(0, TestEngine.ALLUXIO.backupOutput(directory + "/" + BACKUP_FILE_NAME), "");
        }
        return new PodExec.Result(0, "", "");
    }
}
