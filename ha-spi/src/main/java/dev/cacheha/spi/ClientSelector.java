package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Pods outside the runtime's namespace that may reach the masters' client ports (rpc, web, job ports; never
 * the journal ports): the pods whose labels include {@code podLabels} in the namespaces whose labels include
 * {@code namespaceLabels}. Pods of the runtime's own namespace may always reach them. The plan's NetworkPolicy
 * renders each selector as one peer; a controller that discovers leaders from another namespace names its own
 * namespace here (for example {@code kubernetes.io/metadata.name: cache-ha-system}).
 *
 * @param namespaceLabels labels a namespace must carry, at least one (no selector opens to every namespace)
 * @param podLabels labels a pod in such a namespace must carry; empty for every pod there
 */
public record ClientSelector(SortedMap<String, String> namespaceLabels, SortedMap<String, String> podLabels) {

    /** Copies both maps, sorted. */
    public ClientSelector {
        namespaceLabels = sortedCopy(namespaceLabels, "namespaceLabels");
        podLabels = sortedCopy(podLabels, "podLabels");
    }

    /** The pods with {@code podLabels} in the namespaces with {@code namespaceLabels}. */
    public static ClientSelector of(Map<String, String> namespaceLabels, Map<String, String> podLabels) {
        return new ClientSelector(new TreeMap<>(namespaceLabels), new TreeMap<>(podLabels));
    }

    /** Every pod of the namespace named {@code namespace}, by the label Kubernetes sets on every namespace. */
    public static ClientSelector namespace(String namespace) {
        return of(Map.of("kubernetes.io/metadata.name", namespace), Map.of());
    }

    private static SortedMap<String, String> sortedCopy(Map<String, String> labels, String field) {
        requireNonNull(labels, field);
        TreeMap<String, String> copy = new TreeMap<>();
        labels.forEach((key, value) -> copy.put(requireNonNull(key, field + " key"),
                requireNonNull(value, () -> field + " value of " + key)));
        return Collections.unmodifiableSortedMap(copy);
    }
}
