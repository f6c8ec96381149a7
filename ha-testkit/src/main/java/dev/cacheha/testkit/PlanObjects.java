package dev.cacheha.testkit;

import dev.cacheha.spi.HaPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.TreeSet;

/**
 * Reads what the groups look at in a plan: its objects by kind, the masters' pod template, the journal
 * addresses, and whether a label selector selects the masters. The one place that reads the plan's address
 * type, so a change of that type touches one file.
 */
final class PlanObjects {

    private PlanObjects() {}

    /** The objects of {@code type} in {@code plan}, in plan order. */
    static <T extends HasMetadata> List<T> all(HaPlan plan, Class<T> type) {
        return plan.objects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The spec of the masters' pod template. */
    static PodSpec podSpec(HaPlan plan) {
        return ClaimFixtures.statefulSet(plan).getSpec().getTemplate().getSpec();
    }

    /** The masters' containers (init containers are not masters). */
    static List<Container> containers(HaPlan plan) {
        return Optional.ofNullable(podSpec(plan).getContainers()).orElse(List.of());
    }

    /** The labels of the masters' pods. */
    /** Every port number the master containers declare, in declaration order. */
    static List<Integer> declaredContainerPorts(HaPlan plan) {
        return containers(plan).stream()
                .flatMap(container -> container.getPorts() == null ? Stream.empty() : container.getPorts().stream())
                .map(ContainerPort::getContainerPort)
                .toList();
    }

    static Map<String, String> podLabels(HaPlan plan) {
        return Optional.ofNullable(ClaimFixtures.statefulSet(plan).getSpec().getTemplate().getMetadata())
                .map(metadata -> metadata.getLabels())
                .orElse(Map.of());
    }

    /** The host of the journal address of the member with {@code ordinal}. */
    static String journalHost(HaPlan plan, int ordinal) {
        return plan.journalAddresses().get(ordinal).host();
    }

    /** The port numbers of the journal addresses, sorted. */
    static Set<Integer> journalPorts(HaPlan plan) {
        Set<Integer> ports = new TreeSet<>();
        plan.journalAddresses().forEach(address -> ports.add(address.port()));
        return ports;
    }

    /**
     * Whether {@code selector} selects objects labelled {@code labels}, as the API server decides: every
     * match label and every expression must hold. A missing selector selects nothing here, since every
     * selector the kit looks at must say what it selects.
     */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> matchLabels = Objects.requireNonNullElse(selector.getMatchLabels(), Map.of());
        List<LabelSelectorRequirement> expressions =
                Objects.requireNonNullElse(selector.getMatchExpressions(), List.of());
        return labels.entrySet().containsAll(matchLabels.entrySet())
                && expressions.stream().allMatch(expression -> holds(expression, labels));
    }

    private static boolean holds(LabelSelectorRequirement expression, Map<String, String> labels) {
        String value = labels.get(expression.getKey());
        List<String> values = Objects.requireNonNullElse(expression.getValues(), List.of());
        return switch (String.valueOf(expression.getOperator())) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
        };
    }

    /** Kind and name, to say which object an assertion is about. */
    static String describe(HasMetadata object) {
        return object.getKind() + " "
                + (object.getMetadata() == null ? "(no metadata)" : object.getMetadata().getName());
    }
}
