package dev.cacheha.realcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The nodes kwok keeps alive: one per zone, each with room for thousands of pods, so that anti-affinity and
 * topology spread have distinct hosts and zones to choose from and a scale test is never short of capacity.
 * The room is in requests too: at 1,000 CPUs a node, 1,000 runtimes of 3 masters left 600 pods unschedulable
 * ("Insufficient cpu"); 100,000 CPUs and 1,000 TiB hold 10,000 pods at the requests the providers render by default.
 */
final class FakeNodes {

    /** The annotation kwok is told to manage nodes by (and nothing else). */
    static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";
    static final String KWOK_ANNOTATION_VALUE = "fake";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private static final Map<String, Quantity> CAPACITY = Map.of(
            "cpu", new Quantity("100000"), "memory", new Quantity("1000Ti"), "pods", new Quantity("10000"));

    private FakeNodes() {}

    /** Nodes {@code real-cluster-node-0..count-1}, node {@code i} in zone {@code zone-i}. */
    static List<Node> of(int count) {
        return IntStream.range(0, count).mapToObj(FakeNodes::node).toList();
    }

    private static Node node(int index) {
        String name = "real-cluster-node-" + index;
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(name)
                    .addToAnnotations(KWOK_ANNOTATION, KWOK_ANNOTATION_VALUE)
                    .addToLabels("kubernetes.io/hostname", name)
                    .addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("kubernetes.io/arch", "amd64")
                    .addToLabels("type", "kwok")
                    .addToLabels(ZONE_LABEL, "zone-" + index)
                .endMetadata()
                // Nodes keep the status they are created with; kwok's node stage keeps these numbers.
                .withNewStatus()
                    .withCapacity(CAPACITY)
                    .withAllocatable(CAPACITY)
                .endStatus()
                .build();
    }

    static void create(KubernetesClient admin, int count) {
        of(count).forEach(node -> admin.nodes().resource(node).create());
    }
}
