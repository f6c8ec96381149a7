package dev.cacheha.examples.jindo;

import static dev.cacheha.examples.jindo.JindoHighAvailabilityProvider.DISCOVERY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is particular to Jindo, beyond the kit: its property names, ports, objects and role line. */
class JindoHighAvailabilityProviderTest {

    private final JindoHighAvailabilityProvider provider = new JindoHighAvailabilityProvider();

    @Test
    void threeMastersGetARaftConfigurationOfTheirFullyQualifiedHostsInOrdinalOrder() {
        // Given three masters of runtime "spark" in namespace "data"
        HaSpec spec = HaSpec.builder("spark", "data").replicas(3).build();

        // When planned
        HaPlan plan = provider.plan(spec);

        // Then the raft peers and the client addresses list every master, by ordinal, with Jindo's ports
        String host = "spark-jindofs-master-%d.spark-jindofs-master.data.svc.cluster.local";
        assertThat(plan.properties()).containsExactly(
                Map.entry("namespace.backend.type", "raft"),
                Map.entry("namespace.backend.raft.initial-conf",
                        String.format(host + ":8103:0," + host + ":8103:0," + host + ":8103:0", 0, 1, 2)),
                Map.entry("namespace.rpc.port", "8101"),
                Map.entry("namespace.meta-dir", "/var/lib/jindo-meta/server"),
                Map.entry("fs.jindocache.namespace.rpc.address",
                        String.format(host + ":8101," + host + ":8101," + host + ":8101", 0, 1, 2)));
        assertThat(plan.journalAddresses()).extracting(Object::toString)
                .containsExactly(String.format(host + ":8103", 0), String.format(host + ":8103", 1),
                        String.format(host + ":8103", 2));
    }

    @Test
    void portOverridesReachThePropertiesTheServiceAndTheContainer() {
        HaSpec spec = HaSpec.builder("spark", "data").replicas(1).port("rpc", 9101).port("raft", 9103)
                .clusterDomain("k8s.example").property("jfs.user.setting", "on").build();

        HaPlan plan = provider.plan(spec);

        String host = "spark-jindofs-master-0.spark-jindofs-master.data.svc.k8s.example";
        assertThat(plan.properties())
                .containsEntry("namespace.backend.raft.initial-conf", host + ":9103:0")
                .containsEntry("namespace.rpc.port", "9101")
                .containsEntry("fs.jindocache.namespace.rpc.address", host + ":9101")
                .containsEntry("jfs.user.setting", "on");
        assertThat(plan.object(Service.class).orElseThrow().getSpec().getPorts())
                .extracting(port -> port.getName() + ":" + port.getPort())
                .containsExactly("rpc:9101", "raft:9103");
        assertThat(plan.object(StatefulSet.class).orElseThrow().getSpec().getTemplate().getSpec().getContainers()
                .get(0).getPorts()).extracting(port -> port.getName() + ":" + port.getContainerPort())
                .containsExactly("rpc:9101", "raft:9103");
    }

    @Test
    void mastersStartTogetherSpreadOverNodesAndFindEachOtherBeforeTheyAreReady() {
        HaPlan plan = provider.plan(HaSpec.builder("spark", "data").build());

        StatefulSet statefulSet = plan.object(StatefulSet.class).orElseThrow();
        assertThat(statefulSet.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
                .isEqualTo("Delete");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement()
                .satisfies(term -> assertThat(term.getPodAffinityTerm().getTopologyKey())
                        .isEqualTo("kubernetes.io/hostname"));
        assertThat(plan.object(Service.class).orElseThrow().getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(plan.object(Service.class).orElseThrow().getSpec().getClusterIP()).isEqualTo("None");
    }

    @Test
    void restrictedTrafficOpensTheRaftPortToMastersOnlyAndTheRpcPortToTheNamespaceOnly() {
        HaPlan open = provider.plan(HaSpec.builder("spark", "data").restrictJournalTraffic(false).build());
        HaPlan restricted = provider.plan(HaSpec.builder("spark", "data").build());

        assertThat(open.object(NetworkPolicy.class)).isEmpty();
        NetworkPolicy policy = restricted.object(NetworkPolicy.class).orElseThrow();
        assertThat(policy.getSpec().getIngress()).hasSize(2);
        assertThat(policy.getSpec().getIngress().get(0).getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(8103));
        assertThat(policy.getSpec().getIngress().get(0).getFrom()).singleElement()
                .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry("app.kubernetes.io/instance", "spark"));
        assertThat(policy.getSpec().getIngress().get(1).getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(8101));
        assertThat(policy.getSpec().getIngress().get(1).getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getPodSelector().getMatchLabels()).isEmpty();
        });
    }

    @Test
    void everyJindoFaultOfASpecIsReportedAtOnce() {
        HaSpec spec = HaSpec.builder("r".repeat(40), "data").journal(JournalStorage.memory("1Gi"))
                .port("web", 8080).property("namespace.rpc.port", "1").property("namespace.meta-dir", "/x").build();

        SpecValidationException refused =
                catchThrowableOfType(SpecValidationException.class, () -> provider.validate(spec));

        assertThat(refused.violations()).extracting(Violation::field).containsExactly(
                "name", "ports.web", "properties[namespace.meta-dir]", "properties[namespace.rpc.port]");
    }

    @Test
    void aRoleIsTakenOnlyFromACleanRunThatStatesExactlyOne() {
        assertThat(DISCOVERY.role(new PodExec.Result(0, "x\n  role : leader \n", ""))).isEqualTo(Role.LEADER);
        assertThat(DISCOVERY.role(new PodExec.Result(0, "Role: FOLLOWER", ""))).isEqualTo(Role.FOLLOWER);
        assertThat(DISCOVERY.role(new PodExec.Result(1, "Role: LEADER", ""))).isEqualTo(Role.UNKNOWN);
        assertThat(DISCOVERY.role(new PodExec.Result(0, "Role: LEADER\nRole: FOLLOWER", "")))
                .isEqualTo(Role.UNKNOWN);
        assertThat(DISCOVERY.role(new PodExec.Result(0, "Leader: spark-jindofs-master-0", "")))
                .isEqualTo(Role.UNKNOWN);
        assertThat(DISCOVERY.role(new PodExec.Result(0, "Role: LEADERSHIP", ""))).isEqualTo(Role.UNKNOWN);
    }

    @Test
    void thePropertiesReachEveryMasterThroughAMountedConfigMap() {
        // Given a planned quorum
        HaPlan plan = provider.plan(HaSpec.builder("spark", "data").property("jfs.user.setting", "on").build());

        // Then a ConfigMap carries the properties file
        ConfigMap configMap = plan.object(ConfigMap.class).orElseThrow();
        assertThat(configMap.getData()).containsEntry("jindocache.properties", plan.propertiesFile());
        StatefulSet statefulSet = plan.object(StatefulSet.class).orElseThrow();
        // And its volume is mounted as that file into the master container
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(volume -> assertThat(volume.getConfigMap().getName()).isEqualTo(
                        configMap.getMetadata().getName()));
        Container master = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(master.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/jindo/jindocache.properties");
            assertThat(mount.getSubPath()).isEqualTo("jindocache.properties");
        });
        // And the masters are restarted by the controller, one at a time, and are ready once rpc is open
        assertThat(statefulSet.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(master.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("rpc");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).hasSize(1);
    }

    @Test
    void anRpcOverrideOnTheDefaultRaftPortIsRefused() {
        // Given rpc moved onto 8103, Jindo's raft port, with raft left at its default
        HaSpec spec = HaSpec.builder("spark", "data").port("rpc", 8103).build();

        // When validated, then the collision is refused
        SpecValidationException refused =
                catchThrowableOfType(SpecValidationException.class, () -> provider.validate(spec));
        assertThat(refused.violations()).extracting(Violation::field).containsExactly("ports.rpc");
    }

    @Test
    void aClaimWhoseDeleteAnnotationWasChangedIsKeptAndAClaimWithoutMetadataDoesNotThrow() {
        // Given the runtime's claim of member 0 with its annotation set to keep it, and a claim with no metadata
        HaSpec spec = HaSpec.builder("spark", "data").build();
        var kept = new PersistentVolumeClaimBuilder().withNewMetadata().withName("meta-spark-jindofs-master-0")
                .withNamespace("data").withLabels(dev.cacheha.spi.RuntimeLabels.masters("jindo", "spark"))
                .addToAnnotations("cache-ha.dev/delete-claim", "false").endMetadata().build();
        var bare = new PersistentVolumeClaimBuilder().build();

        // When cleanup selects, then neither is deleted, and each has a reason
        var cleanup = provider.cleanup(spec, List.of(kept, bare));
        assertThat(cleanup.delete()).isEmpty();
        assertThat(cleanup.kept()).extracting(k -> k.reason()).hasSize(2)
                .anySatisfy(reason -> assertThat(reason).contains("someone asked to keep this journal"));
    }

    @Test
    void givenFiveMastersWithAMovedRaftPortWhenShrinkingToThreeThenTheStoppedOnesLeaveTheRaftGroupOnTheLeader() {
        HaSpec spec = HaSpec.builder("spark", "data").replicas(5).port("raft", 9103).build();

        ReplicaChangePlan change = provider.planReplicaChange(spec, 3);

        String host = "spark-jindofs-master-%d.spark-jindofs-master.data.svc.cluster.local:9103";
        assertThat(change.steps()).filteredOn(Step.ExecOnLeader.class::isInstance)
                .extracting(step -> ((Step.ExecOnLeader) step).argv())
                .containsExactly(List.of("jindo", "admin", "-removeRaftPeer", String.format(host, 3)),
                        List.of("jindo", "admin", "-removeRaftPeer", String.format(host, 4)));
        assertThat(change.target().object(StatefulSet.class).orElseThrow().getSpec().getReplicas()).isEqualTo(3);
    }
}
