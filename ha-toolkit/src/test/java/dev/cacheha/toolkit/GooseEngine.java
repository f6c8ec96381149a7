package dev.cacheha.toolkit;

import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A made-up engine's facts, as a provider author would state them, for the toolkit's tests. */
final class GooseEngine {

    static final EngineRules RULES = new EngineRules("goose", "-goose", ports(), new TreeMap<>());

    private GooseEngine() {}

    private static Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("rpc", 7000);
        ports.put("raft", 7001);
        return ports;
    }

    static QuorumNames names(HaSpec spec) {
        return new QuorumNames(spec, RULES);
    }

    static List<HasMetadata> objects(HaSpec spec) {
        return QuorumObjects.builder(names(spec), RULES.ports(spec))
                .defaultImage("goose:1")
                .propertiesFile("goose.properties", "/etc/goose", Map.of("goose.peers", "a,b,c"))
                .journal("journal", "/var/goose")
                .journalPorts("raft")
                .container(MasterContainer.named("goose").args("serve").ports("rpc", "raft")
                        .readinessProbe(MasterContainer.portOpen("rpc")).build())
                .build();
    }
}
