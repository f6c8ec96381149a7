package dev.cacheha.realcluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.RenderedPod;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local node on the real cluster, running a 3-master Alluxio plan applied as rendered: what a kubelet would do
 * for its pods, seen through the API server. One quorum for the class (three JVMs are the expensive part); the
 * tests run in order, each leaving the quorum whole.
 */
@ExtendWith(RealClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalNodeOnRealClusterTest {

    private static final Duration BUDGET = Duration.ofMinutes(4);
    private static final String NAME = "node";

    private RealCluster cluster;
    private LocalNode node;
    private String namespace;
    private HaSpec spec;
    private HaPlan plan;

    @BeforeAll
    void startTheNodeAndApplyThePlan(RealCluster cluster) {
        this.cluster = cluster;
        node = LocalNode.start(cluster.admin(), AlluxioClasspath.fromResource(getClass().getClassLoader()));
        namespace = cluster.createNamespace("local-node", Map.of());
        admin().namespaces().withName(namespace).edit(object -> {
            object.getMetadata().getAnnotations().putAll(LocalNode.namespaceAnnotations());
            return object;
        });
        spec = HaSpec.builder(NAME, namespace).replicas(3).build();
        plan = new AlluxioHighAvailabilityProvider().plan(spec);
        for (HasMetadata object : plan.objects()) {
            admin().resource(object).serverSideApply();
        }
    }

    @AfterAll
    void stopTheNode() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            if (namespace != null) {
                admin().namespaces().withName(namespace).delete();
            }
        }
        assertThat(node.runningProcesses()).as("master JVMs left by the node").isEmpty();
    }

    @Test
    @Order(1)
    void podsOfTheAnnotatedNamespaceRunOnTheNodeAsRealMastersThatElectALeader() throws Exception {
        // Given the plan's objects applied in a namespace that tolerates the node
        // Then the StatefulSet's 3 pods are bound to the node, run, and turn Ready from their readiness probes
        awaitReadyPods(3);
        for (Pod pod : pods()) {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalNode.NAME);
            assertThat(pod.getStatus().getPodIP()).isEqualTo(LocalNode.POD_IP);
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(container(pod, AlluxioNames.CONTAINER).getState().getRunning()).isNotNull();
            assertThat(container(pod, AlluxioNames.JOB_CONTAINER).getState().getWaiting().getReason())
                    .isEqualTo(NodePod.NOT_RUN);
            assertThat(node.pod(namespace, pod.getMetadata().getName())).isPresent();
        }
        // And the provider's discovery through the node's probe finds one leader among them
        ClusterAccess access = new ClusterAccess(node.memberProbe(), node.podExec(), Duration.ofSeconds(5));
        Await.until("a leader by the provider's discovery", BUDGET, () -> new AlluxioHighAvailabilityProvider()
                .leaderDiscovery(spec, access).discover().leader().isPresent(), this::describe);
        // And a command in a pod runs with that pod's configuration, as kubectl exec would
        PodExec.Result info = exec(NAME + "-master-0", "alluxio", "fsadmin", "journal", "quorum", "info",
                "-domain", "MASTER");
        assertThat(info.stdout()).contains("Quorum size\t: 3").contains(NAME + "-master-1." + NAME + "-master."
                + namespace + ".svc.cluster.local:19200");
    }

    @Test
    @Order(2)
    void aPodOfANamespaceThatDoesNotTolerateTheNodeRunsElsewhere() {
        // Given a namespace without the node's annotations
        String other = cluster.createNamespace("elsewhere", Map.of());
        try {
            // When a pod is created there
            admin().pods().inNamespace(other).resource(new PodBuilder().withNewMetadata().withName("plain")
                    .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("busybox")
                    .endContainer().endSpec().build()).create();
            // Then the scheduler binds it to a kwok node, never to the tainted local node
            Await.until("pod plain bound", BUDGET, () -> admin().pods().inNamespace(other).withName("plain").get()
                    .getSpec().getNodeName() != null, () -> "");
            assertThat(admin().pods().inNamespace(other).withName("plain").get().getSpec().getNodeName())
                    .isNotEqualTo(LocalNode.NAME);
        } finally {
            admin().namespaces().withName(other).delete();
        }
    }

    @Test
    @Order(3)
    void aFrozenMasterFailsItsLivenessProbeAndIsRestartedWithItsRestartCountRaised() throws Exception {
        // Given a running member
        String name = NAME + "-master-2";
        RenderedPod running = node.pod(namespace, name).orElseThrow();
        long frozen = running.pid();
        // When its master is frozen, so its web port accepts connections and never answers
        new ProcessBuilder("kill", "-STOP", Long.toString(frozen)).start().waitFor(10, TimeUnit.SECONDS);
        // Then the node restarts the container after the liveness probe fails, and reports one restart
        Await.until(name + " restarted", BUDGET, () -> container(pod(name), AlluxioNames.CONTAINER)
                .getRestartCount() == 1, this::describe);
        assertThat(ProcessHandle.of(frozen).filter(ProcessHandle::isAlive)).isEmpty();
        awaitReadyPods(3);
    }

    @Test
    @Order(4)
    void aDeletedPodIsStoppedRemovedAndRecreatedOnTheSameJournalClaim() throws Exception {
        // Given a member whose journal claim holds its journal
        String name = NAME + "-master-1";
        Pod before = pod(name);
        long pid = node.pod(namespace, name).orElseThrow().pid();
        Path journal = node.pod(namespace, name).orElseThrow().volume(AlluxioNames.JOURNAL_VOLUME);
        Path marker = Files.writeString(journal.resolve("survives-the-pod"), "yes");
        // When its pod is deleted
        admin().pods().inNamespace(namespace).withName(name).delete();
        // Then its master is stopped, the pod object removed, and the StatefulSet controller's new pod runs on the
        // same claim's directory
        Await.until(name + " recreated and Ready", BUDGET, () -> {
            Pod now = admin().pods().inNamespace(namespace).withName(name).get();
            return now != null && !now.getMetadata().getUid().equals(before.getMetadata().getUid()) && ready(now);
        }, this::describe);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(node.pod(namespace, name).orElseThrow().volume(AlluxioNames.JOURNAL_VOLUME)).isEqualTo(journal);
        assertThat(marker).hasContent("yes");
        // and the node's history tells the two pod objects apart: the old one run, stopped and forgotten before the
        // new one runs
        String oldPod = namespace + "/" + name + " (uid " + before.getMetadata().getUid() + ")";
        String newPod = namespace + "/" + name + " (uid " + pod(name).getMetadata().getUid() + ")";
        assertThat(node.podHistory().stream().filter(line -> line.contains(oldPod) || line.contains(newPod))
                .map(line -> line.replaceFirst("^\\S+ ", "").replaceFirst(": .*", "")))
                .containsSubsequence("runs " + oldPod, "stops " + oldPod, "forgets " + oldPod, "runs " + newPod);
        awaitReadyPods(3);
    }

    @Test
    @Order(5)
    void deletingTheStatefulSetAndItsClaimsStopsEveryMasterAndRemovesTheClaimDirectories() {
        // Given the journal directories of the running members
        List<Path> journals = pods().stream().map(pod -> node.pod(namespace, pod.getMetadata().getName())
                .orElseThrow().volume(AlluxioNames.JOURNAL_VOLUME)).toList();
        assertThat(journals).hasSize(3).allSatisfy(journal -> assertThat(journal).isDirectory());
        // When the StatefulSet and then its claims are deleted
        admin().apps().statefulSets().inNamespace(namespace).withName(NAME + "-master").delete();
        Await.until("every master stopped", BUDGET, () -> node.runningProcesses().isEmpty() && pods().isEmpty(),
                this::describe);
        admin().persistentVolumeClaims().inNamespace(namespace).delete();
        // Then every claim's directory is gone with its claim
        Await.until("the claim directories removed", BUDGET,
                () -> journals.stream().noneMatch(Files::exists), () -> "left: " + journals);
    }

    private KubernetesClient admin() {
        return cluster.admin();
    }

    private List<Pod> pods() {
        return admin().pods().inNamespace(namespace).list().getItems();
    }

    private Pod pod(String name) {
        return admin().pods().inNamespace(namespace).withName(name).get();
    }

    private static ContainerStatus container(Pod pod, String name) {
        return pod.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void awaitReadyPods(int count) {
        Await.until(count + " pods Ready", BUDGET,
                () -> pods().stream().filter(LocalNodeOnRealClusterTest::ready).count() == count, this::describe);
    }

    private PodExec.Result exec(String pod, String... argv) throws Exception {
        return node.podExec().exec(plan.members().get(ordinal(pod)), AlluxioNames.CONTAINER, List.of(argv),
                Duration.ofSeconds(60)).get(70, TimeUnit.SECONDS);
    }

    private static int ordinal(String pod) {
        return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    }

    private String describe() {
        return "pods: " + pods().stream().map(pod -> pod.getMetadata().getName() + " on "
                + pod.getSpec().getNodeName() + " " + pod.getStatus()).toList() + "\n"
                + node.masterLogTails(namespace, 15);
    }
}
