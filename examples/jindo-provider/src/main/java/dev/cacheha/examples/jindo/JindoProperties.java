package dev.cacheha.examples.jindo;

import static dev.cacheha.examples.jindo.JindoHighAvailabilityProvider.RAFT;
import static dev.cacheha.examples.jindo.JindoHighAvailabilityProvider.RPC;

import dev.cacheha.spi.HostPort;
import dev.cacheha.toolkit.QuorumNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The Jindo configuration of a raft quorum, in the order Fluid's charts write it. */
final class JindoProperties {

    static final String BACKEND_TYPE = "namespace.backend.type";
    static final String RAFT_INITIAL_CONF = "namespace.backend.raft.initial-conf";
    static final String RPC_PORT = "namespace.rpc.port";
    static final String META_DIR = "namespace.meta-dir";
    static final String CLIENT_RPC_ADDRESS = "fs.jindocache.namespace.rpc.address";

    /** The properties the provider derives from the spec, with what the user sets instead. */
    static final SortedMap<String, String> RESERVED = new TreeMap<>(Map.of(
            BACKEND_TYPE, "masters always use raft",
            RAFT_INITIAL_CONF, "it is derived from the replicas and ports." + RAFT,
            RPC_PORT, "set ports." + RPC + " instead",
            META_DIR, "the journal's location follows from the journal storage",
            CLIENT_RPC_ADDRESS, "it is derived from the replicas and ports." + RPC));

    /** Every member joins the initial raft configuration with priority 0: none is preferred as leader. */
    private static final String RAFT_PEER_SUFFIX = ":0";

    private JindoProperties() {}

    /** The generated properties, then the user's (which never include a reserved key: the SPI refuses those). */
    static Map<String, String> of(QuorumNames names, int rpcPort, int raftPort) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(BACKEND_TYPE, "raft");
        properties.put(RAFT_INITIAL_CONF, join(names.addresses(raftPort), RAFT_PEER_SUFFIX));
        properties.put(RPC_PORT, Integer.toString(rpcPort));
        properties.put(META_DIR, JindoHighAvailabilityProvider.JOURNAL_MOUNT + "/server");
        properties.put(CLIENT_RPC_ADDRESS, join(names.addresses(rpcPort), ""));
        properties.putAll(names.spec().properties());
        return properties;
    }

    private static String join(List<HostPort> addresses, String suffix) {
        return addresses.stream().map(address -> address + suffix).collect(Collectors.joining(","));
    }
}
