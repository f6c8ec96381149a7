package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What Kubernetes' StatefulSet controller does, which the mock API server does not: after each pause it makes
 * the pods and claims of each StatefulSet's ordinals that are missing (pods from the current template, so a pod
 * deleted under {@code OnDelete} comes back with the new configuration) and deletes pods of ordinals beyond the
 * replica count. Claims are never deleted, as with {@code whenScaled: Retain}.
 */
public final class FakeStatefulSetController implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean paused;

    /** Starts reconciling the StatefulSets of {@code namespace}, {@code pause} after each pass. */
    public FakeStatefulSetController(KubernetesClient client, String namespace, Duration pause) {
        this.client = client;
        this.namespace = namespace;
        loop.scheduleWithFixedDelay(this::syncQuietly, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops or resumes making pods, as a cluster without capacity would. */
    public void paused(boolean paused) {
        this.paused = paused;
    }

    private void syncQuietly() {
        try {
            if (!paused) {
                sync();
            }
        } catch (KubernetesClientException | IllegalStateException ignored) {
            // A failure injected for the controller under test, or the server going down at the end.
        }
    }

    /** One pass over every StatefulSet, with one list of each kind, so that it keeps up with many runtimes. */
    private void sync() {
        List<StatefulSet> sets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        Set<String> podNames = names(pods);
        Set<String> claimNames = names(client.persistentVolumeClaims().inNamespace(namespace).list().getItems());
        for (StatefulSet set : sets) {
            String name = set.getMetadata().getName();
            int replicas = set.getSpec().getReplicas();
            List<PersistentVolumeClaim> claims = StatefulSetClaims.of(set);
            for (int ordinal = 0; ordinal < replicas; ordinal++) {
                String pod = name + "-" + ordinal;
                if (!podNames.contains(pod)) {
                    for (PersistentVolumeClaim claim : claims) {
                        if (claim.getMetadata().getName().endsWith("-" + pod)
                                && !claimNames.contains(claim.getMetadata().getName())) {
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
            for (Pod pod : pods) {
                String podName = pod.getMetadata().getName();
                if (podName.startsWith(name + "-") && podName.substring(name.length() + 1).matches("\\d+")
                        && Integer.parseInt(podName.substring(name.length() + 1)) >= replicas) {
                    client.resource(pod).delete();
                }
            }
        }
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(object -> object.getMetadata().getName()).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
