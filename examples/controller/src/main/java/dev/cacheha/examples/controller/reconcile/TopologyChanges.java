package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Refuses a change of ports or cluster domain on a running runtime. Both are part of every member's peer
 * addresses: members restarted one at a time would each know a list of peers the others do not, and a member
 * restarted alone would try to join under an address its peers do not have, so no rolling order is safe. The
 * values a runtime was created with are recorded on its StatefulSet, where they live as long as the members.
 */
final class TopologyChanges {

    /** StatefulSet annotation recording the cluster domain and port overrides the members were started with. */
    static final String ANNOTATION = "data.cacheha.dev/topology";

    private static final String WHY = "cannot change on a running runtime: members restarted one at a time would"
            + " each have peer addresses the others do not, and the quorum would split; delete and recreate the"
            + " runtime to change it";

    private TopologyChanges() {}

    /** Records {@code spec}'s topology on {@code statefulSet} (a desired copy). */
    static void record(StatefulSet statefulSet, HaSpec spec) {
        Map<String, String> annotations = new TreeMap<>(
                Objects.requireNonNullElse(statefulSet.getMetadata().getAnnotations(), Map.of()));
        annotations.put(ANNOTATION, render(spec));
        statefulSet.getMetadata().setAnnotations(annotations);
    }

    /** Every field of the topology that {@code spec} changes against the running {@code live} StatefulSet. */
    static List<Violation> refused(StatefulSet live, HaSpec spec) {
        Optional<Map<String, String>> running = Optional.ofNullable(live.getMetadata().getAnnotations())
                .map(annotations -> annotations.get(ANNOTATION))
                .map(TopologyChanges::parse);
        if (running.isEmpty()) {
            return List.of();
        }
        Map<String, String> wanted = parse(render(spec));
        List<Violation> violations = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(running.get().keySet());
        keys.addAll(wanted.keySet());
        for (String key : keys) {
            String before = running.get().get(key);
            String after = wanted.get(key);
            if (!Objects.equals(before, after)) {
                violations.add(new Violation(key, (before == null ? "default" : before) + " -> "
                        + (after == null ? "default" : after) + " " + WHY));
            }
        }
        return violations;
    }

    private static String render(HaSpec spec) {
        return "clusterDomain=" + spec.clusterDomain() + spec.ports().entrySet().stream()
                .map(port -> ",ports." + port.getKey() + "=" + port.getValue())
                .collect(Collectors.joining());
    }

    private static Map<String, String> parse(String rendered) {
        Map<String, String> fields = new TreeMap<>();
        for (String field : rendered.split(",")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        return fields;
    }
}
