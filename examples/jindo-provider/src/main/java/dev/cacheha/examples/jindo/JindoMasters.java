package dev.cacheha.examples.jindo;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.RuntimeLabels;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.IntStream;

/**
 * The one place that names a runtime's Jindo masters: the StatefulSet and its governing Service, the pods,
 * their DNS names, labels, ports and journal claims. Everything else asks here, so a name cannot drift
 * between the plan, discovery and cleanup.
 *
 * @param spec the runtime's spec
 */
record JindoMasters(HaSpec spec) {

    /** The engine name of the provider. */
    static final String ENGINE = "jindo";
    /** What Fluid appends to a runtime's name for the master StatefulSet. */
    static final String STATEFUL_SET_SUFFIX = "-jindofs-master";
    /** The master container, and the one discovery runs its command in. */
    static final String CONTAINER = "jindofs-master";
    /** The name of the journal volume and of its claim template. */
    static final String JOURNAL_VOLUME = "meta";
    /** Where the journal volume is mounted; {@code namespace.meta-dir} is below it. */
    static final String JOURNAL_MOUNT = "/var/lib/jindo-meta";

    /** The name of the client and master RPC port in the spec's port overrides and in the pod. */
    static final String RPC = "rpc";
    /** The name of the raft port in the spec's port overrides and in the pod. */
    static final String RAFT = "raft";
    /** Jindo's default namespace RPC port. */
    static final int DEFAULT_RPC_PORT = 8101;
    /** Jindo's default raft port. */
    static final int DEFAULT_RAFT_PORT = 8103;

    JindoMasters {
        requireNonNull(spec, "spec");
    }

    /** The StatefulSet, which is also the governing headless Service and the PodDisruptionBudget. */
    String statefulSet() {
        return statefulSet(spec.name());
    }

    /** The StatefulSet of runtime {@code runtimeName}. */
    static String statefulSet(String runtimeName) {
        return runtimeName + STATEFUL_SET_SUFFIX;
    }

    /** The masters, by ordinal, with their stable DNS names. */
    List<Member> members() {
        return IntStream.range(0, spec.replicas())
                .mapToObj(ordinal -> {
                    String pod = statefulSet() + "-" + ordinal;
                    return new Member(ordinal, spec.namespace(), pod,
                            pod + "." + statefulSet() + "." + spec.namespace() + ".svc." + spec.clusterDomain());
                })
                .toList();
    }

    /** The raft address of every master, by ordinal. */
    List<HostAndPort> raftAddresses() {
        return addresses(raftPort());
    }

    /** The RPC address of every master, by ordinal. */
    List<HostAndPort> rpcAddresses() {
        return addresses(rpcPort());
    }

    private List<HostAndPort> addresses(int port) {
        return members().stream().map(member -> HostAndPort.fromParts(member.host(), port)).toList();
    }

    int rpcPort() {
        return spec.port(RPC, DEFAULT_RPC_PORT);
    }

    int raftPort() {
        return spec.port(RAFT, DEFAULT_RAFT_PORT);
    }

    /** The labels of every master object, pod and claim. */
    SortedMap<String, String> labels() {
        return RuntimeLabels.masters(ENGINE, spec.name());
    }

    /** The claim the StatefulSet makes for the master with {@code ordinal}. */
    String claim(int ordinal) {
        return JOURNAL_VOLUME + "-" + statefulSet() + "-" + ordinal;
    }
}
