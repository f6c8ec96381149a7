package dev.cacheha.toolkit;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;

/**
 * The StatefulSet of a quorum's masters: one pod per raft member, each with a stable DNS name, the shared
 * properties file and its own journal volume.
 *
 * <p>Choices that matter for a raft quorum:
 * <ul>
 *   <li>{@code podManagementPolicy: Parallel}: with {@code OrderedReady}, pod 0 waits to be Ready before
 *       pod 1 starts, but it cannot serve before a majority runs, so the quorum never forms.</li>
 *   <li>{@code updateStrategy: OnDelete}: a configuration change (new addresses after a replica change) must
 *       restart members one at a time with the leader last; the StatefulSet's own rolling update restarts by
 *       descending ordinal, which may restart the leader first and again. The pod template carries a digest of
 *       the properties file, so the StatefulSet's status shows which pods still run an older configuration.</li>
 *   <li>Masters are spread over nodes by a preferred anti-affinity and a topology spread, both soft: a small
 *       cluster still schedules every master, a large one never places a majority on one node when it can
 *       avoid it.</li>
 *   <li>Journal claims are deleted with the StatefulSet and kept on a scale-down, so that a mistaken scale-down
 *       can be undone without losing a member's log; the claim template's
 *       {@link dev.cacheha.spi.RuntimeLabels#DELETE_CLAIM} annotation says the same on every claim.</li>
 * </ul>
 */
final class MasterStatefulSet {

    /** The pod volume that holds the properties file. */
    static final String PROPERTIES_VOLUME = "site-properties";

    private static final String NODE = "kubernetes.io/hostname";

    private final QuorumObjects.Builder facts;
    private final HaSpec spec;
    private final QuorumNames names;

    private MasterStatefulSet(QuorumObjects.Builder facts) {
        this.facts = facts;
        this.spec = facts.names.spec();
        this.names = facts.names;
    }

    static StatefulSet of(QuorumObjects.Builder facts) {
        return new MasterStatefulSet(facts).statefulSet();
    }

    /**
     * The pod-template annotation holding the SHA-256 of the properties file {@code fileName}:
     * {@code cache-ha.dev/<file name without extension>-sha256}.
     */
    static String digestAnnotation(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return "cache-ha.dev/" + (dot > 0 ? fileName.substring(0, dot) : fileName) + "-sha256";
    }

    private StatefulSet statefulSet() {
        StatefulSetSpec statefulSetSpec = new StatefulSetSpec();
        statefulSetSpec.setServiceName(names.service());
        statefulSetSpec.setPodManagementPolicy("Parallel");
        statefulSetSpec.setReplicas(spec.replicas());
        statefulSetSpec.setSelector(names.selector());
        StatefulSetUpdateStrategy onDelete = new StatefulSetUpdateStrategy();
        onDelete.setType("OnDelete");
        statefulSetSpec.setUpdateStrategy(onDelete);
        statefulSetSpec.setTemplate(podTemplate());
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            statefulSetSpec.getVolumeClaimTemplates().add(volume.claimTemplate(facts.journalVolume, names.labels()));
            StatefulSetPersistentVolumeClaimRetentionPolicy retention =
                    new StatefulSetPersistentVolumeClaimRetentionPolicy();
            retention.setWhenDeleted("Delete");
            retention.setWhenScaled("Retain");
            statefulSetSpec.setPersistentVolumeClaimRetentionPolicy(retention);
        }
        StatefulSet statefulSet = new StatefulSet();
        statefulSet.setMetadata(names.metadata(names.statefulSet()));
        statefulSet.setSpec(statefulSetSpec);
        return statefulSet;
    }

    private PodTemplateSpec podTemplate() {
        ObjectMeta metadata = new ObjectMeta();
        metadata.getLabels().putAll(names.labels());
        // Secret references, never values: a new reference shows as a new revision.
        metadata.getAnnotations().put(digestAnnotation(facts.propertiesFileName),
                SiteFileAssembly.digest(facts.propertiesText, spec.secretProperties()));
        PodSpec podSpec = new PodSpec();
        podSpec.setAffinity(spreadOverNodes());
        podSpec.getTopologySpreadConstraints().add(evenlyOverNodes());
        podSpec.setSecurityContext(facts.podSecurityContext);
        if (facts.assemblyResources != null) {
            podSpec.getInitContainers().add(assembly().initContainer(spec.secretProperties()));
        }
        facts.containers.forEach(container -> podSpec.getContainers().add(container(container)));
        if (facts.assemblyResources != null) {
            podSpec.getVolumes().addAll(assembly().volumes());
        } else {
            podSpec.getVolumes().add(propertiesVolume());
        }
        if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            podSpec.getVolumes().add(emptyDirJournal(emptyDir));
        }
        facts.writableDirectories.forEach(directory -> podSpec.getVolumes().add(directory.toVolume()));
        podSpec.getVolumes().addAll(facts.podVolumes);
        if (facts.restrictedSecurity != null) {
            facts.restrictedSecurity.applyTo(podSpec);
        }
        PodTemplateSpec template = new PodTemplateSpec();
        template.setMetadata(metadata);
        template.setSpec(podSpec);
        return template;
    }

    private Container container(MasterContainer facts) {
        Container container = new Container();
        container.setName(facts.name());
        container.setImage(spec.image().orElse(this.facts.defaultImage));
        container.getCommand().addAll(facts.command());
        container.getArgs().addAll(facts.args());
        facts.portNames().forEach(portName -> {
            ContainerPort port = new ContainerPort();
            port.setName(portName);
            port.setContainerPort(this.facts.ports.get(portName));
            port.setProtocol(QuorumObjects.TCP);
            container.getPorts().add(port);
        });
        container.getEnv().addAll(facts.env());
        if (this.facts.assemblyResources != null) {
            container.getVolumeMounts().add(assembly().confMount());
        } else {
            // Only the one file, via subPath: the rest of the directory stays the image's, and writable.
            container.getVolumeMounts().add(mount(PROPERTIES_VOLUME,
                    this.facts.propertiesDirectory + "/" + this.facts.propertiesFileName,
                    this.facts.propertiesFileName, true));
        }
        container.getVolumeMounts().add(mount(this.facts.journalVolume, this.facts.journalMountPath, null, null));
        this.facts.writableDirectories.forEach(directory -> container.getVolumeMounts().add(directory.toMount()));
        container.getVolumeMounts().addAll(facts.volumeMounts());
        facts.readinessProbe().ifPresent(container::setReadinessProbe);
        facts.livenessProbe().ifPresent(container::setLivenessProbe);
        facts.startupProbe().ifPresent(container::setStartupProbe);
        facts.securityContext().ifPresent(container::setSecurityContext);
        facts.resources().ifPresent(container::setResources);
        return container;
    }

    private static VolumeMount mount(String volume, String path, String subPath, Boolean readOnly) {
        VolumeMount mount = new VolumeMount();
        mount.setName(volume);
        mount.setMountPath(path);
        mount.setSubPath(subPath);
        mount.setReadOnly(readOnly);
        return mount;
    }

    private SiteFileAssembly assembly() {
        return new SiteFileAssembly(spec.image().orElse(facts.defaultImage), names.configMap(),
                facts.propertiesFileName, facts.propertiesDirectory, facts.assemblyResources);
    }

    private Volume propertiesVolume() {
        KeyToPath file = new KeyToPath();
        file.setKey(facts.propertiesFileName);
        file.setPath(facts.propertiesFileName);
        ConfigMapVolumeSource source = new ConfigMapVolumeSource();
        source.setName(names.configMap());
        source.getItems().add(file);
        Volume volume = new Volume();
        volume.setName(PROPERTIES_VOLUME);
        volume.setConfigMap(source);
        return volume;
    }

    private Volume emptyDirJournal(JournalStorage.EmptyDir emptyDir) {
        EmptyDirVolumeSource source = new EmptyDirVolumeSource();
        source.setMedium(emptyDir.medium().kubernetesValue());
        source.setSizeLimit(new Quantity(emptyDir.sizeLimit()));
        Volume journal = new Volume();
        journal.setName(facts.journalVolume);
        journal.setEmptyDir(source);
        return journal;
    }

    private Affinity spreadOverNodes() {
        PodAffinityTerm otherMasters = new PodAffinityTerm();
        otherMasters.setLabelSelector(names.selector());
        otherMasters.setTopologyKey(NODE);
        WeightedPodAffinityTerm preferred = new WeightedPodAffinityTerm();
        preferred.setWeight(100);
        preferred.setPodAffinityTerm(otherMasters);
        PodAntiAffinity antiAffinity = new PodAntiAffinity();
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
