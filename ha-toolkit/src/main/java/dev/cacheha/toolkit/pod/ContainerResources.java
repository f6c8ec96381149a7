package dev.cacheha.toolkit.pod;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resources of an engine's processes: what the spec names for each, over the engine's documented defaults.
 * A default render thus has requests and a memory limit on every container, so masters are never BestEffort,
 * the first pods evicted when a node runs short of memory.
 *
 * @param engine the engine's name, for messages
 * @param defaults the engine's defaults by process name; also the only process names a spec may use
 */
public record ContainerResources(String engine, SortedMap<String, ProcessResources> defaults) {

    /** Copies the defaults. */
    public ContainerResources {
        requireNonNull(engine, "engine");
        defaults = Collections.unmodifiableSortedMap(new TreeMap<>(defaults));
    }

    /** A violation for every process the spec names that the engine does not run. */
    public List<Violation> unknownProcesses(HaSpec spec) {
        List<Violation> violations = new ArrayList<>();
        spec.resources().keySet().stream()
                .filter(process -> !defaults.containsKey(process))
                .forEach(process -> violations.add(new Violation("resources." + process, "is not a process of "
                        + engine + " masters; known processes: " + List.copyOf(defaults.keySet()))));
        return violations;
    }

    /** What {@code process} gets: the spec's values over the engine's defaults. */
    public ProcessResources effective(HaSpec spec, String process) {
        ProcessResources engineDefaults = defaults.get(process);
        if (engineDefaults == null) {
            throw new IllegalArgumentException(process + " is not a process of " + engine + ": "
                    + defaults.keySet());
        }
        return spec.resources(process).withDefaults(engineDefaults);
    }

    /** {@code resources} as a container's requirements. */
    public static ResourceRequirements requirements(ProcessResources resources) {
        ResourceRequirements requirements = new ResourceRequirements();
        resources.requests().forEach((name, value) -> requirements.getRequests().put(name, new Quantity(value)));
        resources.limits().forEach((name, value) -> requirements.getLimits().put(name, new Quantity(value)));
        return requirements;
    }

    /** The memory limit of {@code resources} in bytes, if it has one. */
    public static Optional<Long> memoryLimitBytes(ProcessResources resources) {
        return resources.limit(ProcessResources.MEMORY).map(ContainerResources::bytes);
    }

    /** The bytes of a memory quantity, rounded down. */
    public static long bytes(String quantity) {
        BigDecimal amount = Quantity.getAmountInBytes(new Quantity(quantity));
        return amount.longValue();
    }
}
