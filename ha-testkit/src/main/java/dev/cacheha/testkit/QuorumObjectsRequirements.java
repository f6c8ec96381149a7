package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The objects that let the masters start together, find each other before any is ready, keep their journal
 * traffic to themselves when asked, and be probed where they listen.
 */
public abstract class QuorumObjectsRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected QuorumObjectsRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("starts every master at once: podManagementPolicy Parallel")
    void startsEveryMasterAtOnce() {
        StatefulSet statefulSet = ClaimFixtures.statefulSet(provider().plan(spec(3)));

        // OrderedReady starts pod 1 only once pod 0 is ready, and pod 0 is ready only once a majority runs.
        assertThat(statefulSet.getSpec().getPodManagementPolicy())
                .as("podManagementPolicy of %s (unset means OrderedReady)", PlanObjects.describe(statefulSet))
                .isEqualTo("Parallel");
    }

    @Test
    @DisplayName("names the masters with a headless Service that publishes them before they are ready")
    void namesTheMastersWithAHeadlessServiceThatPublishesThemBeforeTheyAreReady() {
        HaPlan plan = provider().plan(spec(3));
        String serviceName = ClaimFixtures.statefulSet(plan).getSpec().getServiceName();

        Service service = PlanObjects.all(plan, Service.class).stream()
                .filter(candidate -> candidate.getMetadata().getName().equals(serviceName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the plan has no Service named " + serviceName
                        + ", the StatefulSet's serviceName"));
        assertThat(service.getSpec().getClusterIP()).as("clusterIP of %s", PlanObjects.describe(service))
                .isEqualTo("None");
        assertThat(service.getSpec().getSelector()).as("selector of %s", PlanObjects.describe(service))
                .isNotEmpty();
        assertThat(PlanObjects.podLabels(plan)).as("pod labels, which %s selects", PlanObjects.describe(service))
                .containsAllEntriesOf(service.getSpec().getSelector());
        // Raft peers resolve each other before any of them is ready, and none is ready before they do.
        assertThat(service.getSpec().getPublishNotReadyAddresses())
                .as("publishNotReadyAddresses of %s", PlanObjects.describe(service)).isTrue();
    }

    @Test
    @DisplayName("opens the journal ports to this runtime's masters only, with a NetworkPolicy, when asked to")
    void opensTheJournalPortsToThisRuntimesMastersOnlyWhenAsked() {
        HaPlan plan = provider().plan(subject().validSpec(NAME, NAMESPACE).restrictJournalTraffic(true).build());
        Map<String, String> podLabels = PlanObjects.podLabels(plan);

        List<NetworkPolicy> policies = PlanObjects.all(plan, NetworkPolicy.class).stream()
                .filter(policy -> PlanObjects.selects(policy.getSpec().getPodSelector(), podLabels))
                .filter(policy -> policy.getSpec().getPolicyTypes() == null
                        || policy.getSpec().getPolicyTypes().isEmpty()
                        || policy.getSpec().getPolicyTypes().contains("Ingress"))
                .toList();
        assertThat(policies).as("ingress NetworkPolicies that select the masters").isNotEmpty();
        List<NetworkPolicyIngressRule> rules = policies.stream()
                .flatMap(policy -> Objects.requireNonNullElse(policy.getSpec().getIngress(),
                        List.<NetworkPolicyIngressRule>of()).stream())
                .toList();
        Map<String, Integer> portNames = portNames(plan);
        for (int port : PlanObjects.journalPorts(plan)) {
            List<NetworkPolicyIngressRule> admitting = rules.stream()
                    .filter(rule -> covers(rule.getPorts(), port, portNames)).toList();
            assertThat(admitting).as("ingress rules that admit journal port %d", port).isNotEmpty()
                    .allSatisfy(rule -> assertThat(rule.getFrom())
                            .as("who may reach journal port %d (empty means everyone)", port)
                            .isNotEmpty()
                            .allSatisfy(peer -> assertThat(onlyMasters(peer)).as("%s selects only the masters of"
                                    + " runtime %s", peer, NAME).isTrue()));
        }
    }

    @Test
    @DisplayName("opens every declared port, and only to this runtime's masters, this namespace and the spec's"
            + " clients")
    void opensEveryDeclaredPortOnlyToThisNamespaceAndTheSpecsClients() {
        ClientSelector client = ClientSelector.of(Map.of("team", "analytics"), Map.of("app", "spark"));
        HaPlan plan = provider().plan(subject().validSpec(NAME, NAMESPACE).restrictJournalTraffic(true)
                .client(client).build());
        Map<String, String> podLabels = PlanObjects.podLabels(plan);
        List<NetworkPolicyIngressRule> rules = PlanObjects.all(plan, NetworkPolicy.class).stream()
                .filter(policy -> PlanObjects.selects(policy.getSpec().getPodSelector(), podLabels))
                .flatMap(policy -> Objects.requireNonNullElse(policy.getSpec().getIngress(),
                        List.<NetworkPolicyIngressRule>of()).stream())
                .toList();
        Map<String, Integer> portNames = portNames(plan);
        Set<Integer> journalPorts = PlanObjects.journalPorts(plan);

        List<String> wrong = new ArrayList<>();
        boolean clientAdmitted = false;
        for (int port : new TreeSet<>(PlanObjects.declaredContainerPorts(plan))) {
            List<NetworkPolicyIngressRule> admitting = rules.stream()
                    .filter(rule -> covers(rule.getPorts(), port, portNames)).toList();
            if (admitting.isEmpty()) {
                wrong.add("port " + port + " is declared but no ingress rule of a policy selecting the masters"
                        + " admits it");
            }
            for (NetworkPolicyIngressRule rule : admitting) {
                List<NetworkPolicyPeer> peers = Objects.requireNonNullElse(rule.getFrom(), List.of());
                if (peers.isEmpty()) {
                    wrong.add("port " + port + " is open to every pod of the cluster (a rule without from)");
                }
                for (NetworkPolicyPeer peer : peers) {
                    boolean fromClient = isClient(peer, client);
                    clientAdmitted |= fromClient && !journalPorts.contains(port);
                    if (!onlyMasters(peer) && !thisNamespace(peer) && !fromClient) {
                        wrong.add("port " + port + " admits " + peer + ", which is neither this runtime's"
                                + " masters, this namespace's pods nor the spec's client " + client);
                    }
                }
            }
        }
        assertThat(wrong).as("ports of %s open beyond the masters, the namespace and the spec's clients, or"
                + " not at all", NAME).isEmpty();
        assertThat(clientAdmitted).as("the spec's client %s is admitted on some port other than a journal port",
                client).isTrue();
    }

    @Test
    @DisplayName("probes every master on a port its container declares")
    void probesEveryMasterOnAPortItsContainerDeclares() {
        HaPlan plan = provider().plan(spec(3));

        List<String> undeclared = new ArrayList<>();
        for (Container container : PlanObjects.containers(plan)) {
            List<ContainerPort> declared = Objects.requireNonNullElse(container.getPorts(), List.of());
            Map<String, Probe> probes = new LinkedHashMap<>();
            probes.put("readinessProbe", container.getReadinessProbe());
            probes.put("livenessProbe", container.getLivenessProbe());
            probes.put("startupProbe", container.getStartupProbe());
            probes.forEach((kind, probe) -> {
                IntOrString port = probedPort(probe);
                if (port != null && declared.stream().noneMatch(candidate -> names(candidate, port))) {
                    undeclared.add("container " + container.getName() + ": " + kind + " probes port "
                            + (port.getStrVal() != null ? port.getStrVal() : port.getIntVal())
                            + ", which the container does not declare");
                }
            });
        }
        assertThat(undeclared).as("probes of ports no container declares").isEmpty();
    }

    /** The port a probe connects to, or null for a probe without one (exec) or no probe. */
    private static IntOrString probedPort(Probe probe) {
        if (probe == null) {
            return null;
        }
        if (probe.getHttpGet() != null) {
            return probe.getHttpGet().getPort();
        }
        if (probe.getTcpSocket() != null) {
            return probe.getTcpSocket().getPort();
        }
        if (probe.getGrpc() != null) {
            return new IntOrString(probe.getGrpc().getPort());
        }
        return null;
    }

    private static boolean names(ContainerPort declared, IntOrString port) {
        return port.getStrVal() != null
                ? port.getStrVal().equals(declared.getName())
                : Objects.equals(port.getIntVal(), declared.getContainerPort());
    }

    /** Every named port of the master containers, with its number: policies may name ports. */
    private static Map<String, Integer> portNames(HaPlan plan) {
        Map<String, Integer> named = new LinkedHashMap<>();
        PlanObjects.containers(plan).forEach(container -> Objects.requireNonNullElse(container.getPorts(),
                        List.<ContainerPort>of()).stream()
                .filter(port -> port.getName() != null)
                .forEach(port -> named.put(port.getName(), port.getContainerPort())));
        return named;
    }

    /** Whether a rule's ports admit {@code port}; a rule without ports admits every port. */
    private static boolean covers(List<NetworkPolicyPort> ports, int port, Map<String, Integer> portNames) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(candidate -> {
            IntOrString value = candidate.getPort();
            if (value == null) {
                return true;
            }
            int first = value.getStrVal() != null ? portNames.getOrDefault(value.getStrVal(), -1) : value.getIntVal();
            int last = candidate.getEndPort() != null ? candidate.getEndPort() : first;
            return first <= port && port <= last;
        });
    }

    /** Every pod of the policy's own namespace: a pod selector and neither a namespace selector nor a block. */
    private static boolean thisNamespace(NetworkPolicyPeer peer) {
        return peer.getPodSelector() != null && peer.getNamespaceSelector() == null && peer.getIpBlock() == null;
    }

    /**
     * Pods that {@code client} names and no others: a namespace selector with exactly the client's namespace
     * labels and a pod selector (if any) with exactly its pod labels, no expressions, no block.
     */
    private static boolean isClient(NetworkPolicyPeer peer, ClientSelector client) {
        LabelSelector namespaces = peer.getNamespaceSelector();
        LabelSelector pods = peer.getPodSelector();
        return peer.getIpBlock() == null && namespaces != null
                && Objects.requireNonNullElse(namespaces.getMatchExpressions(), List.of()).isEmpty()
                && Objects.equals(Objects.requireNonNullElse(namespaces.getMatchLabels(), Map.of()),
                        client.namespaceLabels())
                && (pods == null ? client.podLabels().isEmpty()
                        : Objects.requireNonNullElse(pods.getMatchExpressions(), List.of()).isEmpty()
                                && Objects.equals(Objects.requireNonNullElse(pods.getMatchLabels(), Map.of()),
                                        client.podLabels()));
    }

    /** A peer of this namespace, chosen by a pod selector that pins this runtime's master labels. */
    private boolean onlyMasters(NetworkPolicyPeer peer) {
        LabelSelector pods = peer.getPodSelector();
        Map<String, String> pinned = pods == null ? Map.of()
                : Objects.requireNonNullElse(pods.getMatchLabels(), Map.of());
        Set<Map.Entry<String, String>> required = Map.of(
                RuntimeLabels.NAME, provider().engine(),
                RuntimeLabels.INSTANCE, NAME,
                RuntimeLabels.COMPONENT, RuntimeLabels.MASTER).entrySet();
        return peer.getIpBlock() == null && peer.getNamespaceSelector() == null
                && pinned.entrySet().containsAll(required);
    }
}
