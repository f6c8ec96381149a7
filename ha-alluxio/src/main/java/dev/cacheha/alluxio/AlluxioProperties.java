package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.toolkit.QuorumNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The {@code alluxio-site.properties} entries that make a set of masters one raft quorum.
 *
 * <p>The plan owns the keys in {@link #OWNED}: they must agree with the objects the plan renders (addresses
 * with the Service, ports with the container, the journal folder with the volume mount), so a user value for
 * one of them is a violation rather than a silent override. Every other user property wins over a generated
 * one.
 */
public final class AlluxioProperties {

    /** Where the journal volume is mounted and where the masters keep their journal. */
    public static final String JOURNAL_FOLDER = "/journal";

    /** The name of the file, in Alluxio's conf dir, that holds the properties. */
    public static final String SITE_FILE = "alluxio-site.properties";

    static final String JOURNAL_TYPE = "alluxio.master.journal.type";
    static final String EMBEDDED_JOURNAL_ADDRESSES = "alluxio.master.embedded.journal.addresses";
    static final String RPC_ADDRESSES = "alluxio.master.rpc.addresses";
    static final String EMBEDDED_JOURNAL_PORT = "alluxio.master.embedded.journal.port";
    /** The key whose value is {@link #JOURNAL_FOLDER}. */
    public static final String JOURNAL_FOLDER_KEY = "alluxio.master.journal.folder";
    static final String JOB_EMBEDDED_JOURNAL_ADDRESSES = "alluxio.job.master.embedded.journal.addresses";
    static final String JOB_RPC_ADDRESSES = "alluxio.job.master.rpc.addresses";
    static final String JOB_EMBEDDED_JOURNAL_PORT = "alluxio.job.master.embedded.journal.port";
    static final String STANDBY_WEB_ENABLED = "alluxio.standby.master.web.enabled";
    static final String RPC_PORT = "alluxio.master.rpc.port";
    static final String WEB_PORT = "alluxio.master.web.port";
    static final String JOB_RPC_PORT = "alluxio.job.master.rpc.port";
    static final String JOB_WEB_PORT = "alluxio.job.master.web.port";
    /** Each master's own address; set per pod, so it cannot live in the shared file. */
    static final String MASTER_HOSTNAME = "alluxio.master.hostname";
    /** Each job master's own address; set per pod like {@link #MASTER_HOSTNAME}. */
    static final String JOB_MASTER_HOSTNAME = "alluxio.job.master.hostname";

    /**
     * The properties that hold one of a master's own ports, each with the port it holds. In Kubernetes every
     * pod has the same ports; a setup that gives each member other ports (such as a local quorum on one host)
     * rewrites exactly these.
     */
    public static final Map<String, ToIntFunction<AlluxioPorts>> PORT_PROPERTIES = portProperties();

    /** Keys the plan must own, each with what the user sets instead; the SPI refuses them in a spec. */
    static final Map<String, String> OWNED = ownedKeys();

    private AlluxioProperties() {}

    /** The properties of {@code spec}: generated ones in a fixed order, then the user's, sorted by key. */
    static Map<String, String> of(HaSpec spec, QuorumNames names, AlluxioPorts ports) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(JOURNAL_TYPE, "EMBEDDED");
        properties.put(EMBEDDED_JOURNAL_ADDRESSES, join(names.addresses(ports.journal())));
        properties.put(RPC_ADDRESSES, join(names.addresses(ports.rpc())));
        properties.put(EMBEDDED_JOURNAL_PORT, Integer.toString(ports.journal()));
        properties.put(JOURNAL_FOLDER_KEY, JOURNAL_FOLDER);
        properties.put(JOB_EMBEDDED_JOURNAL_ADDRESSES, join(names.addresses(ports.jobJournal())));
        properties.put(JOB_RPC_ADDRESSES, join(names.addresses(ports.jobRpc())));
        properties.put(JOB_EMBEDDED_JOURNAL_PORT, Integer.toString(ports.jobJournal()));
        properties.put(STANDBY_WEB_ENABLED, "true");
        properties.put(RPC_PORT, Integer.toString(ports.rpc()));
        properties.put(WEB_PORT, Integer.toString(ports.web()));
        properties.put(JOB_RPC_PORT, Integer.toString(ports.jobRpc()));
        properties.put(JOB_WEB_PORT, Integer.toString(ports.jobWeb()));
        // HaSpec keeps properties sorted, so user entries land in a stable order; owned keys were refused.
        properties.putAll(spec.properties());
        return properties;
    }

    private static Map<String, ToIntFunction<AlluxioPorts>> portProperties() {
        Map<String, ToIntFunction<AlluxioPorts>> keys = new LinkedHashMap<>();
        keys.put(RPC_PORT, AlluxioPorts::rpc);
        keys.put(WEB_PORT, AlluxioPorts::web);
        keys.put(EMBEDDED_JOURNAL_PORT, AlluxioPorts::journal);
        keys.put(JOB_RPC_PORT, AlluxioPorts::jobRpc);
        keys.put(JOB_WEB_PORT, AlluxioPorts::jobWeb);
        keys.put(JOB_EMBEDDED_JOURNAL_PORT, AlluxioPorts::jobJournal);
        return Collections.unmodifiableMap(keys);
    }

    private static String join(List<HostPort> addresses) {
        return addresses.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }

    private static Map<String, String> ownedKeys() {
        Map<String, String> owned = new LinkedHashMap<>();
        String fromTopology = "it is derived from name, namespace, replicas, clusterDomain and ports";
        owned.put(JOURNAL_TYPE, "cache-ha runs Alluxio with the EMBEDDED (raft) journal only");
        owned.put(EMBEDDED_JOURNAL_ADDRESSES, fromTopology);
        owned.put(RPC_ADDRESSES, fromTopology);
        owned.put(JOB_EMBEDDED_JOURNAL_ADDRESSES, fromTopology);
        owned.put(JOB_RPC_ADDRESSES, fromTopology);
        owned.put(EMBEDDED_JOURNAL_PORT, "set ports.journal instead");
        owned.put(JOB_EMBEDDED_JOURNAL_PORT, "set ports.job-journal instead");
        owned.put(RPC_PORT, "set ports.rpc instead");
        owned.put(WEB_PORT, "set ports.web instead");
        owned.put(JOB_RPC_PORT, "set ports.job-rpc instead");
        owned.put(JOB_WEB_PORT, "set ports.job-web instead");
        owned.put(JOURNAL_FOLDER_KEY, "the journal volume is mounted at " + JOURNAL_FOLDER);
        owned.put(MASTER_HOSTNAME, "each master is given its own pod's DNS name");
        owned.put(JOB_MASTER_HOSTNAME, "each job master is given its own pod's DNS name");
        owned.put(STANDBY_WEB_ENABLED, "leader discovery needs every standby to report its own role over HTTP");
        return Map.copyOf(owned);
    }
}
