package dev.cacheha.examples.jindo;

import com.google.auto.service.AutoService;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.toolkit.JournalClaimSelection;
import dev.cacheha.toolkit.MasterContainer;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.QuorumObjects;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Master high availability for JindoCache/JindoFSx: a raft quorum of 1, 3, 5 or 7 masters in a StatefulSet
 * {@code <name>-jindofs-master}, with the journal ({@code namespace.meta-dir}) on a claim per master or in an
 * {@code emptyDir}. Holds only Jindo's facts; the objects, claim selection and discovery fan-out come from the
 * cache-ha toolkit, as they would for any third-party engine.
 *
 * <p><b>Assumption, not verified against Jindo images:</b> a master reads its server properties from
 * {@value #CONF_DIR}/{@value #PROPERTIES_FILE}, where the plan's ConfigMap is mounted.
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

    /** Fluid's StatefulSet suffix, Jindo's default ports (rpc 8101, raft 8103) and the properties it derives. */
    static final EngineRules RULES = new EngineRules(ENGINE, "-jindofs-master", defaultPorts(),
            JindoProperties.RESERVED);

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public EngineRules rules() {
        return RULES;
    }

    /** The raft properties, the masters' raft addresses, and the toolkit's quorum objects. */
    @Override
    public HaPlan plan(HaSpec spec) {
        validate(spec);
        QuorumNames names = new QuorumNames(spec, RULES);
        Map<String, String> properties = JindoProperties.of(names, RULES.port(spec, RPC), RULES.port(spec, RAFT));
        return new HaPlan(ENGINE, properties, names.members(), names.addresses(RULES.port(spec, RAFT)),
                QuorumObjects.builder(names, RULES.ports(spec))
                        .defaultImage(DEFAULT_IMAGE)
                        .propertiesFile(PROPERTIES_FILE, CONF_DIR, properties)
                        .journal(JOURNAL_VOLUME, JOURNAL_MOUNT)
                        .journalPorts(RAFT)
                        .container(MasterContainer.named(CONTAINER).ports(RPC, RAFT)
                                .readinessProbe(MasterContainer.portOpen(RPC)).build())
                        .build());
    }

    /** Asks every master for its role through {@code access}'s pod exec, each within the access deadline. */
    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        validate(spec);
        return JindoLeaderDiscovery.of(new QuorumNames(spec, RULES).members(), access);
    }

    /** The runtime's journal claims, by the toolkit's rules: namespace, exact name, labels and annotation. */
    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        return JournalClaimSelection.select(new QuorumNames(spec, RULES), JOURNAL_VOLUME, existingClaims);
    }

    private static Map<String, Integer> defaultPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>(Map.of(RPC, 8101));
        ports.put(RAFT, 8103);
        return ports;
    }
}
