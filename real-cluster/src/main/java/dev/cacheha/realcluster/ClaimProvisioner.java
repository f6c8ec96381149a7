package dev.cacheha.realcluster;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a storage provisioner, so that claims bind as on a cloud cluster: for every pending claim in
 * a storage class that names {@link #PROVISIONER}, a volume pre-bound to it, of the size and access modes it
 * asks for. The volumes are hostPath volumes nobody mounts (kwok runs no containers). A volume whose claim is
 * gone is deleted, as a provisioner with {@code reclaimPolicy: Delete} would.
 *
 * <p>It also completes each bind with the writes kube-controller-manager's volume binder would make (the volume's
 * phase, the claim's volume name and annotations, the claim's phase, capacity and access modes), on a few threads
 * of its own; the binder, which keeps running, then finds each bind done and writes nothing. The binder completes
 * binds on one worker, three writes in a row per claim: on this two-core machine at load 30 that was 0.65 claims
 * a second (3,000 claims of a 1,000-runtime run in 78 minutes, docs/benchmarks.md), the run's bottleneck, where a
 * cluster with a fast API server binds tens a second. Storage classes come from an informer for the same reason.
 * One difference is visible: a binder whose cache has the bound claim before the new volume marks the claim
 * {@code Lost} for a moment (a {@code ClaimLost} warning; seen once in 3,000 claims), and the claim is Bound again
 * at its next sync, within the binder's 15 s resync; no pod is scheduled onto a claim that is not Bound.
 */
final class ClaimProvisioner implements AutoCloseable {

    /** The provisioner name the storage classes of the real cluster carry. */
    static final String PROVISIONER = "real-cluster.cacheha.dev/host-path";

    private static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    /** What the binder marks a claim with once its bind is complete, and when it chose the volume itself. */
    private static final Map<String, String> BOUND_CLAIM_ANNOTATIONS = Map.of(
            "pv.kubernetes.io/bind-completed", "yes",
            "pv.kubernetes.io/bound-by-controller", "yes");
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final int BIND_THREADS = 4;
    private static final long CLAIM_RESYNC_MILLIS = 30_000;

    private final KubernetesClient admin;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private final SharedIndexInformer<PersistentVolume> volumes;
    private final SharedIndexInformer<StorageClass> storageClasses;
    /** Claims (by UID) whose bind is under way or done: a claim has several events before it is Bound. */
    private final Set<String> binding = ConcurrentHashMap.newKeySet();
    /** Creates and binds volumes; a write that waits for the server holds no informer event behind it. */
    private final ExecutorService binds = Executors.newFixedThreadPool(BIND_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "real-cluster-claim-provisioner");
        thread.setDaemon(true);
        return thread;
    });

    private ClaimProvisioner(KubernetesClient admin) {
        this.admin = admin;
        // Informed first: a claim's class is looked up in this cache.
        this.storageClasses = admin.storage().v1().storageClasses().inform();
        // A deleted claim turns its volume Released, which the volume handler sees. The resync hands every claim
        // in again, so a bind that failed is tried once more.
        this.claims = admin.persistentVolumeClaims().inAnyNamespace()
                .inform(ObjectEvents.of(this::provisionIfPending,
                        claim -> binding.remove(claim.getMetadata().getUid())), CLAIM_RESYNC_MILLIS);
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
        StorageClass storageClass = storageClasses.getStore().getByKey(className);
        if (storageClass == null) {
            // A class created a moment ago may not have reached the cache yet.
            storageClass = admin.storage().v1().storageClasses().withName(className).get();
        }
        if (storageClass == null || !PROVISIONER.equals(storageClass.getProvisioner())) {
            return;
        }
        String uid = claim.getMetadata().getUid();
        if (!binding.add(uid)) {
            return;
        }
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
        binds.execute(() -> createAndBind(volume, claim));
    }

    private void createAndBind(PersistentVolume volume, PersistentVolumeClaim claim) {
        String volumeName = volume.getMetadata().getName();
        String namespace = claim.getMetadata().getNamespace();
        String claimName = claim.getMetadata().getName();
        try {
            create(volume);
            admin.persistentVolumes().withName(volumeName).subresource("status")
                    .patch(MERGE, Serialization.asJson(Map.of("status", Map.of("phase", "Bound"))));
            // The claim's UID in each claim patch: the server refuses it for a claim of the same name made since.
            String uid = claim.getMetadata().getUid();
            admin.persistentVolumeClaims().inNamespace(namespace).withName(claimName).patch(MERGE,
                    Serialization.asJson(Map.of(
                            "metadata", Map.of("uid", uid, "annotations", BOUND_CLAIM_ANNOTATIONS),
                            "spec", Map.of("volumeName", volumeName))));
            admin.persistentVolumeClaims().inNamespace(namespace).withName(claimName).subresource("status")
                    .patch(MERGE, Serialization.asJson(Map.of("metadata", Map.of("uid", uid), "status", Map.of(
                            "phase", "Bound",
                            "accessModes", volume.getSpec().getAccessModes(),
                            "capacity", volume.getSpec().getCapacity()))));
        } catch (KubernetesClientException e) {
            if (binds.isShutdown()) {
                return; // closed with the cluster: the write was interrupted
            }
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                // Tried again at the claim's next event or the informer's resync, unless the binder, which
                // sees the volume pre-bound to the claim, completes the bind first.
                binding.remove(claim.getMetadata().getUid());
                System.err.println("real-cluster provisioner: binding claim " + namespace + "/" + claimName
                        + " to volume " + volumeName + " failed: " + e.getMessage());
            }
            // Not found: the claim, or its volume, went away meanwhile; nothing is left to bind.
        }
    }

    private void create(PersistentVolume volume) {
        try {
            admin.persistentVolumes().resource(volume).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // Provisioned on an earlier event of the same claim; the bind's writes are the same again.
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
        storageClasses.close();
        binds.shutdownNow();
    }
}
