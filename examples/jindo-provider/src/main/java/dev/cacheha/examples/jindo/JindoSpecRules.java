package dev.cacheha.examples.jindo;

import static dev.cacheha.examples.jindo.JindoMasters.RAFT;
import static dev.cacheha.examples.jindo.JindoMasters.RPC;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The rules Jindo adds to those every {@link HaSpec} obeys. Collects every violation. */
final class JindoSpecRules {

    /** The longest Kubernetes object name that is also a DNS label: pod names and label values. */
    private static final int MAX_LABEL = 63;
    /** A StatefulSet's pods carry {@code controller-revision-hash=<statefulset>-<10 characters>}. */
    private static final int REVISION_HASH_SUFFIX = 11;

    private static final Set<String> PORT_NAMES = Set.of(RPC, RAFT);

    /** The properties the provider derives from the spec, with what the user sets instead. */
    static final Map<String, String> RESERVED_PROPERTIES = new TreeMap<>(Map.of(
            JindoProperties.BACKEND_TYPE, "masters always use raft",
            JindoProperties.RAFT_INITIAL_CONF, "it is derived from the replicas and ports." + RAFT,
            JindoProperties.RPC_PORT, "set ports." + RPC + " instead",
            JindoProperties.META_DIR, "the journal's location follows from the journal storage",
            JindoProperties.CLIENT_RPC_ADDRESS, "it is derived from the replicas and ports." + RPC));

    private JindoSpecRules() {}

    static List<Violation> check(HaSpec spec) {
        List<Violation> violations = new ArrayList<>();
        String longestPod = JindoMasters.statefulSet(spec.name()) + "-" + (spec.replicas() - 1);
        if (longestPod.length() > MAX_LABEL) {
            violations.add(new Violation("name", "\"" + spec.name() + "\" is too long for Jindo: pod name \""
                    + longestPod + "\" has " + longestPod.length() + " characters, more than " + MAX_LABEL));
        } else if (JindoMasters.statefulSet(spec.name()).length() + REVISION_HASH_SUFFIX > MAX_LABEL) {
            violations.add(new Violation("name", "\"" + spec.name() + "\" is too long for Jindo: at most "
                    + (MAX_LABEL - REVISION_HASH_SUFFIX - JindoMasters.STATEFUL_SET_SUFFIX.length())
                    + " characters, so that the StatefulSet \"" + JindoMasters.statefulSet(spec.name())
                    + "\" and its pods' controller-revision-hash label fit in " + MAX_LABEL));
        }
        spec.ports().keySet().stream()
                .filter(port -> !PORT_NAMES.contains(port))
                .forEach(port -> violations.add(new Violation("ports." + port,
                        "Jindo masters have no port \"" + port + "\"; use " + RPC + " or " + RAFT)));
        RESERVED_PROPERTIES.forEach((key, instead) -> {
            if (spec.properties().containsKey(key)) {
                violations.add(new Violation("properties[" + key + "]", "is set by cache-ha: " + instead));
            }
        });
        return violations;
    }
}
