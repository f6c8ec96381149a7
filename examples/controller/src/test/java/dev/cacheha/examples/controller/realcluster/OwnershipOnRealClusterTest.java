package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.BackupVolumeSpec;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What the controller may touch, on the real control plane: a claim is mounted into masters, or written to by a
 * backup, only when its owner opted in and it is no mount of the plan; a runtime blocked by a foreign quorum of its
 * own name (an Alluxio plan applied without an owner, as {@code cache-ha render | kubectl apply} does, its pods and
 * claims made by the real StatefulSet controller) deletes, execs and mounts nothing, the reproduction of issue #20's
 * High finding. One controller and one namespace for the class; one runtime per test.
 */
class OwnershipOnRealClusterTest extends OneControllerPerClass {

    private static CacheRuntime withVolume(CacheRuntime runtime, String claim, String mountPath) {
        runtime.getSpec().setBackupVolume(new BackupVolumeSpec(claim, mountPath));
        return runtime;
    }

    private static StatefulSet statefulSet(String name) {
        return admin().apps().statefulSets().inNamespace(namespace()).withName(name + "-master").get();
    }

    @Test
    void aClaimWithoutTheOptInLabelIsNotMountedUntilItsOwnerLabelsIt() {
        // Given another application's claim, not labelled as a backup volume
        controller.membersAnswer("optin", 1);
        admin().resource(Backups.claim(namespace(), "billing-data", false)).create();

        // When a runtime names it as its backup volume
        admin().resource(withVolume(Runtimes.runtime(namespace(), "optin", "alluxio", 3), "billing-data",
                "/backups")).create();

        // Then the runtime is refused with the label to set, and nothing is applied (nothing mounts the claim)
        CacheRuntime refused = controller.await("optin", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getViolations() != null, "refused");
        assertThat(refused.getStatus().getViolations()).containsExactly("backupVolume.claimName: claim billing-data"
                + " does not exist, or is not labelled " + BackupVolume.OPT_IN_LABEL + "=true: a claim is mounted into"
                + " masters only when its owner opts in with that label");
        assertThat(statefulSet("optin")).isNull();

        // When its owner labels it
        admin().persistentVolumeClaims().inNamespace(namespace()).withName("billing-data")
                .edit(claim -> new PersistentVolumeClaimBuilder(claim).editMetadata()
                        .addToLabels(BackupVolume.OPT_IN_LABEL, "true").endMetadata().build());

        // Then the runtime becomes Ready with the claim mounted in its masters, their pods Ready on it
        controller.awaitReady("optin", 1);
        assertThat(statefulSet("optin").getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(volume -> volume.getPersistentVolumeClaim() != null
                        && volume.getPersistentVolumeClaim().getClaimName().equals("billing-data"));
        assertThat(IntStream.range(0, 3).mapToObj(ordinal -> "optin-master-" + ordinal))
                .allMatch(controller::podReady);
    }

    @Test
    void aBackupIntoAVolumeMountedOverTheJournalIsRefusedAndRunsNothing() {
        // Given a Ready runtime, then given a labelled backup volume mounted at /journal, the journal's own path
        controller.membersAnswer("overlap", 1);
        admin().resource(Runtimes.runtime(namespace(), "overlap", "alluxio", 3)).create();
        controller.awaitReady("overlap", 1);
        admin().resource(Backups.claim(namespace(), "overlap-backups", true)).create();
        controller.edit("overlap", runtime -> withVolume(runtime, "overlap-backups", "/journal"));

        // When a backup into /journal is asked for
        admin().resource(Backups.toSharedVolume(namespace(), "overlap-nightly", "overlap", "/journal")).create();

        // Then it is refused with the overlap, and no backup command ran
        CacheRuntimeBackup pending = controller.awaitBackup("overlap-nightly", CacheRuntimeBackupStatus.PENDING);
        assertThat(pending.getStatus().getMessage()).startsWith("refused: runtime overlap's"
                + " backupVolume.mountPath: /journal overlaps /journal");
        assertThat(controller.exec().calls()).noneMatch(call -> call.pod().startsWith("overlap-")
                && call.argv().contains("backup"));
        // And the volume was mounted nowhere
        assertThat(statefulSet("overlap").getSpec().getTemplate().getSpec().getVolumes())
                .noneMatch(volume -> volume.getPersistentVolumeClaim() != null
                        && volume.getPersistentVolumeClaim().getClaimName().equals("overlap-backups"));
    }

    @Test
    void aRuntimeBlockedByAForeignQuorumOfItsNameBacksUpNothingAndDeletesNoClaimWhenDeleted() {
        // Given the Alluxio plan of runtime "foreign" applied by someone else, without an owner: the StatefulSet
        // controller runs its three members on their journal claims
        controller.membersAnswer("foreign", 1);
        CacheRuntime spec = withVolume(Runtimes.runtime(namespace(), "foreign", "alluxio", 3), "foreign-backups",
                "/backups");
        TranslatedRuntime translated = Runtimes.translator().translate(spec);
        for (HasMetadata object : translated.provider().plan(translated.spec()).objects()) {
            object.getMetadata().setNamespace(namespace());
            admin().resource(object).create();
        }
        Await.until("the foreign quorum's three Ready members on bound claims", ControllerOnRealCluster.BUDGET,
                () -> journalClaims("foreign").size() == 3 && IntStream.range(0, 3)
                        .allMatch(ordinal -> controller.podReady("foreign-master-" + ordinal)),
                () -> "claims: " + journalClaims("foreign") + "; pods: " + controller.describePods("foreign"));
        Map<String, String> foreignClaims = journalClaims("foreign");
        String foreignStatefulSet = statefulSet("foreign").getMetadata().getUid();
        admin().resource(Backups.claim(namespace(), "foreign-backups", true)).create();
        controller.requests().sinceLastCall();

        // When CacheRuntime foreign is created, a backup of it is asked for, and the runtime is deleted
        CacheRuntime created = admin().resource(spec).create();
        CacheRuntime blocked = controller.await("foreign", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getBlockedBy() != null, "blocked");
        admin().resource(Backups.toSharedVolume(namespace(), "foreign-nightly", "foreign", "/backups")).create();
        CacheRuntimeBackup pending = controller.awaitBackup("foreign-nightly", CacheRuntimeBackupStatus.PENDING);
        admin().resource(created).delete();
        Await.until("runtime foreign gone", ControllerOnRealCluster.BUDGET, () -> controller.runtime("foreign") == null,
                () -> "runtime: " + controller.runtime("foreign"));

        // Then the runtime was blocked, the backup says why it was refused, and no command ran in its pods
        assertThat(blocked.getStatus().getBlockedBy()).anyMatch(blocker -> blocker.startsWith("StatefulSet"));
        assertThat(pending.getStatus().getMessage()).startsWith("refused: StatefulSet foreign-master is not"
                + " controlled by any owner, not by runtime foreign");
        assertThat(controller.exec().calls()).noneMatch(call -> call.pod().startsWith("foreign-"));
        // And the controller sent no DELETE, the foreign StatefulSet is the same one, mounting nothing of the
        // runtime's, and every foreign claim is still there, the same claim
        assertThat(controller.requests().sinceLastCall()).noneMatch(request -> request.verb().equals("delete"));
        StatefulSet after = statefulSet("foreign");
        assertThat(after.getMetadata().getUid()).isEqualTo(foreignStatefulSet);
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(after.getSpec().getTemplate().getSpec().getVolumes())
                .noneMatch(volume -> volume.getName().equals(BackupVolume.VOLUME_NAME));
        assertThat(journalClaims("foreign")).isEqualTo(foreignClaims);
    }

    /** The journal claims of the masters of {@code name} that are bound and not being deleted, with their UIDs. */
    private static Map<String, String> journalClaims(String name) {
        return admin().persistentVolumeClaims().inNamespace(namespace()).list().getItems().stream()
                .filter(claim -> claim.getMetadata().getName().matches(".*-" + name + "-master-\\d+")
                        && claim.getMetadata().getDeletionTimestamp() == null
                        && "Bound".equals(claim.getStatus().getPhase()))
                .collect(Collectors.toMap(claim -> claim.getMetadata().getName(),
                        claim -> claim.getMetadata().getUid()));
    }
}
