package dev.cacheha.alluxio;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.hash.Hashing;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The StatefulSet of the Alluxio masters: one pod per raft member, each with a stable DNS name, the shared
 * {@value AlluxioProperties#SITE_FILE}, its own hostname and its own journal volume.
 *
 * <p>Choices that matter for a raft quorum:
 * <ul>
 *   <li>{@code podManagementPolicy: Parallel}: with {@code OrderedReady}, pod 0 waits to be Ready before
 *       pod 1 starts, but it cannot serve before a majority runs, so the quorum never forms.</li>
 *   <li>{@code updateStrategy: OnDelete}: a configuration change (new addresses after a replica change) must
 *       restart members one at a time with the leader last (see {@code RollMembers} in the replica change
 *       plan); the StatefulSet's own rolling update restarts by descending ordinal, which may restart the
 *       leader first and again. The pod template carries a digest of the properties, so the StatefulSet's
 *       status shows which pods still run an older configuration.</li>
 *   <li>Masters are spread over nodes by a preferred anti-affinity and a topology spread, both soft: a small
 *       cluster still schedules every master, a large one never places a majority on one node when it can
 *       avoid it.</li>
 * </ul>
 */
final class AlluxioMasterStatefulSet {

    /** Alluxio's configuration directory in the {@code alluxio/alluxio} image. */
    static final String CONF_DIR = "/opt/alluxio/conf";

    /** Pod-template annotation holding the SHA-256 of the site file the pods were created with. */
    static final String SITE_FILE_DIGEST = "cache-ha.dev/alluxio-site-sha256";

    private static final String CONFIG_VOLUME = "site-properties";
    private static final String NODE = "kubernetes.io/hostname";
    private static final String POD_NAME = "POD_NAME";
    /** The {@code alluxio/alluxio} image runs as uid and gid 1000, and a fresh claim's root belongs to root. */
    private static final long ALLUXIO_GROUP = 1000L;

    private final HaSpec spec;
    private final AlluxioNames names;
    private final AlluxioPorts ports;

    private AlluxioMasterStatefulSet(HaSpec spec, AlluxioNames names, AlluxioPorts ports) {
        this.spec = spec;
        this.names = names;
        this.ports = ports;
    }

    /** The StatefulSet of {@code spec}'s masters, whose pods read {@code siteFile} from the plan's ConfigMap. */
    static StatefulSet of(HaSpec spec, AlluxioNames names, AlluxioPorts ports, String siteFile) {
        return new AlluxioMasterStatefulSet(spec, names, ports).statefulSet(siteFile);
    }

    private StatefulSet statefulSet(String siteFile) {
        StatefulSetSpecBuilder statefulSetSpec = new StatefulSetSpecBuilder()
                .withServiceName(names.service())
                .withPodManagementPolicy("Parallel")
                .withReplicas(spec.replicas())
                .withNewSelector().withMatchLabels(names.labels()).endSelector()
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withTemplate(podTemplate(siteFile));
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            // Deleting the runtime deletes the journals; shrinking keeps them, so that a mistaken scale-down
            // can be undone without losing a member's log (cleanup still finds them, see AlluxioJournalClaims).
            statefulSetSpec.withVolumeClaimTemplates(volume.claimTemplate(AlluxioNames.JOURNAL_VOLUME, names.labels()))
                    .withNewPersistentVolumeClaimRetentionPolicy()
                    .withWhenDeleted("Delete")
                    .withWhenScaled("Retain")
                    .endPersistentVolumeClaimRetentionPolicy();
        }
        return new StatefulSetBuilder()
                .withMetadata(names.metadata(names.statefulSet()))
                .withSpec(statefulSetSpec.build())
                .build();
    }

    private PodTemplateSpec podTemplate(String siteFile) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(names.labels())
                .addToAnnotations(SITE_FILE_DIGEST, Hashing.sha256().hashString(siteFile, UTF_8).toString())
                .endMetadata()
                .withNewSpec()
                .withAffinity(spreadOverNodes())
                .withTopologySpreadConstraints(evenlyOverNodes())
                .withNewSecurityContext().withFsGroup(ALLUXIO_GROUP).endSecurityContext()
                .withContainers(containers())
                .withVolumes(volumes())
                .endSpec()
                .build();
    }

    /**
     * The master and the job master run as two containers rather than as the image's combined {@code master}
     * command: that command starts both in the background and waits for both, so a master that exits would
     * leave a running container that Kubernetes never restarts. With one process per container, a master that
     * exits ends its container, and the kubelet restarts it.
     */
    private List<Container> containers() {
        return List.of(
                container(AlluxioNames.CONTAINER, List.of("master-only", "--no-format"),
                        List.of(AlluxioPorts.RPC, AlluxioPorts.WEB, AlluxioPorts.JOURNAL),
                        "ALLUXIO_MASTER_JAVA_OPTS", AlluxioProperties.MASTER_HOSTNAME),
                container(AlluxioNames.JOB_CONTAINER, List.of("job-master"),
                        List.of(AlluxioPorts.JOB_RPC, AlluxioPorts.JOB_WEB, AlluxioPorts.JOB_JOURNAL),
                        "ALLUXIO_JOB_MASTER_JAVA_OPTS", AlluxioProperties.JOB_MASTER_HOSTNAME));
    }

    // An empty embedded journal initialises itself, so no format step runs (it would wipe a restarted
    // member's journal). Readiness only gates Service endpoints and the disruption budget: the headless
    // Service publishes not-ready pods and the pods start in parallel, so raft peers find each other before
    // any is Ready. An open rpc port means the process is up, leader or standby.
    private Container container(String name, List<String> args, List<String> portNames, String javaOptsVariable,
            String hostnameKey) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(spec.image().orElse(AlluxioHighAvailabilityProvider.DEFAULT_IMAGE))
                .withArgs(args)
                .withPorts(containerPorts(portNames))
                .withEnv(ownHostname(javaOptsVariable, hostnameKey))
                .withVolumeMounts(volumeMounts())
                .withNewReadinessProbe()
                .withNewTcpSocket().withPort(new IntOrString(portNames.get(0))).endTcpSocket()
                .withPeriodSeconds(10)
                .endReadinessProbe()
                .build();
    }

    private List<ContainerPort> containerPorts(List<String> portNames) {
        return portNames.stream()
                .map(portName -> new ContainerPortBuilder()
                        .withName(portName)
                        .withContainerPort(ports.byName().get(portName))
                        .withProtocol("TCP")
                        .build())
                .toList();
    }

    /**
     * Each master must announce its own pod's DNS name, the one the shared address lists use, so that it
     * recognises itself among the journal members. Kubernetes expands {@code $(POD_NAME)} in later variables;
     * the image's entrypoint hands the variable to the JVM of its container.
     */
    private List<EnvVar> ownHostname(String javaOptsVariable, String hostnameKey) {
        return List.of(
                new EnvVarBuilder().withName(POD_NAME)
                        .withNewValueFrom()
                        .withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                        .endValueFrom()
                        .build(),
                new EnvVarBuilder().withName(javaOptsVariable)
                        .withValue("-D" + hostnameKey + "=$(" + POD_NAME + ")." + names.podDomain())
                        .build());
    }

    private List<VolumeMount> volumeMounts() {
        return List.of(
                // Only the one file, via subPath: the rest of the conf dir stays writable for the entrypoint,
                // which writes alluxio-env.sh there.
                new VolumeMountBuilder().withName(CONFIG_VOLUME)
                        .withMountPath(CONF_DIR + "/" + AlluxioProperties.SITE_FILE)
                        .withSubPath(AlluxioProperties.SITE_FILE)
                        .withReadOnly(true)
                        .build(),
                new VolumeMountBuilder().withName(AlluxioNames.JOURNAL_VOLUME)
                        .withMountPath(AlluxioProperties.JOURNAL_FOLDER)
                        .build());
    }

    private List<Volume> volumes() {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(CONFIG_VOLUME)
                .withNewConfigMap()
                .withName(names.configMap())
                .addNewItem().withKey(AlluxioProperties.SITE_FILE).withPath(AlluxioProperties.SITE_FILE).endItem()
                .endConfigMap()
                .build());
        if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            volumes.add(new VolumeBuilder().withName(AlluxioNames.JOURNAL_VOLUME)
                    .withNewEmptyDir()
                    .withMedium(emptyDir.medium().kubernetesValue())
                    .withSizeLimit(new Quantity(emptyDir.sizeLimit()))
                    .endEmptyDir()
                    .build());
        }
        return volumes;
    }

    private Affinity spreadOverNodes() {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withNewLabelSelector().withMatchLabels(names.labels()).endLabelSelector()
                .withTopologyKey(NODE)
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    private TopologySpreadConstraint evenlyOverNodes() {
        return new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(NODE)
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(names.labels()).endLabelSelector()
                .build();
    }
}
