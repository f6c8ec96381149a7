package dev.cacheha.examples.jindo;

import com.google.auto.service.AutoService;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.toolkit.JournalClaimSelection;
import dev.cacheha.toolkit.MasterContainer;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.QuorumObjects;
import dev.cacheha.toolkit.change.ReplicaChange;
import dev.cacheha.toolkit.discovery.ExecRoleDiscovery;
import dev.cacheha.toolkit.pod.ContainerProbes;
import dev.cacheha.toolkit.pod.ContainerResources;
import dev.cacheha.toolkit.pod.MemoryJournalBudget;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Master high availability for JindoCache/JindoFSx: a raft quorum of 1, 3, 5 or 7 masters in a StatefulSet
 * {@code <name>-jindofs-master}, with the journal ({@code namespace.meta-dir}) on a claim per master or in an
 * {@code emptyDir}. Holds only Jindo's facts; the objects, claim selection and discovery fan-out come from the
 * cache-ha toolkit, as they would for any third-party engine.
 *
 * <p><b>Assumptions, not verified against Jindo images:</b> a master reads its server properties from
 * {@value #CONF_DIR}/{@value #PROPERTIES_FILE}, where the plan's ConfigMap is mounted; it runs as uid 1000, writes
 * outside its journal (root file system writable), and opens its rpc port once it serves (probed at the toolkit's
 * raft-master timings). Default resources: cpu 1 and 2Gi requested, 2Gi limit (or a memory journal plus 1Gi).
 */
@AutoService(HighAvailabilityProvider.class)
public final class JindoHighAvailabilityProvider implements HighAvailabilityProvider {

    static final String ENGINE = "jindo";
    /** The master container, and the one discovery runs its command in. */
    static final String CONTAINER = "jindofs-master";
    static final String RPC = "rpc", RAFT = "raft";
    /** The journal volume and claim template. */
    static final String JOURNAL_VOLUME = "meta";
    /** Where the journal volume is mounted; {@code namespace.meta-dir} is below it. */
    static final String JOURNAL_MOUNT = "/var/lib/jindo-meta";
    static final String CONF_DIR = "/etc/jindo", PROPERTIES_FILE = "jindocache.properties";
    /** The image Fluid's JindoCache runtime uses by default; controllers normally choose their own. */
    static final String DEFAULT_IMAGE = "registry.cn-shanghai.aliyuncs.com/jindofs/smartdata:6.2.0";

    /** The process name of the master in a spec's resources. */
    static final String MASTER = "master";
    private static final long USER = 1000L;
    private static final ContainerResources RESOURCES = new ContainerResources(ENGINE, new TreeMap<>(Map.of(
            MASTER, ProcessResources.of(Map.of("cpu", "1", "memory", "2Gi"), Map.of("memory", "2Gi")))),
            new MemoryJournalBudget(MASTER, 512L << 20, 1L << 30));

    /**
     * <b>Assumption, not verified against Jindo binaries:</b> {@code jindo admin -report}, run in the master
     * container, exits 0 and prints one line {@code Role: LEADER} or {@code Role: FOLLOWER} (any case, spaces
     * around the colon allowed) for the master it runs on.
     */
    static final ExecRoleDiscovery DISCOVERY = new ExecRoleDiscovery(CONTAINER,
            List.of("jindo", "admin", "-report"), "Role");

    /** Fluid's suffix, Jindo's default ports (rpc 8101, raft 8103), the properties it derives, its process. */
    static final EngineRules RULES = new EngineRules(ENGINE, "-jindofs-master", defaultPorts(),
            JindoProperties.RESERVED, RESOURCES.processes());

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public EngineRules rules() {
        return RULES;
    }

    /** The declared rules, a memory journal the master's limit holds, and no secret property (not delivered). */
    @Override
    public void validate(HaSpec spec) {
        RESOURCES.validate(spec, RULES, SiteFileAssembly.undelivered(spec, ENGINE));
    }

    /** The raft properties, the masters' raft addresses, and the toolkit's quorum objects. */
    @Override
    public HaPlan plan(HaSpec spec) {
        QuorumNames names = new QuorumNames(spec, RULES);
        Map<String, String> properties = JindoProperties.of(names, RULES.port(spec, RPC), RULES.port(spec, RAFT));
        return new HaPlan(ENGINE, properties, names.members(), names.addresses(RULES.port(spec, RAFT)),
                QuorumObjects.builder(names, RULES.ports(spec))
                        .defaultImage(DEFAULT_IMAGE)
                        .propertiesFile(PROPERTIES_FILE, CONF_DIR, properties)
                        .journal(JOURNAL_VOLUME, JOURNAL_MOUNT)
                        .journalPorts(RAFT)
                        .restrictedSecurity(new RestrictedPodSecurity(USER, USER, false))
                        .container(MasterContainer.named(CONTAINER).ports(RPC, RAFT)
                                .probes(ContainerProbes.tcpSocket(RPC))
                                .resources(RESOURCES.requirements(spec, MASTER))
                                .build())
                        .build());
    }

    /** Asks every master for its role through {@code access}'s pod exec, each within the access deadline. */
    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        return DISCOVERY.of(new QuorumNames(spec, RULES).members(), access);
    }

    /** The runtime's journal claims, by the toolkit's rules: namespace, exact name, labels and annotation. */
    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        return JournalClaimSelection.select(new QuorumNames(spec, RULES), JOURNAL_VOLUME, existingClaims);
    }

    /** The toolkit's steps; <b>assumed, not verified:</b> new masters join, the leader removes stopped ones. */
    @Override
    public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        int raft = RULES.port(spec, RAFT);
        return ReplicaChange.removing(RULES, CONTAINER, JOURNAL_VOLUME, member -> List.of(List.of("jindo", "admin",
                "-removeRaftPeer", new HostPort(member.host(), raft).toString())))
                .plan(spec, newReplicas, this::plan);
    }

    private static Map<String, Integer> defaultPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>(Map.of(RPC, 8101));
        ports.put(RAFT, 8103);
        return ports;
    }
}
