package dev.cacheha.realcluster;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.util.Map;

/**
 * A stand-in for a storage provisioner, so that claims bind as on a cloud cluster: for every pending claim in
 * a storage class that names {@link #PROVISIONER}, a volume pre-bound to it, of the size and access modes it
 * asks for. The volumes are hostPath volumes nobody mounts (kwok runs no containers). A volume whose claim is
 * gone is deleted, as a provisioner with {@code reclaimPolicy: Delete} would.
 */
final class ClaimProvisioner implements AutoCloseable {

    /** The provisioner name the storage classes of the real cluster carry. */
    static final String PROVISIONER = "real-cluster.cacheha.dev/host-path";

    private static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

    private final KubernetesClient admin;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final SharedIndexInformer<PersistentVolume> volumes;

    private ClaimProvisioner(KubernetesClient admin) {
        this.admin = admin;
        // A deleted claim turns its volume Released, which the volume handler sees.
        this.claims = admin.persistentVolumeClaims().inAnyNamespace()
                .inform(ObjectEvents.onAddOrUpdate(this::provisionIfPending));
        this.volumes = admin.persistentVolumes().inform(ObjectEvents.onAddOrUpdate(this::deleteIfReleased));
    }

    /** Starts provisioning for claims in classes of {@link #PROVISIONER}. */
    static ClaimProvisioner start(KubernetesClient admin) {
        return new ClaimProvisioner(admin);
    }

    /** A storage class this provisioner serves, binding claims at once ({@code volumeBindingMode: Immediate}). */
    static StorageClass storageClass(String name, boolean isDefault) {
        return new StorageClassBuilder()
                .withNewMetadata()
                    .withName(name)
                    .addToAnnotations("storageclass.kubernetes.io/is-default-class", Boolean.toString(isDefault))
                .endMetadata()
                .withProvisioner(PROVISIONER)
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode("Immediate")
                .build();
    }

    private void provisionIfPending(PersistentVolumeClaim claim) {
        String className = claim.getSpec().getStorageClassName();
        boolean pending = claim.getStatus() == null || "Pending".equals(claim.getStatus().getPhase());
        if (!pending || claim.getSpec().getVolumeName() != null || className == null
                || claim.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        StorageClass storageClass = admin.storage().v1().storageClasses().withName(className).get();
        if (storageClass == null || !PROVISIONER.equals(storageClass.getProvisioner())) {
            return;
        }
        String uid = claim.getMetadata().getUid();
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata()
                    .withName("pvc-" + uid)
                    .addToAnnotations(PROVISIONED_BY, PROVISIONER)
                .endMetadata()
                .withNewSpec()
                    .withCapacity(claim.getSpec().getResources().getRequests())
                    .withAccessModes(claim.getSpec().getAccessModes())
                    .withStorageClassName(className)
                    .withPersistentVolumeReclaimPolicy("Delete")
                    .withVolumeMode(claim.getSpec().getVolumeMode())
                    .withClaimRef(new ObjectReferenceBuilder()
                            .withApiVersion("v1")
                            .withKind("PersistentVolumeClaim")
                            .withNamespace(claim.getMetadata().getNamespace())
                            .withName(claim.getMetadata().getName())
                            .withUid(uid)
                            .build())
                    .withNewHostPath()
                        .withPath("/var/lib/real-cluster/volumes/pvc-" + uid)
                        .withType("DirectoryOrCreate")
                    .endHostPath()
                .endSpec()
                .build();
        try {
            admin.persistentVolumes().resource(volume).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Provisioned on an earlier event of the same claim.
        }
    }

    private void deleteIfReleased(PersistentVolume volume) {
        Map<String, String> annotations = volume.getMetadata().getAnnotations();
        boolean ours = annotations != null && PROVISIONER.equals(annotations.get(PROVISIONED_BY));
        if (ours && volume.getStatus() != null && "Released".equals(volume.getStatus().getPhase())) {
            admin.persistentVolumes().resource(volume).delete();
        }
    }

    @Override
    public void close() {
        claims.close();
        volumes.close();
    }
}
