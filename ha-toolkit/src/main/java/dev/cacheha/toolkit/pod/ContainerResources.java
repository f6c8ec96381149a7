package dev.cacheha.toolkit.pod;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The resources of an engine's processes: what the spec names for each, over the engine's documented defaults.
 * A default render thus has requests and a memory limit on every container, so masters are never BestEffort,
 * the first pods evicted when a node runs short of memory.
 *
 * @param engine the engine's name, for messages
 * @param defaults the engine's defaults by process name; also the only process names a spec may use (state
 *     them with {@link #processes()} in the engine's rules)
 * @param memoryJournal how a journal in memory shares its writer's memory limit, if the engine's journal can be
 *     in memory
 */
public record ContainerResources(String engine, SortedMap<String, ProcessResources> defaults,
        Optional<MemoryJournalBudget> memoryJournal) {

    /** Copies the defaults. */
    public ContainerResources {
        requireNonNull(engine, "engine");
        defaults = Collections.unmodifiableSortedMap(new TreeMap<>(defaults));
        requireNonNull(memoryJournal, "memoryJournal");
    }

    /** The resources of an engine whose memory journal, if any, is budgeted by {@code memoryJournal}. */
    public ContainerResources(String engine, SortedMap<String, ProcessResources> defaults,
            MemoryJournalBudget memoryJournal) {
        this(engine, defaults, Optional.of(memoryJournal));
    }

    /** A violation if a memory journal does not fit its writer's limit; see {@link MemoryJournalBudget#check}. */
    public List<Violation> violations(HaSpec spec) {
        return memoryJournal.flatMap(budget -> budget.check(spec)).stream().toList();
    }

    /**
     * The {@code validate} of an engine whose rules are data: the engine's {@code rules}, a memory journal that
     * fits its writer ({@link #violations}, which needs a whole spec and so cannot be among the rules), and
     * {@code engineViolations} of rules only the engine knows, thrown once.
     *
     * @throws SpecValidationException listing every violation
     */
    public void validate(HaSpec spec, EngineRules rules, List<Violation> engineViolations) {
        List<Violation> violations = new ArrayList<>(rules.violations(spec));
        violations.addAll(violations(spec));
        violations.addAll(engineViolations);
        SpecValidationException.throwIfAny(violations);
    }

    /** What {@code process}'s container gets: {@link #effective} as container requirements. */
    public ResourceRequirements requirements(HaSpec spec, String process) {
        return requirements(effective(spec, process));
    }

    /** The engine's process names, for {@link dev.cacheha.spi.EngineRules#processes()}. */
    public SortedSet<String> processes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(defaults.keySet()));
    }

    /** What {@code process} gets: the spec's values over the engine's defaults, with room for a memory journal. */
    public ProcessResources effective(HaSpec spec, String process) {
        ProcessResources engineDefaults = defaults.get(process);
        if (engineDefaults == null) {
            throw new IllegalArgumentException(process + " is not a process of " + engine + ": "
                    + defaults.keySet());
        }
        ProcessResources effective = spec.resources(process).withDefaults(engineDefaults);
        return memoryJournal.filter(budget -> budget.writerProcess().equals(process))
                .map(budget -> budget.withRoom(spec, effective))
                .orElse(effective);
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
