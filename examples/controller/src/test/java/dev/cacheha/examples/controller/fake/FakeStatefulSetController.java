package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What Kubernetes' StatefulSet controller does, which the mock API server does not: after each pause it makes
 * the pods and claims of each StatefulSet's ordinals that are missing, controlled and owned by it as Kubernetes
 * makes them (pods from the current template, so a pod
 * deleted under {@code OnDelete} comes back with the new configuration) and deletes pods of ordinals beyond the
 * replica count. Claims are never deleted, as with {@code whenScaled: Retain}.
 *
 * <p>It finds what is missing from informers: listing every StatefulSet, pod and claim on each pass cost the
 * mock server more than the controller under test once there were a thousand runtimes. A cache a moment behind
 * only makes a create answer 409, and the next pass sees the object. The template a pod is made from is read
 * from the server right before: a cached StatefulSet a moment behind a configuration change would make the
 * restarted pod with the old configuration, and the controller would restart it again. Each pod is made Running
 * and Ready, as a kubelet would report it once its probes pass.
 */
public final class FakeStatefulSetController implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final SharedIndexInformer<StatefulSet> statefulSets;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<PersistentVolumeClaim> claims;
    private volatile boolean paused;
    private volatile boolean podsReady = true;

    /** Starts reconciling the StatefulSets of {@code namespace}, {@code pause} after each pass. */
    public FakeStatefulSetController(KubernetesClient client, String namespace, Duration pause) {
        this.client = client;
        this.namespace = namespace;
        this.statefulSets = client.apps().statefulSets().inNamespace(namespace).inform();
        this.pods = client.pods().inNamespace(namespace).inform();
        this.claims = client.persistentVolumeClaims().inNamespace(namespace).inform();
        loop.scheduleWithFixedDelay(this::syncQuietly, 0, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops or resumes making pods, as a cluster without capacity would. */
    public void paused(boolean paused) {
        this.paused = paused;
    }

    /**
     * Whether the pods it makes from now on are Ready at once (the default, as a kubelet reports a container whose
     * probes pass) or Running and not Ready yet, as while their containers start.
     */
    public void podsReady(boolean ready) {
        this.podsReady = ready;
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

    /** One pass over every StatefulSet, finding missing pods in the informers' caches. */
    private void sync() {
        List<Pod> pods = this.pods.getStore().list();
        Set<String> podNames = names(pods);
        Set<String> claimNames = names(claims.getStore().list());
        for (StatefulSet cached : statefulSets.getStore().list()) {
            String name = cached.getMetadata().getName();
            int replicas = cached.getSpec().getReplicas();
            for (int ordinal = 0; ordinal < replicas; ordinal++) {
                String pod = name + "-" + ordinal;
                if (!podNames.contains(pod)) {
                    makePod(cached, pod, ordinal, claimNames);
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

    /** Makes pod {@code pod} and its missing claims from the StatefulSet as the server has it now. */
    private void makePod(StatefulSet cached, String pod, int ordinal, Set<String> claimNames) {
        StatefulSet set = client.resource(cached).get();
        if (set == null || ordinal >= set.getSpec().getReplicas()) {
            return;
        }
        for (PersistentVolumeClaim claim : StatefulSetClaims.of(set)) {
            if (claim.getMetadata().getName().endsWith("-" + pod)
                    && !claimNames.contains(claim.getMetadata().getName())) {
                createIfAbsent(claim);
            }
        }
        createIfAbsent(new PodBuilder()
                .withMetadata(new ObjectMetaBuilder(set.getSpec().getTemplate().getMetadata())
                        .withName(pod).withNamespace(namespace)
                        .addNewOwnerReference().withApiVersion("apps/v1").withKind("StatefulSet").withName(name(set))
                        .withUid(set.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
                        .endOwnerReference()
                        .build())
                .withSpec(set.getSpec().getTemplate().getSpec())
                // Running and (unless told otherwise) Ready at once, as a kubelet reports a container whose probe
                // passes: the mock runs no kubelet, and the controller restarts a member only while the others' pods
                // are Ready.
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(podsReady ? "True" : "False")
                .withLastTransitionTime(Instant.now().toString()).endCondition().endStatus()
                .build());
    }

    /** Creates {@code object}; one the caches did not show yet is left as it is, and the pass goes on. */
    private void createIfAbsent(HasMetadata object) {
        try {
            client.resource(object).create();
        } catch (KubernetesClientException refused) {
            if (refused.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw refused;
            }
        }
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(object -> object.getMetadata().getName()).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        loop.shutdownNow();
        statefulSets.close();
        pods.close();
        claims.close();
    }
}
