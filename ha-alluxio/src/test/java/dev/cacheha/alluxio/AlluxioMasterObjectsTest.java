package dev.cacheha.alluxio;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each Kubernetes object of the plan must hold for the masters to form and keep a quorum. */
class AlluxioMasterObjectsTest {

    private static final Map<String, String> LABELS = Map.of(
            RuntimeLabels.NAME, "alluxio",
            RuntimeLabels.INSTANCE, "demo",
            RuntimeLabels.COMPONENT, "master",
            RuntimeLabels.MANAGED_BY, "cache-ha");

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    private static HaSpec.Builder demo() {
        return HaSpec.builder("demo", "cache");
    }

    private HaPlan plan(HaSpec spec) {
        return provider.plan(spec);
    }

    private static StatefulSet statefulSet(HaPlan plan) {
        return plan.object(StatefulSet.class).orElseThrow();
    }

    private static Container master(HaPlan plan) {
        return statefulSet(plan).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Container jobMaster(HaPlan plan) {
        return statefulSet(plan).getSpec().getTemplate().getSpec().getContainers().get(1);
    }

    @Test
    void objectsComeInApplyOrderEachInTheNamespaceWithTheMasterLabels() {
        // Given a three-master runtime with a restricted journal
        HaPlan plan = plan(demo().replicas(3).restrictJournalTraffic(true).build());

        // Then the ConfigMap and Service come before the pods that need them, the budget after them
        assertThat(plan.objects()).extracting(HasMetadata::getKind)
                .containsExactly("ConfigMap", "Service", "NetworkPolicy", "StatefulSet", "PodDisruptionBudget");
        assertThat(plan.objects()).extracting(object -> object.getMetadata().getName())
                .containsExactly("demo-master-ha", "demo-master", "demo-master-journal", "demo-master", "demo-master");
        assertThat(plan.objects()).allSatisfy(object -> {
            assertThat(object.getMetadata().getNamespace()).isEqualTo("cache");
            assertThat(object.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
        });
    }

    @Test
    void theSiteFileIsThePlanPropertiesAndLoadsBackToThem() throws IOException {
        // Given a plan with a user property that needs escaping
        HaPlan plan = plan(demo().property("alluxio.master.mount.table.root.ufs", " C:\\ufs é").build());

        // When the ConfigMap's file is loaded as Alluxio loads it
        String file = plan.object(ConfigMap.class).orElseThrow().getData().get(AlluxioProperties.SITE_FILE);
        Properties loaded = new Properties();
        loaded.load(new ByteArrayInputStream(file.getBytes(ISO_8859_1)));

        // Then it lists exactly the plan's properties, one line each, in plan order
        assertThat(loaded).containsExactlyInAnyOrderEntriesOf(plan.properties());
        assertThat(file.lines().map(line -> line.substring(0, line.indexOf('='))).toList())
                .containsExactlyElementsOf(plan.properties().keySet());
        assertThat(file).contains("alluxio.master.mount.table.root.ufs=\\ C:\\\\ufs \\u00e9\n");
    }

    @Test
    void theHeadlessServicePublishesMastersBeforeTheyAreReady() {
        // Given a plan with the rpc port moved
        HaPlan plan = plan(demo().port(AlluxioPorts.RPC, 29998).build());

        // When its Service is read
        Service service = plan.object(Service.class).orElseThrow();

        // Then it is headless, publishes not-ready pods, selects the masters and names every port
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getSelector()).containsExactlyInAnyOrderEntriesOf(LABELS);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(
                        tuple("rpc", 29998),
                        tuple("web", 19999),
                        tuple("journal", 19200),
                        tuple("job-rpc", 20001),
                        tuple("job-web", 20002),
                        tuple("job-journal", 20003));
        assertThat(service.getSpec().getPorts()).allSatisfy(port ->
                assertThat(port.getTargetPort()).isEqualTo(new IntOrString(port.getName())));
    }

    @Test
    void theStatefulSetStartsAllMastersAtOnceUnderTheHeadlessService() {
        // Given a five-master runtime
        StatefulSet statefulSet = statefulSet(plan(demo().replicas(5).build()));

        // Then its pods start in parallel, get DNS names from the Service and are restarted only on purpose
        assertThat(statefulSet.getSpec().getServiceName()).isEqualTo("demo-master");
        assertThat(statefulSet.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(5);
        assertThat(statefulSet.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(statefulSet.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels())
                .containsExactlyInAnyOrderEntriesOf(LABELS);
    }

    @Test
    void eachMasterAnnouncesItsOwnPodsDnsName() {
        // Given a runtime in a cluster with its own domain
        HaPlan plan = plan(demo().clusterDomain("corp.example").build());

        // Then the pod name comes from the downward API and is expanded into each process's hostname
        assertThat(master(plan).getEnv()).extracting(EnvVar::getName)
                .containsExactly("POD_NAME", "ALLUXIO_MASTER_JAVA_OPTS");
        assertThat(master(plan).getEnv().get(0).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(master(plan).getEnv().get(1).getValue())
                .startsWith("-Dalluxio.master.hostname=$(POD_NAME).demo-master.cache.svc.corp.example ");
        assertThat(jobMaster(plan).getEnv()).extracting(EnvVar::getName)
                .containsExactly("POD_NAME", "ALLUXIO_JOB_MASTER_JAVA_OPTS");
        assertThat(jobMaster(plan).getEnv().get(1).getValue())
                .startsWith("-Dalluxio.job.master.hostname=$(POD_NAME).demo-master.cache.svc.corp.example ");
    }

    @Test
    void theMasterAndTheJobMasterRunInContainersOfTheirOwnSoAnExitedProcessIsRestarted() {
        // Given a runtime with the journal port moved
        HaPlan plan = plan(demo().port(AlluxioPorts.JOURNAL, 29200).build());
        Container master = master(plan);
        Container jobMaster = jobMaster(plan);

        // Then each container runs one process, names its ports, reads the site file and keeps the journal
        assertThat(master.getName()).isEqualTo("alluxio-master");
        assertThat(master.getArgs()).containsExactly("master-only", "--no-format");
        assertThat(master.getPorts()).extracting(port -> port.getName() + "=" + port.getContainerPort())
                .containsExactly("rpc=19998", "web=19999", "journal=29200");
        assertThat(jobMaster.getName()).isEqualTo("alluxio-job-master");
        assertThat(jobMaster.getArgs()).containsExactly("job-master");
        assertThat(jobMaster.getPorts()).extracting(port -> port.getName() + "=" + port.getContainerPort())
                .containsExactly("job-rpc=20001", "job-web=20002", "job-journal=20003");
        for (Container container : List.of(master, jobMaster)) {
            assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath)
                    .containsExactly(
                            tuple("conf", "/opt/alluxio/conf"),
                            tuple("journal", "/journal"),
                            tuple("logs", "/opt/alluxio/logs"),
                            tuple("metastore", "/opt/alluxio/metastore"),
                            tuple("tmp", "/tmp"),
                            tuple("underfs", "/opt/alluxio/underFSStorage"));
        }
        assertThat(master.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("web"));
        assertThat(jobMaster.getReadinessProbe().getTcpSocket().getPort()).isEqualTo(new IntOrString("job-rpc"));
    }

    @Test
    void theImageIsTheSpecsOrTheDocumentedDefault() {
        // Given one spec without an image and one with
        HaPlan defaulted = plan(demo().build());
        HaPlan chosen = plan(demo().image("registry.example/alluxio:2.9.6-patched").build());

        // Then the first runs the default image and the second the chosen one
        assertThat(master(defaulted).getImage()).isEqualTo(AlluxioHighAvailabilityProvider.DEFAULT_IMAGE)
                .isEqualTo("alluxio/alluxio:2.9.6");
        assertThat(master(chosen).getImage()).isEqualTo("registry.example/alluxio:2.9.6-patched");
    }

    @Test
    void mastersAreSpreadOverNodesSoftly() {
        // Given a three-master runtime
        PodSpec pod = statefulSet(plan(demo().build())).getSpec().getTemplate().getSpec();

        // Then a preferred anti-affinity and a ScheduleAnyway spread both act on the node
        var preferred = pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .isNullOrEmpty();
        assertThat(preferred).singleElement().satisfies(term -> {
            assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                    .containsExactlyInAnyOrderEntriesOf(LABELS);
        });
        assertThat(pod.getTopologySpreadConstraints()).singleElement().satisfies(spread -> {
            assertThat(spread.getMaxSkew()).isEqualTo(1);
            assertThat(spread.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(spread.getLabelSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
        });
    }

    @Test
    void aPersistentJournalIsAClaimTemplateDeletedWithTheRuntimeAndKeptOnScaleDown() {
        // Given a persistent journal with its own class, size and access mode
        JournalStorage journal = JournalStorage.persistentVolume("50Gi").withStorageClass("fast-ssd")
                .withAccessModes(List.of("ReadWriteOncePod"));
        StatefulSet statefulSet = statefulSet(plan(demo().journal(journal).build()));

        // Then the StatefulSet has one claim template 'journal' and no journal volume of its own
        PersistentVolumeClaim template = statefulSet.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).hasSize(1);
        assertThat(template.getMetadata().getName()).isEqualTo("journal");
        assertThat(template.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
        assertThat(template.getMetadata().getAnnotations()).containsEntry(RuntimeLabels.DELETE_CLAIM, "true");
        assertThat(template.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(template.getSpec().getAccessModes()).containsExactly("ReadWriteOncePod");
        assertThat(template.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
                .isEqualTo("Delete");
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled())
                .isEqualTo("Retain");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
                .containsExactly("site-template", "conf", "logs", "metastore", "tmp", "underfs");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MEMORY", "DISK"})
    void anEmptyDirJournalIsAPodVolumeWithItsMediumAndLimitAndNoClaims(JournalStorage.EmptyDir.Medium medium) {
        // Given an emptyDir journal
        StatefulSet statefulSet = statefulSet(plan(demo().journal(new JournalStorage.EmptyDir(medium, "3Gi")).build()));

        // Then the pod has a 'journal' emptyDir with that medium and limit, and the set makes no claims
        Volume journal = statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals("journal")).findFirst().orElseThrow();
        assertThat(journal.getEmptyDir().getMedium()).isEqualTo(medium.kubernetesValue());
        assertThat(journal.getEmptyDir().getSizeLimit().toString()).isEqualTo("3Gi");
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).isNullOrEmpty();
        assertThat(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy()).isNull();
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {3, 5, 7})
    void theDisruptionBudgetKeepsAMajorityRunning(int replicas) {
        // Given a quorum of several masters
        PodDisruptionBudget budget = plan(demo().replicas(replicas).build())
                .object(PodDisruptionBudget.class).orElseThrow();

        // Then evictions stop before the majority is gone
        assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(replicas / 2 + 1));
        assertThat(budget.getSpec().getMaxUnavailable()).isNull();
        assertThat(budget.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
    }

    @Test
    void aSingleMasterHasNoDisruptionBudget() {
        // Given one master
        HaPlan plan = plan(demo().replicas(1).build());

        // Then there is no budget that would block every node drain
        assertThat(plan.object(PodDisruptionBudget.class)).isEmpty();
    }

    @Test
    void withRestrictionSwitchedOffThereIsNoNetworkPolicy() {
        // Given a spec that turns the journal restriction off
        HaPlan plan = plan(demo().restrictJournalTraffic(false).build());

        // Then the plan has no NetworkPolicy
        assertThat(plan.object(NetworkPolicy.class)).isEmpty();
    }

    @Test
    void aSpecThatSaysNothingRestrictsJournalTraffic() {
        // Given a spec that says nothing about the journal's traffic
        HaPlan plan = plan(demo().build());

        // Then the raft ports are closed to everything but this runtime's masters
        assertThat(plan.object(NetworkPolicy.class)).isPresent();
    }

    @Test
    void theNetworkPolicyOpensJournalPortsToMastersAndClientPortsToTheNamespaceAndClientsOnly() {
        // Given a restricted journal with moved journal ports and one client namespace
        NetworkPolicy policy = plan(demo().restrictJournalTraffic(true).client(ClientSelector.namespace("spark"))
                .port(AlluxioPorts.JOURNAL, 29200).port(AlluxioPorts.JOB_JOURNAL, 30003).build())
                .object(NetworkPolicy.class).orElseThrow();

        // Then it guards the masters' ingress: journal ports from masters, rpc, web and job ports from this
        // namespace and the client namespace, never from anyone
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(LABELS);
            assertThat(peer.getNamespaceSelector()).isNull();
            assertThat(peer.getIpBlock()).isNull();
        });
        assertThat(rules.get(0).getPorts()).extracting(NetworkPolicyPort::getPort)
                .containsExactly(new IntOrString(29200), new IntOrString(30003));
        assertThat(rules.get(1).getFrom()).hasSize(2).satisfiesExactly(
                thisNamespace -> {
                    assertThat(thisNamespace.getNamespaceSelector()).isNull();
                    assertThat(thisNamespace.getPodSelector().getMatchLabels()).isEmpty();
                },
                spark -> assertThat(spark.getNamespaceSelector().getMatchLabels())
                        .containsExactly(Map.entry("kubernetes.io/metadata.name", "spark")));
        assertThat(rules.get(1).getPorts()).extracting(NetworkPolicyPort::getPort)
                .containsExactly(new IntOrString(19998), new IntOrString(19999), new IntOrString(20001),
                        new IntOrString(20002));
    }

    @Test
    void aChangedConfigurationChangesThePodTemplateDigest() {
        // Given two specs whose addresses differ
        String three = statefulSet(plan(demo().replicas(3).build())).getSpec().getTemplate().getMetadata()
                .getAnnotations().get("cache-ha.dev/alluxio-site-sha256");
        String five = statefulSet(plan(demo().replicas(5).build())).getSpec().getTemplate().getMetadata()
                .getAnnotations().get("cache-ha.dev/alluxio-site-sha256");

        // Then the pod templates differ, so the StatefulSet reports which pods run the old configuration
        assertThat(three).hasSize(64).isNotEqualTo(five);
    }
}
