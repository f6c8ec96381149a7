package dev.cacheha.alluxio;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The Kubernetes objects of an Alluxio master quorum, in the order they can be applied front to back: the
 * ConfigMap and the headless Service exist before any pod needs them, the NetworkPolicy before any pod can
 * receive traffic, then the StatefulSet and finally the PodDisruptionBudget that protects its pods.
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
        return new ConfigMapBuilder()
                .withMetadata(names.metadata(names.configMap()))
                .addToData(AlluxioProperties.SITE_FILE, siteFile)
                .build();
    }

    /**
     * Gives every pod its stable DNS name. Not-ready pods are published because a master becomes ready only
     * once a quorum runs, and the quorum runs only once the masters resolve each other.
     */
    private Service headlessService() {
        List<ServicePort> servicePorts = ports.byName().entrySet().stream()
                .map(port -> new ServicePortBuilder()
                        .withName(port.getKey())
                        .withPort(port.getValue())
                        .withTargetPort(new IntOrString(port.getKey()))
                        .withProtocol(TCP)
                        .build())
                .toList();
        return new ServiceBuilder()
                .withMetadata(names.metadata(names.service()))
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(names.labels())
                .withPorts(servicePorts)
                .endSpec()
                .build();
    }

    /**
     * Lets at most a minority of masters be evicted at once, so that node drains never cost the quorum.
     * A single master has no quorum to keep; a budget there would only block every drain.
     */
    private PodDisruptionBudget quorumBudget() {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(names.metadata(names.podDisruptionBudget()))
                .withNewSpec()
                .withMinAvailable(new IntOrString(spec.replicas() / 2 + 1))
                .withNewSelector().withMatchLabels(names.labels()).endSelector()
                .endSpec()
                .build();
    }

    /**
     * The raft ports accept only this runtime's masters: anything else that can write to them can vote or
     * append to the journal. Selecting the masters for ingress denies every port not listed, so the second
     * rule keeps the client and web ports open to everyone, as they are without the policy.
     */
    private NetworkPolicy journalOnlyFromMasters() {
        return new NetworkPolicyBuilder()
                .withMetadata(names.metadata(names.networkPolicy()))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(names.labels()).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withNewPodSelector().withMatchLabels(names.labels()).endPodSelector().endFrom()
                .withPorts(policyPorts(ports.journal(), ports.jobJournal()))
                .endIngress()
                .addNewIngress()
                .withPorts(policyPorts(ports.rpc(), ports.web(), ports.jobRpc(), ports.jobWeb()))
                .endIngress()
                .endSpec()
                .build();
    }

    private static List<NetworkPolicyPort> policyPorts(int... numbers) {
        return IntStream.of(numbers)
                .mapToObj(number -> new NetworkPolicyPortBuilder()
                        .withProtocol(TCP)
                        .withPort(new IntOrString(number))
                        .build())
                .toList();
    }
}
