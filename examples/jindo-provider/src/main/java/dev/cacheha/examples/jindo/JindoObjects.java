package dev.cacheha.examples.jindo;

import static dev.cacheha.examples.jindo.JindoMasters.JOURNAL_VOLUME;
import static dev.cacheha.examples.jindo.JindoMasters.RAFT;
import static dev.cacheha.examples.jindo.JindoMasters.RPC;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;

/** The Kubernetes objects of a Jindo master quorum, built with fabric8 builders, in the order to apply them. */
final class JindoObjects {

    /**
     * The image when the spec names none: the one Fluid's JindoCache runtime uses by default. Controllers
     * normally choose the image themselves.
     */
    static final String DEFAULT_IMAGE = "registry.cn-shanghai.aliyuncs.com/jindofs/smartdata:6.2.0";

    private static final String HOSTNAME_TOPOLOGY = "kubernetes.io/hostname";

    private JindoObjects() {}

    static List<HasMetadata> of(JindoMasters masters) {
        HaSpec spec = masters.spec();
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(service(masters));
        objects.add(statefulSet(masters));
        if (spec.replicas() > 1) {
            objects.add(disruptionBudget(masters));
        }
        if (spec.restrictJournalTraffic()) {
            objects.add(networkPolicy(masters));
        }
        return objects;
    }

    private static ObjectMeta metadata(JindoMasters masters) {
        return new ObjectMetaBuilder()
                .withName(masters.statefulSet())
                .withNamespace(masters.spec().namespace())
                .withLabels(masters.labels())
                .build();
    }

    private static LabelSelector masterPods(JindoMasters masters) {
        return new LabelSelectorBuilder().withMatchLabels(masters.labels()).build();
    }

    /** Peers find each other by DNS before they are ready (raft needs a quorum to become ready at all). */
    private static Service service(JindoMasters masters) {
        return new ServiceBuilder()
                .withMetadata(metadata(masters))
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(masters.labels())
                .addNewPort().withName(RPC).withPort(masters.rpcPort()).withNewTargetPort(RPC).endPort()
                .addNewPort().withName(RAFT).withPort(masters.raftPort()).withNewTargetPort(RAFT).endPort()
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet(JindoMasters masters) {
        HaSpec spec = masters.spec();
        List<PersistentVolumeClaim> claimTemplates = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            claimTemplates.add(volume.claimTemplate(JOURNAL_VOLUME, masters.labels()));
        } else if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            volumes.add(new VolumeBuilder()
                    .withName(JOURNAL_VOLUME)
                    .withNewEmptyDir()
                    .withMedium(emptyDir.medium().kubernetesValue())
                    .withSizeLimit(new Quantity(emptyDir.sizeLimit()))
                    .endEmptyDir()
                    .build());
        }
        StatefulSet statefulSet = new StatefulSetBuilder()
                .withMetadata(metadata(masters))
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withServiceName(masters.statefulSet())
                // Raft peers must all start to elect a leader; ordered start would wait on readiness forever.
                .withPodManagementPolicy("Parallel")
                .withSelector(masterPods(masters))
                .withNewPersistentVolumeClaimRetentionPolicy()
                .withWhenDeleted("Delete")
                .withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withNewTemplate()
                .withNewMetadata().withLabels(masters.labels()).endMetadata()
                .withNewSpec()
                .withNewAffinity().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey(HOSTNAME_TOPOLOGY)
                .withLabelSelector(masterPods(masters))
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity()
                .addNewContainer()
                .withName(JindoMasters.CONTAINER)
                .withImage(spec.image().orElse(DEFAULT_IMAGE))
                .withPorts(containerPort(RPC, masters.rpcPort()), containerPort(RAFT, masters.raftPort()))
                .addNewVolumeMount().withName(JOURNAL_VOLUME).withMountPath(JindoMasters.JOURNAL_MOUNT).endVolumeMount()
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claimTemplates)
                .endSpec()
                .build();
        // Restricted security, resources and probes: see JindoMasterPod.
        JindoMasterPod.fit(statefulSet.getSpec().getTemplate().getSpec(), spec);
        return statefulSet;
    }

    private static ContainerPort containerPort(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).build();
    }

    /** Losing more than a minority stops writes, so voluntary evictions must leave a majority running. */
    private static PodDisruptionBudget disruptionBudget(JindoMasters masters) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(metadata(masters))
                .withNewSpec()
                .withMinAvailable(new IntOrString(masters.spec().replicas() / 2 + 1))
                .withSelector(masterPods(masters))
                .endSpec()
                .build();
    }

    /** Raft traffic from masters only; clients still reach the RPC port. */
    private static NetworkPolicy networkPolicy(JindoMasters masters) {
        return new NetworkPolicyBuilder()
                .withMetadata(metadata(masters))
                .withNewSpec()
                .withPodSelector(masterPods(masters))
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withPodSelector(masterPods(masters)).endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(masters.raftPort())).endPort()
                .endIngress()
                .addNewIngress()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(masters.rpcPort())).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
