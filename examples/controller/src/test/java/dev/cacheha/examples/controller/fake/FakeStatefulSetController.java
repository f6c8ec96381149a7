package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What Kubernetes' StatefulSet controller does, which the mock API server does not: every few milliseconds it
 * makes the pods and claims of each StatefulSet's ordinals that are missing (pods from the current template,
 * so a pod deleted under {@code OnDelete} comes back with the new configuration) and deletes pods of ordinals
 * beyond the replica count. Claims are never deleted, as with {@code whenScaled: Retain}.
 */
public final class FakeStatefulSetController implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean paused;

    /** Starts reconciling the StatefulSets of {@code namespace}. */
    public FakeStatefulSetController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        loop.scheduleWithFixedDelay(this::syncQuietly, 0, 20, TimeUnit.MILLISECONDS);
    }

    /** Stops or resumes making pods, as a cluster without capacity would. */
    public void paused(boolean paused) {
        this.paused = paused;
    }

    private void syncQuietly() {
        try {
            if (!paused) {
                client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(this::sync);
            }
        } catch (KubernetesClientException | IllegalStateException ignored) {
            // A failure injected for the controller under test, or the server going down at the end.
        }
    }

    private void sync(StatefulSet set) {
        String name = set.getMetadata().getName();
        int replicas = set.getSpec().getReplicas();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            String pod = name + "-" + ordinal;
            if (client.pods().inNamespace(namespace).withName(pod).get() == null) {
                for (PersistentVolumeClaim claim : StatefulSetClaims.of(set)) {
                    if (claim.getMetadata().getName().endsWith("-" + pod)
                            && client.persistentVolumeClaims().inNamespace(namespace)
                                    .withName(claim.getMetadata().getName()).get() == null) {
                        client.resource(claim).create();
                    }
                }
                client.resource(new PodBuilder()
                        .withMetadata(new ObjectMetaBuilder(set.getSpec().getTemplate().getMetadata())
                                .withName(pod).withNamespace(namespace).build())
                        .withSpec(set.getSpec().getTemplate().getSpec())
                        .build()).create();
            }
        }
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            String podName = pod.getMetadata().getName();
            if (podName.startsWith(name + "-") && podName.substring(name.length() + 1).matches("\\d+")
                    && Integer.parseInt(podName.substring(name.length() + 1)) >= replicas) {
                client.resource(pod).delete();
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
