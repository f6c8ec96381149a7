package dev.cacheha.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuorumObjectsTest {

    private static final HaSpec SPEC = HaSpec.builder("geese", "farm").build();

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void theObjectsComeInApplyOrderWithThePolicyOnlyWhenAskedAndTheBudgetOnlyForAQuorum() {
        assertThat(GooseEngine.objects(SPEC.toBuilder().restrictJournalTraffic(false).build()))
                .extracting(HasMetadata::getKind)
                .containsExactly("ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget");
        assertThat(GooseEngine.objects(SPEC.toBuilder().restrictJournalTraffic(true).build()))
                .extracting(HasMetadata::getKind)
                .containsExactly("ConfigMap", "Service", "NetworkPolicy", "StatefulSet", "PodDisruptionBudget");
        assertThat(GooseEngine.objects(SPEC.withReplicas(1))).extracting(HasMetadata::getKind)
                .doesNotContain("PodDisruptionBudget");
    }

    @Test
    void thePropertiesFileReachesEveryMasterContainerAndItsDigestMarksThePodTemplate() {
        List<HasMetadata> objects = GooseEngine.objects(SPEC);
        ConfigMap configMap = only(objects, ConfigMap.class);
        StatefulSet statefulSet = only(objects, StatefulSet.class);

        assertThat(configMap.getMetadata().getName()).isEqualTo("geese-goose-ha");
        assertThat(configMap.getData()).containsExactly(
                Map.entry("goose.properties", HaPlan.propertiesFile(Map.of("goose.peers", "a,b,c"))));
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(volume ->
                assertThat(volume.getConfigMap().getName()).isEqualTo("geese-goose-ha"));
        Container goose = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(goose.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/goose/goose.properties");
            assertThat(mount.getSubPath()).isEqualTo("goose.properties");
        });
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("cache-ha.dev/goose-sha256");
    }

    @Test
    void aChangedPropertyChangesTheDigest() {
        QuorumNames names = GooseEngine.names(SPEC);
        String first = digest(names, Map.of("k", "1"));
        String second = digest(names, Map.of("k", "2"));

        assertThat(first).hasSize(64).isNotEqualTo(second);
        assertThat(digest(names, Map.of("k", "1"))).isEqualTo(first);
    }

    private static String digest(QuorumNames names, Map<String, String> properties) {
        StatefulSet statefulSet = only(QuorumObjects.builder(names, GooseEngine.RULES.ports(names.spec()))
                .defaultImage("goose:1").propertiesFile("goose.properties", "/etc/goose", properties)
                .journal("journal", "/var/goose").journalPorts("raft")
                .container(MasterContainer.named("goose").ports("rpc").build()).build(), StatefulSet.class);
        return statefulSet.getSpec().getTemplate().getMetadata().getAnnotations().get("cache-ha.dev/goose-sha256");
    }

    @Test
    void theStatefulSetStartsMastersTogetherRestartsThemOnDeleteSpreadsThemAndDeletesClaimsWithTheRuntime() {
        StatefulSet statefulSet = only(GooseEngine.objects(SPEC), StatefulSet.class);

        assertThat(statefulSet.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(statefulSet.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(statefulSet.getSpec().getServiceName()).isEqualTo("geese-goose");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).singleElement()
                .satisfies(spread -> assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
                .isEqualTo("Delete");
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(template -> {
            assertThat(template.getMetadata().getName()).isEqualTo("journal");
            assertThat(template.getMetadata().getAnnotations()).containsEntry(RuntimeLabels.DELETE_CLAIM, "true");
        });
        Container goose = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(goose.getPorts()).extracting(port -> port.getName() + ":" + port.getContainerPort())
                .containsExactly("rpc:7000", "raft:7001");
        assertThat(goose.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("rpc");
        assertThat(goose.getImage()).isEqualTo("goose:1");
    }

    @Test
    void aMemoryJournalIsAnEmptyDirAndNoClaimTemplate() {
        StatefulSet statefulSet = only(GooseEngine.objects(SPEC.toBuilder()
                .journal(JournalStorage.memory("1Gi")).image("goose:2").build()), StatefulSet.class);

        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy()).isNull();
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(volume -> {
            assertThat(volume.getName()).isEqualTo("journal");
            assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");
        });
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("goose:2");
    }

    @Test
    void theServicePublishesNotReadyPodsAndTheBudgetKeepsAMajority() {
        List<HasMetadata> objects = GooseEngine.objects(SPEC.withReplicas(5));

        Service service = only(objects, Service.class);
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(only(objects, PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isEqualTo(3);
    }

    @Test
    void thePolicyOpensRaftToMastersOnlyAndOtherPortsToThisNamespaceAndTheSpecsClientsOnly() {
        // Given a spec restricting traffic with two clients, given out of order
        HaSpec spec = SPEC.toBuilder().restrictJournalTraffic(true)
                .client(ClientSelector.of(Map.of("team", "ml"), Map.of()))
                .client(ClientSelector.of(Map.of("kubernetes.io/metadata.name", "ops"), Map.of("app", "ctl")))
                .build();

        // When the objects are built
        NetworkPolicy policy = only(GooseEngine.objects(spec), NetworkPolicy.class);

        // Then raft admits the masters alone, and rpc this namespace and each client, sorted
        NetworkPolicyIngressRule raft = policy.getSpec().getIngress().get(0);
        assertThat(raft.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(7001);
        assertThat(raft.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getPodSelector().getMatchLabels()).containsEntry(RuntimeLabels.COMPONENT,
                    RuntimeLabels.MASTER);
        });
        NetworkPolicyIngressRule rpc = policy.getSpec().getIngress().get(1);
        assertThat(rpc.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(7000);
        assertThat(rpc.getFrom()).hasSize(3);
        assertThat(rpc.getFrom().get(0).getNamespaceSelector()).isNull();
        assertThat(rpc.getFrom().get(0).getPodSelector().getMatchLabels()).isEmpty();
        assertThat(rpc.getFrom().get(1).getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.entry("kubernetes.io/metadata.name", "ops"));
        assertThat(rpc.getFrom().get(1).getPodSelector().getMatchLabels()).containsExactly(Map.entry("app", "ctl"));
        assertThat(rpc.getFrom().get(2).getNamespaceSelector().getMatchLabels())
                .containsExactly(Map.entry("team", "ml"));
        assertThat(policy.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty());
    }

    @Test
    void perContainerSecurityResourcesProbesEnvAndMountsArePluggedIn() {
        SecurityContext restricted = new SecurityContext();
        restricted.setRunAsNonRoot(true);
        ResourceRequirements resources = new ResourceRequirements();
        resources.getRequests().put("memory", new Quantity("1Gi"));
        MasterContainer container = MasterContainer.named("goose").ports("rpc", "raft").env("GOOSE_OPTS", "-x")
                .securityContext(restricted).resources(resources)
                .livenessProbe(MasterContainer.portOpen("raft")).startupProbe(MasterContainer.portOpen("rpc"))
                .build();

        StatefulSet statefulSet = only(QuorumObjects.builder(GooseEngine.names(SPEC), GooseEngine.RULES.ports(SPEC))
                .defaultImage("goose:1").propertiesFile("goose.properties", "/etc/goose", Map.of())
                .journal("journal", "/var/goose").journalPorts("raft").container(container).build(),
                StatefulSet.class);

        Container goose = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(goose.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(goose.getResources().getRequests()).containsKey("memory");
        assertThat(goose.getLivenessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("raft");
        assertThat(goose.getStartupProbe()).isNotNull();
        assertThat(goose.getEnv()).extracting(variable -> variable.getName()).containsExactly("GOOSE_OPTS");
    }

    @Test
    void aMissingEngineFactOrAnUnknownPortIsAProviderBug() {
        assertThatIllegalStateException().isThrownBy(() -> QuorumObjects.builder(GooseEngine.names(SPEC),
                GooseEngine.RULES.ports(SPEC)).build()).withMessageContaining("defaultImage")
                .withMessageContaining("propertiesFile");
        assertThatIllegalStateException().isThrownBy(() -> QuorumObjects.builder(GooseEngine.names(SPEC),
                        GooseEngine.RULES.ports(SPEC)).defaultImage("g").propertiesFile("f", "/d", Map.of())
                .journal("j", "/j").journalPorts("raft")
                .container(MasterContainer.named("goose").ports("web").build()).build())
                .withMessageContaining("\"web\"");
    }
}
