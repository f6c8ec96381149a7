package dev.cacheha.examples.jindo;

import com.google.common.net.HostAndPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Jindo configuration of a raft quorum, in the order Fluid's charts write it. */
final class JindoProperties {

    static final String BACKEND_TYPE = "namespace.backend.type";
    static final String RAFT_INITIAL_CONF = "namespace.backend.raft.initial-conf";
    static final String RPC_PORT = "namespace.rpc.port";
    static final String META_DIR = "namespace.meta-dir";
    static final String CLIENT_RPC_ADDRESS = "fs.jindocache.namespace.rpc.address";

    /** Every member joins the initial raft configuration with priority 0: none is preferred as leader. */
    private static final String RAFT_PEER_SUFFIX = ":0";

    private JindoProperties() {}

    /** The generated properties, then the user's (which never include a reserved key: validation refuses those). */
    static Map<String, String> of(JindoMasters masters) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(BACKEND_TYPE, "raft");
        properties.put(RAFT_INITIAL_CONF, join(masters.raftAddresses(), RAFT_PEER_SUFFIX));
        properties.put(RPC_PORT, Integer.toString(masters.rpcPort()));
        properties.put(META_DIR, JindoMasters.JOURNAL_MOUNT + "/server");
        properties.put(CLIENT_RPC_ADDRESS, join(masters.rpcAddresses(), ""));
        properties.putAll(masters.spec().properties());
        return properties;
    }

    private static String join(List<HostAndPort> addresses, String suffix) {
        return addresses.stream().map(address -> address + suffix).collect(Collectors.joining(","));
    }
}
