package dev.cacheha.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The compute resources one engine process (one container of a master pod) asks for and may use, in the
 * terms of a Kubernetes container: {@code requests} and {@code limits} of {@value #CPU} and {@value #MEMORY},
 * each a Kubernetes quantity such as {@code 500m} or {@code 2Gi}.
 *
 * <p>Either side may name only some resources; a provider fills in the rest from the engine's documented
 * defaults. Values are kept as written and checked with the rest of the {@link HaSpec} that holds them, so one
 * report covers the whole spec: only {@value #CPU} and {@value #MEMORY}, positive quantities, and a request
 * never above the limit of the same resource.
 *
 * @param requests what the scheduler reserves, by resource name
 * @param limits what the process may use at most, by resource name
 */
public record ProcessResources(SortedMap<String, String> requests, SortedMap<String, String> limits) {

    /** The resource name of processor time, in cores ({@code 1}, {@code 500m}). */
    public static final String CPU = "cpu";
    /** The resource name of memory, in bytes ({@code 2Gi}, {@code 512Mi}). */
    public static final String MEMORY = "memory";

    /** Resources that name nothing: the engine's defaults apply to every field. */
    public static final ProcessResources NONE = new ProcessResources(null, null);

    /** Copies both maps into sorted maps; {@code null} means none. */
    public ProcessResources {
        requests = sortedCopy(requests);
        limits = sortedCopy(limits);
    }

    /** Resources with the given requests and limits ({@code cpu}/{@code memory} to quantity). */
    public static ProcessResources of(Map<String, String> requests, Map<String, String> limits) {
        return new ProcessResources(sortedCopy(requests), sortedCopy(limits));
    }

    private static SortedMap<String, String> sortedCopy(Map<String, String> quantities) {
        if (quantities != null) {
            quantities.forEach((resource, quantity) ->
                    Objects.requireNonNull(quantity, () -> "quantity of " + resource));
        }
        return quantities == null
                ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(quantities));
    }

    /** The request of {@code resource}, if named. */
    public Optional<String> request(String resource) {
        return Optional.ofNullable(requests.get(resource));
    }

    /** The limit of {@code resource}, if named. */
    public Optional<String> limit(String resource) {
        return Optional.ofNullable(limits.get(resource));
    }

    /**
     * These resources with every field they do not name taken from {@code defaults}. A default that would
     * contradict a named value is adjusted rather than kept: a named memory limit below the default request
     * lowers the request to the limit, a named request above the default limit raises the limit to the
     * request. Only values the user named can therefore break {@code request <= limit}.
     */
    public ProcessResources withDefaults(ProcessResources defaults) {
        SortedMap<String, String> mergedRequests = new TreeMap<>(defaults.requests);
        SortedMap<String, String> mergedLimits = new TreeMap<>(defaults.limits);
        mergedRequests.putAll(requests);
        mergedLimits.putAll(limits);
        for (String resource : new TreeSet<>(mergedRequests.keySet())) {
            String request = mergedRequests.get(resource);
            String limit = mergedLimits.get(resource);
            if (limit == null || Quantities.compare(request, limit) <= 0) {
                continue;
            }
            if (limits.containsKey(resource) && !requests.containsKey(resource)) {
                mergedRequests.put(resource, limit);
            } else if (requests.containsKey(resource) && !limits.containsKey(resource)) {
                mergedLimits.put(resource, request);
            }
        }
        return new ProcessResources(mergedRequests, mergedLimits);
    }
}
