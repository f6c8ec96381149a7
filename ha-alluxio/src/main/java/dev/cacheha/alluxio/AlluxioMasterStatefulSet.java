package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicyBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 *
 * <p>Objects that hold other objects are assembled with the model's setters rather than fabric8 builders: a
 * builder deep-copies every built object it is given, and copies it again when it builds, which made most of
 * the plan's cost. Builders remain where they are given only plain values.
 */
final class AlluxioMasterStatefulSet {

    /** Alluxio's configuration directory in the {@code alluxio/alluxio} image. */
    static final String CONF_DIR = "/opt/alluxio/conf";

    /**
     * Pod-template annotation holding the SHA-256 of the configuration the pods were created with: the site file
     * and which Secret key each secret property comes from, never a secret value.
     */
    static final String SITE_FILE_DIGEST = "cache-ha.dev/alluxio-site-sha256";

    private static final String NODE = "kubernetes.io/hostname";
    private static final String POD_NAME = "POD_NAME";

    private final HaSpec spec;
    private final AlluxioNames names;
    private final AlluxioPorts ports;
    private final AlluxioMasterPod pod;

    private AlluxioMasterStatefulSet(HaSpec spec, AlluxioNames names, AlluxioPorts ports) {
        this.spec = spec;
        this.names = names;
        this.ports = ports;
        this.pod = new AlluxioMasterPod(spec, names);
    }

    /** The StatefulSet of {@code spec}'s masters, whose pods read {@code siteFile} from the plan's ConfigMap. */
    static StatefulSet of(HaSpec spec, AlluxioNames names, AlluxioPorts ports, String siteFile) {
        return new AlluxioMasterStatefulSet(spec, names, ports).statefulSet(siteFile);
    }

    private StatefulSet statefulSet(String siteFile) {
        StatefulSetSpec statefulSetSpec = new StatefulSetSpec();
        statefulSetSpec.setServiceName(names.service());
        statefulSetSpec.setPodManagementPolicy("Parallel");
        statefulSetSpec.setReplicas(spec.replicas());
        statefulSetSpec.setSelector(names.selector());
        statefulSetSpec.setUpdateStrategy(new StatefulSetUpdateStrategyBuilder().withType("OnDelete").build());
        statefulSetSpec.setTemplate(podTemplate(siteFile));
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            // Deleting the runtime deletes the journals; shrinking keeps them, so that a mistaken scale-down
            // can be undone without losing a member's log (cleanup still finds them, see AlluxioJournalClaims).
            statefulSetSpec.getVolumeClaimTemplates()
                    .add(volume.claimTemplate(AlluxioNames.JOURNAL_VOLUME, names.labels()));
            statefulSetSpec.setPersistentVolumeClaimRetentionPolicy(
                    new StatefulSetPersistentVolumeClaimRetentionPolicyBuilder()
                            .withWhenDeleted("Delete")
                            .withWhenScaled("Retain")
                            .build());
        }
        StatefulSet statefulSet = new StatefulSet();
        statefulSet.setMetadata(names.metadata(names.statefulSet()));
        statefulSet.setSpec(statefulSetSpec);
        return statefulSet;
    }

    private PodTemplateSpec podTemplate(String siteFile) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.getLabels().putAll(names.labels());
        metadata.getAnnotations().put(SITE_FILE_DIGEST, pod.configurationDigest(siteFile));
        PodSpec podSpec = new PodSpec();
        podSpec.setAffinity(spreadOverNodes());
        podSpec.getTopologySpreadConstraints().add(evenlyOverNodes());
        podSpec.getContainers().addAll(containers());
        podSpec.getVolumes().addAll(volumes());
        // Restricted security, the site-file init step and the writable directories: see AlluxioMasterPod.
        pod.secure(podSpec);
        PodTemplateSpec template = new PodTemplateSpec();
        template.setMetadata(metadata);
        template.setSpec(podSpec);
        return template;
    }

    /**
     * The master and the job master run as two containers rather than as the image's combined {@code master}
     * command: that command starts both in the background and waits for both, so a master that exits would
     * leave a running container that Kubernetes never restarts. With one process per container, a master that
     * exits ends its container, and the kubelet restarts it.
     */
    private List<Container> containers() {
        return List.of(
                container(AlluxioNames.CONTAINER, AlluxioMasterPod.MASTER, List.of("master-only", "--no-format"),
                        List.of(AlluxioPorts.RPC, AlluxioPorts.WEB, AlluxioPorts.JOURNAL),
                        "ALLUXIO_MASTER_JAVA_OPTS", AlluxioProperties.MASTER_HOSTNAME),
                container(AlluxioNames.JOB_CONTAINER, AlluxioMasterPod.JOB_MASTER, List.of("job-master"),
                        List.of(AlluxioPorts.JOB_RPC, AlluxioPorts.JOB_WEB, AlluxioPorts.JOB_JOURNAL),
                        "ALLUXIO_JOB_MASTER_JAVA_OPTS", AlluxioProperties.JOB_MASTER_HOSTNAME));
    }

    // An empty embedded journal initialises itself, so no format step runs (it would wipe a restarted
    // member's journal). Readiness only gates Service endpoints and the disruption budget: the headless
    // Service publishes not-ready pods and the pods start in parallel, so raft peers find each other before
    // any is Ready.
    private Container container(String name, String process, List<String> args, List<String> portNames,
            String javaOptsVariable, String hostnameKey) {
        Container container = new Container();
        container.setName(name);
        container.setImage(spec.image().orElse(AlluxioHighAvailabilityProvider.DEFAULT_IMAGE));
        container.getArgs().addAll(args);
        container.getPorts().addAll(containerPorts(portNames));
        container.getEnv().addAll(ownHostname(javaOptsVariable, hostnameKey));
        container.getVolumeMounts().addAll(volumeMounts());
        // Resources, heap, probes, conf dir and writable directories: see AlluxioMasterPod.
        pod.fit(container, process, javaOptsVariable);
        return container;
    }

    private List<ContainerPort> containerPorts(List<String> portNames) {
        Map<String, Integer> numbers = ports.byName();
        return portNames.stream()
                .map(portName -> new ContainerPortBuilder()
                        .withName(portName)
                        .withContainerPort(numbers.get(portName))
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
        EnvVarSource podName = new EnvVarSource();
        podName.setFieldRef(new ObjectFieldSelectorBuilder().withFieldPath("metadata.name").build());
        EnvVar podNameVariable = new EnvVar();
        podNameVariable.setName(POD_NAME);
        podNameVariable.setValueFrom(podName);
        return List.of(
                podNameVariable,
                new EnvVarBuilder().withName(javaOptsVariable)
                        .withValue("-D" + hostnameKey + "=$(" + POD_NAME + ")." + names.podDomain())
                        .build());
    }

    private List<VolumeMount> volumeMounts() {
        // The conf dir, with the site file, is mounted by AlluxioMasterPod: it is assembled by an init step.
        return List.of(
                new VolumeMountBuilder().withName(AlluxioNames.JOURNAL_VOLUME)
                        .withMountPath(AlluxioProperties.JOURNAL_FOLDER)
                        .build());
    }

    private List<Volume> volumes() {
        List<Volume> volumes = new ArrayList<>();
        if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            Volume journal = new Volume();
            journal.setName(AlluxioNames.JOURNAL_VOLUME);
            EmptyDirVolumeSource inMemory = new EmptyDirVolumeSource();
            inMemory.setMedium(emptyDir.medium().kubernetesValue());
            inMemory.setSizeLimit(new Quantity(emptyDir.sizeLimit()));
            journal.setEmptyDir(inMemory);
            volumes.add(journal);
        }
        return volumes;
    }

    private Affinity spreadOverNodes() {
        PodAffinityTerm otherMasters = new PodAffinityTerm();
        otherMasters.setLabelSelector(names.selector());
        otherMasters.setTopologyKey(NODE);
        PodAntiAffinity antiAffinity = new PodAntiAffinity();
        WeightedPodAffinityTerm preferred = new WeightedPodAffinityTerm();
        preferred.setWeight(100);
        preferred.setPodAffinityTerm(otherMasters);
        antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution().add(preferred);
        Affinity affinity = new Affinity();
        affinity.setPodAntiAffinity(antiAffinity);
        return affinity;
    }

    private TopologySpreadConstraint evenlyOverNodes() {
        TopologySpreadConstraint constraint = new TopologySpreadConstraint();
        constraint.setMaxSkew(1);
        constraint.setTopologyKey(NODE);
        constraint.setWhenUnsatisfiable("ScheduleAnyway");
        constraint.setLabelSelector(names.selector());
        return constraint;
    }
}
