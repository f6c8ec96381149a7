package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both providers' plans on a real control plane, in a namespace where Pod Security enforces "restricted": every
 * object is accepted by server-side apply without a single warning, the StatefulSet controller makes the pods
 * (which Pod Security admits) and the journal claims in the planned storage class, the scheduler spreads the
 * pods over the fake nodes, kwok runs them to Ready, the disruption controller counts the PDB, and deleting
 * the StatefulSet lets the garbage collector take its pods and, as the rendered retention policy says, its
 * claims.
 */
@ExtendWith(RealClusterExtension.class)
class EveryRenderedObjectOnRealClusterTest {

    private static final int MASTERS = 3;
    private static final String OTHER_STORAGE_CLASS = "fast-ssd";

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("alluxio", JournalStorage.persistentVolume("20Gi")),
                Arguments.of("alluxio", new JournalStorage.PersistentVolume(OTHER_STORAGE_CLASS, "5Gi", null)),
                Arguments.of("alluxio", JournalStorage.memory("1Gi")),
                Arguments.of("jindo", JournalStorage.persistentVolume("10Gi")),
                Arguments.of("jindo", JournalStorage.memory("1Gi")));
    }

    @ParameterizedTest(name = "{0} with journal {1}")
    @MethodSource("plans")
    void planAppliedWithoutWarningRunsReadyAndLeavesAsItsRetentionPolicySays(
            String engine, JournalStorage journal, RealCluster cluster) {
        // Given a plan of 3 masters for a namespace where Pod Security enforces, warns and audits "restricted"
        String namespace = cluster.createNamespace(engine, RealCluster.RESTRICTED_POD_SECURITY);
        HighAvailabilityProvider provider = HighAvailabilityProviders.load().get(engine);
        HaPlan plan = provider.plan(HaSpec.builder("cache", namespace).replicas(MASTERS).journal(journal)
                .build(provider));
        if (journal instanceof JournalStorage.PersistentVolume claims) {
            cluster.ensureStorageClass(claims.storageClass());
        }

        // When every object is applied by server-side apply as field manager cache-ha
        ServerWarnings warnings = new ServerWarnings();
        try (KubernetesClient client = cluster.clientRecording(warnings)) {
            for (HasMetadata object : plan.objects()) {
                client.resource(object).fieldManager(RealCluster.FIELD_MANAGER).serverSideApply();
            }
        }

        // Then the server took every object without a warning, each managed by cache-ha
        assertThat(warnings.received()).isEmpty();
        KubernetesClient admin = cluster.admin();
        for (HasMetadata object : plan.objects()) {
            HasMetadata stored = admin.resource(object).get();
            assertThat(stored).as(object.getKind() + " " + object.getMetadata().getName()).isNotNull();
            assertThat(stored.getMetadata().getManagedFields())
                    .anyMatch(entry -> RealCluster.FIELD_MANAGER.equals(entry.getManager())
                            && "Apply".equals(entry.getOperation()));
        }

        // And the StatefulSet controller made 3 pods, admitted, scheduled on 3 distinct fake nodes and Ready
        StatefulSet planned = plan.object(StatefulSet.class).orElseThrow();
        String set = planned.getMetadata().getName();
        Await.until("3 ready replicas of " + set, () -> {
            StatefulSet live = admin.apps().statefulSets().inNamespace(namespace).withName(set).get();
            Integer ready = live.getStatus() == null ? null : live.getStatus().getReadyReplicas();
            return ready != null && ready == MASTERS;
        }, () -> "pods: " + podSummary(admin, namespace));
        List<Pod> pods = pods(admin, namespace, planned);
        assertThat(pods).hasSize(MASTERS).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).startsWith("real-cluster-node-");
            assertThat(pod.getStatus().getConditions())
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
        assertThat(pods.stream().map(pod -> pod.getSpec().getNodeName()).distinct()).hasSize(MASTERS);

        // And the journal claims, if the plan has them, are bound in the planned storage class
        List<PersistentVolumeClaim> claims = admin.persistentVolumeClaims().inNamespace(namespace).list().getItems();
        if (journal instanceof JournalStorage.PersistentVolume persistent) {
            assertThat(claims).hasSize(MASTERS).allSatisfy(claim -> {
                assertThat(claim.getSpec().getStorageClassName()).isEqualTo(persistent.storageClass());
                assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
            });
        } else {
            assertThat(claims).isEmpty();
        }

        // And the disruption controller allows exactly the disruptions the PDB plans for 3 healthy masters
        PodDisruptionBudget budget = plan.object(PodDisruptionBudget.class).orElseThrow();
        int allowed = MASTERS - budget.getSpec().getMinAvailable().getIntVal();
        Await.until("PDB " + budget.getMetadata().getName() + " allowing " + allowed + " disruption(s)", () -> {
            PodDisruptionBudget live = admin.policy().v1().podDisruptionBudget().inNamespace(namespace)
                    .withName(budget.getMetadata().getName()).get();
            return live.getStatus() != null && Objects.equals(live.getStatus().getCurrentHealthy(), MASTERS)
                    && Objects.equals(live.getStatus().getDisruptionsAllowed(), allowed);
        }, () -> "status: " + admin.policy().v1().podDisruptionBudget().inNamespace(namespace)
                .withName(budget.getMetadata().getName()).get().getStatus());

        // When the StatefulSet is deleted
        admin.apps().statefulSets().inNamespace(namespace).withName(set).delete();

        // Then the garbage collector removes its pods, and its claims as its retention policy says
        Await.until("the pods of " + set + " deleted", () -> pods(admin, namespace, planned).isEmpty(),
                () -> "pods: " + podSummary(admin, namespace));
        boolean deleteClaims = planned.getSpec().getPersistentVolumeClaimRetentionPolicy() != null
                && "Delete".equals(planned.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        if (deleteClaims) {
            Await.until("the claims of " + set + " deleted",
                    () -> admin.persistentVolumeClaims().inNamespace(namespace).list().getItems().isEmpty(),
                    () -> "claims: " + admin.persistentVolumeClaims().inNamespace(namespace).list().getItems()
                            .stream().map(c -> c.getMetadata().getName()).toList());
        } else {
            assertThat(admin.persistentVolumeClaims().inNamespace(namespace).list().getItems())
                    .hasSize(claims.size());
        }
        assertThat(journal instanceof JournalStorage.PersistentVolume).as("claims deleted with the set")
                .isEqualTo(deleteClaims);
        Await.until("the controller revisions of " + set + " deleted",
                () -> admin.apps().controllerRevisions().inNamespace(namespace).list().getItems().isEmpty(),
                () -> "revisions left");
        admin.namespaces().withName(namespace).delete();
    }

    @Test
    void workloadThatRestrictedWouldRefuseDrawsAWarningTheRecorderHears(RealCluster cluster) {
        // Given a namespace where Pod Security warns about "restricted", and a StatefulSet whose pod runs as
        // whatever user the image says, with privilege escalation allowed
        String namespace = cluster.createNamespace("warned", RealCluster.RESTRICTED_POD_SECURITY);
        Map<String, String> labels = Map.of("app", "unhardened");
        StatefulSet unhardened = new StatefulSetBuilder()
                .withNewMetadata().withName("unhardened").withNamespace(namespace).endMetadata()
                .withNewSpec()
                    .withServiceName("unhardened")
                    .withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();

        // When it is applied with a recording client
        ServerWarnings warnings = new ServerWarnings();
        try (KubernetesClient client = cluster.clientRecording(warnings)) {
            client.resource(unhardened).fieldManager(RealCluster.FIELD_MANAGER).serverSideApply();
        }

        // Then the server's Pod Security warning was recorded, for that request
        assertThat(warnings.received()).singleElement().satisfies(warning -> {
            assertThat(warning.text()).contains("would violate PodSecurity \"restricted:");
            assertThat(warning.uri()).contains("/namespaces/" + namespace + "/statefulsets/unhardened");
        });
        cluster.admin().namespaces().withName(namespace).delete();
    }

    private static List<Pod> pods(KubernetesClient admin, String namespace, StatefulSet set) {
        return admin.pods().inNamespace(namespace).withLabels(set.getSpec().getSelector().getMatchLabels())
                .list().getItems();
    }

    private static String podSummary(KubernetesClient admin, String namespace) {
        return admin.pods().inNamespace(namespace).list().getItems().stream()
                .map(pod -> pod.getMetadata().getName() + " on " + pod.getSpec().getNodeName() + " "
                        + (pod.getStatus() == null ? "?" : pod.getStatus().getPhase()))
                .toList().toString();
    }
}
