package dev.cacheha.alluxio;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The Kubernetes objects of an Alluxio master quorum, in the order they can be applied front to back: the
 * ConfigMap and the headless Service exist before any pod needs them, the NetworkPolicy before any pod can
 * receive traffic, then the StatefulSet and finally the PodDisruptionBudget that protects its pods.
 *
 * <p>Built with the model's setters, like {@link AlluxioMasterStatefulSet} and for the same reason: fabric8
 * builders deep-copy every built object handed to them.
 */
final class AlluxioMasterObjects {

    private static final String TCP = "TCP";

    private final HaSpec spec;
    private final AlluxioNames names;
    private final AlluxioPorts ports;

    private AlluxioMasterObjects(HaSpec spec, AlluxioNames names, AlluxioPorts ports) {
        this.spec = spec;
        this.names = names;
        this.ports = ports;
    }

    /**
     * The objects for {@code spec}, configured with {@code properties}: the plan's properties, which this
     * renders into the site file rather than keeping a list of its own.
     */
    static List<HasMetadata> of(HaSpec spec, AlluxioNames names, AlluxioPorts ports, Map<String, String> properties) {
        return new AlluxioMasterObjects(spec, names, ports).objects(HaPlan.propertiesFile(properties));
    }

    private List<HasMetadata> objects(String siteFile) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(siteProperties(siteFile));
        objects.add(headlessService());
        if (spec.restrictJournalTraffic()) {
            objects.add(journalOnlyFromMasters());
        }
        objects.add(AlluxioMasterStatefulSet.of(spec, names, ports, siteFile));
        if (spec.replicas() > 1) {
            objects.add(quorumBudget());
        }
        return objects;
    }

    private ConfigMap siteProperties(String siteFile) {
        ConfigMap configMap = new ConfigMap();
        configMap.setMetadata(names.metadata(names.configMap()));
        configMap.getData().put(AlluxioProperties.SITE_FILE, siteFile);
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
        ports.byName().forEach((name, number) -> {
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
    private PodDisruptionBudget quorumBudget() {
        PodDisruptionBudgetSpec budgetSpec = new PodDisruptionBudgetSpec();
        budgetSpec.setMinAvailable(new IntOrString(spec.replicas() / 2 + 1));
        budgetSpec.setSelector(names.selector());
        PodDisruptionBudget budget = new PodDisruptionBudget();
        budget.setMetadata(names.metadata(names.podDisruptionBudget()));
        budget.setSpec(budgetSpec);
        return budget;
    }

    /**
     * The raft ports accept only this runtime's masters: anything else that can write to them can vote or
     * append to the journal. Selecting the masters for ingress denies every port not listed, so the second
     * rule keeps the client and web ports open to everyone, as they are without the policy.
     */
    private NetworkPolicy journalOnlyFromMasters() {
        NetworkPolicyPeer masters = new NetworkPolicyPeer();
        masters.setPodSelector(names.selector());
        NetworkPolicyIngressRule journalFromMasters = new NetworkPolicyIngressRule();
        journalFromMasters.getFrom().add(masters);
        journalFromMasters.getPorts().addAll(policyPorts(ports.journal(), ports.jobJournal()));
        NetworkPolicyIngressRule clientPortsFromAnywhere = new NetworkPolicyIngressRule();
        clientPortsFromAnywhere.getPorts()
                .addAll(policyPorts(ports.rpc(), ports.web(), ports.jobRpc(), ports.jobWeb()));
        NetworkPolicySpec policySpec = new NetworkPolicySpec();
        policySpec.setPodSelector(names.selector());
        policySpec.getPolicyTypes().add("Ingress");
        policySpec.getIngress().add(journalFromMasters);
        policySpec.getIngress().add(clientPortsFromAnywhere);
        NetworkPolicy policy = new NetworkPolicy();
        policy.setMetadata(names.metadata(names.networkPolicy()));
        policy.setSpec(policySpec);
        return policy;
    }

    private static List<NetworkPolicyPort> policyPorts(int... numbers) {
        return IntStream.of(numbers)
                .mapToObj(number -> {
                    NetworkPolicyPort port = new NetworkPolicyPort();
                    port.setProtocol(TCP);
                    port.setPort(new IntOrString(number));
                    return port;
                })
                .toList();
    }
}
