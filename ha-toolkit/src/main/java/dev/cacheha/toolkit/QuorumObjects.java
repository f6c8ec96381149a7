package dev.cacheha.toolkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import dev.cacheha.toolkit.pod.WritableDirectory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes objects of a raft quorum of masters, from the engine's facts. In the order they can be applied
 * front to back: the properties ConfigMap and the headless Service exist before any pod needs them, the
 * NetworkPolicy (when the spec restricts traffic) before any pod can receive traffic, then the
 * StatefulSet ({@link MasterStatefulSet}), and last the PodDisruptionBudget that protects its pods.
 *
 * <pre>{@code
 * List<HasMetadata> objects = QuorumObjects.builder(names, ports)      // ports by name, in plan order
 *         .defaultImage("vendor/engine:1.0")
 *         .propertiesFile("engine.properties", "/etc/engine", properties)
 *         .journal("journal", "/journal")
 *         .journalPorts("raft")
 *         .container(MasterContainer.named("engine-master").args("master").ports("rpc", "raft")
 *                 .readinessProbe(MasterContainer.portOpen("rpc")).build())
 *         .build();
 * }</pre>
 *
 * <p>Assembled with the model's setters rather than fabric8 builders: a builder deep-copies every built object
 * handed to it, which made most of a plan's cost.
 */
public final class QuorumObjects {

    static final String TCP = "TCP";

    private QuorumObjects() {}

    /**
     * A builder for the objects of {@code names}' quorum, whose masters have {@code ports}: every port by its
     * spec name, resolved against the spec (see {@link dev.cacheha.spi.EngineRules#ports(HaSpec)}), in the
     * order the Service and containers list them.
     */
    public static Builder builder(QuorumNames names, Map<String, Integer> ports) {
        return new Builder(names, ports);
    }

    /** Builds the objects; every engine fact is required unless its method says otherwise. Not thread-safe. */
    public static final class Builder {
        final QuorumNames names;
        final Map<String, Integer> ports;
        String defaultImage;
        String propertiesFileName;
        String propertiesDirectory;
        String propertiesText;
        String journalVolume;
        String journalMountPath;
        final Set<String> journalPorts = new LinkedHashSet<>();
        PodSecurityContext podSecurityContext;
        RestrictedPodSecurity restrictedSecurity;
        ProcessResources assemblyResources;
        final List<MasterContainer> containers = new ArrayList<>();
        final List<Volume> podVolumes = new ArrayList<>();
        final List<WritableDirectory> writableDirectories = new ArrayList<>();

        private Builder(QuorumNames names, Map<String, Integer> ports) {
            this.names = requireNonNull(names, "names");
            this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        }

        /** The image of every master container when the spec names none. */
        public Builder defaultImage(String image) {
            this.defaultImage = requireNonNull(image, "image");
            return this;
        }

        /**
         * Delivers {@code properties} to every master container: rendered with {@link HaPlan#propertiesFile(Map)}
         * into the ConfigMap {@link QuorumNames#configMap()} under {@code fileName}, mounted as the single file
         * {@code directory/fileName} (the rest of the directory stays the image's), and digested into a pod
         * template annotation so a changed file shows as a new revision.
         */
        public Builder propertiesFile(String fileName, String directory, Map<String, String> properties) {
            this.propertiesFileName = requireNonNull(fileName, "fileName");
            this.propertiesDirectory = requireNonNull(directory, "directory");
            this.propertiesText = HaPlan.propertiesFile(properties);
            return this;
        }

        /**
         * Delivers the properties file through {@link SiteFileAssembly} instead of a single-file mount: an init
         * step, running with {@code initStepResources}, assembles the image's properties directory, the
         * ConfigMap's file and the spec's {@linkplain HaSpec#secretProperties() secret properties} into an
         * in-memory {@code emptyDir} that every master container mounts as that directory. The only way this
         * toolkit delivers secret properties; the digest then covers which Secret key each comes from, never a
         * value. Needs {@code sh}, {@code od} and {@code awk} in the engine's image.
         */
        public Builder assembledPropertiesFile(ProcessResources initStepResources) {
            this.assemblyResources = requireNonNull(initStepResources, "initStepResources");
            return this;
        }

        /** The journal volume's (and claim template's) name, and where every master container mounts it. */
        public Builder journal(String volumeName, String mountPath) {
            this.journalVolume = requireNonNull(volumeName, "volumeName");
            this.journalMountPath = requireNonNull(mountPath, "mountPath");
            return this;
        }

        /**
         * The ports only masters may reach when the spec restricts traffic (raft ports); the others are open to
         * the namespace and the spec's clients.
         */
        public Builder journalPorts(String... portNames) {
            journalPorts.addAll(List.of(portNames));
            return this;
        }

        /** The pod's security context (such as the fsGroup that lets the engine write a fresh claim). Optional. */
        public Builder podSecurityContext(PodSecurityContext context) {
            this.podSecurityContext = context;
            return this;
        }

        /**
         * Pod Security "restricted" for the pod and every container, init containers included; replaces
         * {@link #podSecurityContext} and the containers' own security contexts. Optional.
         */
        public Builder restrictedSecurity(RestrictedPodSecurity security) {
            this.restrictedSecurity = requireNonNull(security, "security");
            return this;
        }

        /** A path every master container writes, on its own {@code emptyDir}. Optional. */
        public Builder writableDirectory(WritableDirectory directory) {
            writableDirectories.add(requireNonNull(directory, "directory"));
            return this;
        }

        /** A master container; a pod runs them in the order given. */
        public Builder container(MasterContainer container) {
            containers.add(requireNonNull(container, "container"));
            return this;
        }

        /** A pod volume beyond the properties file and the journal (for mounts of a container's own). Optional. */
        public Builder podVolume(Volume volume) {
            podVolumes.add(requireNonNull(volume, "volume"));
            return this;
        }

        /**
         * The objects, in apply order.
         *
         * @throws IllegalStateException if an engine fact is missing or names a port the quorum does not have
         */
        public List<HasMetadata> build() {
            check();
            HaSpec spec = names.spec();
            List<HasMetadata> objects = new ArrayList<>();
            objects.add(properties());
            objects.add(headlessService());
            if (spec.restrictJournalTraffic()) {
                objects.add(trafficOnlyFromMastersAndClients());
            }
            objects.add(MasterStatefulSet.of(this));
            if (spec.replicas() > 1) {
                objects.add(majorityBudget());
            }
            return objects;
        }

        private void check() {
            List<String> missing = new ArrayList<>();
            if (defaultImage == null) {
                missing.add("defaultImage");
            }
            if (propertiesText == null) {
                missing.add("propertiesFile");
            }
            if (journalVolume == null) {
                missing.add("journal");
            }
            if (journalPorts.isEmpty()) {
                missing.add("journalPorts");
            }
            if (containers.isEmpty()) {
                missing.add("container");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("the quorum's objects need " + missing);
            }
            if (assemblyResources == null && !names.spec().secretProperties().isEmpty()) {
                throw new IllegalStateException("secret properties reach the masters only through"
                        + " assembledPropertiesFile; a provider without it must refuse them in validate");
            }
            List<String> named = new ArrayList<>(journalPorts);
            containers.forEach(container -> named.addAll(container.portNames()));
            named.stream().filter(port -> !ports.containsKey(port)).findFirst().ifPresent(port -> {
                throw new IllegalStateException("port \"" + port + "\" is not one of the quorum's ports "
                        + ports.keySet());
            });
        }

        private ConfigMap properties() {
            ConfigMap configMap = new ConfigMap();
            configMap.setMetadata(names.metadata(names.configMap()));
            configMap.getData().put(propertiesFileName, propertiesText);
            return configMap;
        }

        /**
         * Gives every pod its stable DNS name. Not-ready pods are published because a master becomes ready only
         * once a quorum runs, and the quorum runs only once the masters resolve each other.
         */
        private Service headlessService() {
            ServiceSpec serviceSpec = new ServiceSpec();
            serviceSpec.setClusterIP("None");
            serviceSpec.setPublishNotReadyAddresses(true);
            serviceSpec.getSelector().putAll(names.labels());
            ports.forEach((name, number) -> {
                ServicePort port = new ServicePort();
                port.setName(name);
                port.setPort(number);
                port.setTargetPort(new IntOrString(name));
                port.setProtocol(TCP);
                serviceSpec.getPorts().add(port);
            });
            Service service = new Service();
            service.setMetadata(names.metadata(names.service()));
            service.setSpec(serviceSpec);
            return service;
        }

        /**
         * Lets at most a minority of masters be evicted at once, so that node drains never cost the quorum.
         * A single master has no quorum to keep; a budget there would only block every drain.
         */
        private PodDisruptionBudget majorityBudget() {
            PodDisruptionBudgetSpec budgetSpec = new PodDisruptionBudgetSpec();
            budgetSpec.setMinAvailable(new IntOrString(names.spec().replicas() / 2 + 1));
            budgetSpec.setSelector(names.selector());
            PodDisruptionBudget budget = new PodDisruptionBudget();
            budget.setMetadata(names.metadata(names.podDisruptionBudget()));
            budget.setSpec(budgetSpec);
            return budget;
        }

        /**
         * The journal ports accept only this runtime's masters: anything else that can write to them can vote or
         * append to the journal. Every other port (rpc, web, job ports) accepts the pods of this namespace and
         * of the spec's {@linkplain HaSpec#clients() clients}: with an engine's default authentication, whatever
         * reaches the rpc port can change the quorum's membership. Kubelet probes are not subject to it.
         */
        private NetworkPolicy trafficOnlyFromMastersAndClients() {
            NetworkPolicyPeer masters = new NetworkPolicyPeer();
            masters.setPodSelector(names.selector());
            NetworkPolicyIngressRule journalFromMasters = new NetworkPolicyIngressRule();
            journalFromMasters.getFrom().add(masters);
            NetworkPolicyIngressRule clientPortsFromClients = new NetworkPolicyIngressRule();
            NetworkPolicyPeer thisNamespace = new NetworkPolicyPeer();
            thisNamespace.setPodSelector(new LabelSelector());
            clientPortsFromClients.getFrom().add(thisNamespace);
            for (ClientSelector client : names.spec().clients()) {
                NetworkPolicyPeer peer = new NetworkPolicyPeer();
                LabelSelector namespaces = new LabelSelector();
                namespaces.getMatchLabels().putAll(client.namespaceLabels());
                peer.setNamespaceSelector(namespaces);
                LabelSelector pods = new LabelSelector();
                pods.getMatchLabels().putAll(client.podLabels());
                peer.setPodSelector(pods);
                clientPortsFromClients.getFrom().add(peer);
            }
            ports.forEach((name, number) -> (journalPorts.contains(name) ? journalFromMasters : clientPortsFromClients)
                    .getPorts().add(policyPort(number)));
            NetworkPolicySpec policySpec = new NetworkPolicySpec();
            policySpec.setPodSelector(names.selector());
            policySpec.getPolicyTypes().add("Ingress");
            policySpec.getIngress().add(journalFromMasters);
            if (!clientPortsFromClients.getPorts().isEmpty()) {
                policySpec.getIngress().add(clientPortsFromClients);
            }
            NetworkPolicy policy = new NetworkPolicy();
            policy.setMetadata(names.metadata(names.networkPolicy()));
            policy.setSpec(policySpec);
            return policy;
        }

        private static NetworkPolicyPort policyPort(int number) {
            NetworkPolicyPort port = new NetworkPolicyPort();
            port.setProtocol(TCP);
            port.setPort(new IntOrString(number));
            return port;
        }
    }
}
