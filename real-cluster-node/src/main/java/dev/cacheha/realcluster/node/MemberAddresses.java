package dev.cacheha.realcluster.node;

import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.alluxio.local.LoopbackMapping;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The pod network of the local node: every member of a StatefulSet it runs is {@code localhost} with ports of its
 * own, one {@link LoopbackMapping} per StatefulSet, made when its first pod arrives, for up to
 * {@value #MEMBERS_PER_STATEFULSET} members (a scale-up within that needs no new ports). A member's DNS name
 * ({@code <pod>.<service>.<namespace>.svc.<cluster domain>}) finds its mapping, as cluster DNS would find its pod.
 */
final class MemberAddresses {

    /** The most members of one StatefulSet the node maps. */
    static final int MEMBERS_PER_STATEFULSET = 7;

    /** One member: its StatefulSet's mapping and its ordinal there. */
    record Address(LoopbackMapping mapping, int ordinal) {

        /** The local port behind the plan's {@code planPort}. */
        int localPort(int planPort) {
            return mapping.localPort(ordinal, planPort);
        }
    }

    private final String clusterDomain;
    private final Map<String, LoopbackMapping> byStatefulSet = new ConcurrentHashMap<>();
    private final Map<String, Address> byHost = new ConcurrentHashMap<>();

    MemberAddresses(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    /** The mapping of {@code pod}'s StatefulSet, made on first use from the pod's service and container ports. */
    LoopbackMapping mappingOf(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        String statefulSet = statefulSetOf(pod);
        return byStatefulSet.computeIfAbsent(namespace + "/" + statefulSet, key -> {
            String service = Optional.ofNullable(pod.getSpec().getSubdomain()).orElseThrow(() ->
                    new IllegalStateException("pod " + pod.getMetadata().getName() + " has no subdomain: its"
                            + " members could not find each other by name"));
            List<String> hosts = IntStream.range(0, MEMBERS_PER_STATEFULSET)
                    .mapToObj(ordinal -> statefulSet + "-" + ordinal + "." + service + "." + namespace + ".svc."
                            + clusterDomain)
                    .toList();
            LoopbackMapping mapping = LoopbackMapping.withFreePorts(hosts, planPorts(pod));
            for (int ordinal = 0; ordinal < hosts.size(); ordinal++) {
                byHost.put(hosts.get(ordinal), new Address(mapping, ordinal));
            }
            return mapping;
        });
    }

    /** The member at DNS name {@code host}, if the node runs its StatefulSet. */
    Optional<Address> address(String host) {
        return Optional.ofNullable(byHost.get(host));
    }

    /** The ordinal of a StatefulSet's pod, from its name {@code <statefulset>-<ordinal>}. */
    static int ordinalOf(Pod pod) {
        String name = pod.getMetadata().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    private static String statefulSetOf(Pod pod) {
        String name = pod.getMetadata().getName();
        return name.substring(0, name.lastIndexOf('-'));
    }

    /** Every named port of every container, as Alluxio's ports in the plan. */
    private static AlluxioPorts planPorts(Pod pod) {
        Map<String, Integer> byName = new HashMap<>();
        pod.getSpec().getContainers().forEach(container -> container.getPorts().stream()
                .filter(port -> port.getName() != null)
                .forEach(port -> byName.put(port.getName(), port.getContainerPort())));
        List<String> missing = AlluxioPorts.NAMES.stream().filter(name -> !byName.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("pod " + pod.getMetadata().getName() + " names no container port "
                    + missing + ": the local node runs Alluxio masters only");
        }
        int[] ports = AlluxioPorts.NAMES.stream().mapToInt(byName::get).toArray();
        return new AlluxioPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
    }
}
