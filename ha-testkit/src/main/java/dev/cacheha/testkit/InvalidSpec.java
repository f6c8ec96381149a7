package dev.cacheha.testkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaSpec;
import java.util.List;
import java.util.function.Function;

/**
 * A spec a provider must refuse: a valid spec with one or more faults. Building it may already fail (the
 * engine-neutral rules of {@link HaSpec}); if it does not, the provider's own rules must refuse it.
 *
 * @param description what is wrong, in words; the kit uses it as the test's name
 * @param fields the field paths the refusal must name; a violation names a field when its path starts with it
 * @param build makes the faulty spec from a valid one
 * @param wholeSpec whether the rule can only be checked against a whole spec, in the provider's {@code validate}:
 *     a rule across fields after the engine's defaults, such as a memory journal against its writer's memory
 *     limit. The kit then requires it refused by {@code validate}, {@code plan} and {@code leaderDiscovery}, but
 *     not reported in the one pass with the SPI's rules, which runs before a spec exists
 */
public record InvalidSpec(String description, List<String> fields, Function<SpecSource, HaSpec> build,
        boolean wholeSpec) {

    public InvalidSpec {
        requireNonNull(description, "description");
        fields = List.copyOf(fields);
        requireNonNull(build, "build");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an invalid spec names at least one faulty field");
        }
    }

    /** An invalid spec whose faults the engine's rules state as data, reported in the SPI's pass. */
    public InvalidSpec(String description, List<String> fields, Function<SpecSource, HaSpec> build) {
        this(description, fields, build, false);
    }

    /** An invalid spec with one faulty {@code field}, reported in the SPI's pass. */
    public static InvalidSpec of(String description, String field, Function<SpecSource, HaSpec> build) {
        return new InvalidSpec(description, List.of(field), build);
    }

    /** An invalid spec with one faulty {@code field} that only a whole spec shows; see {@link #wholeSpec()}. */
    public static InvalidSpec ofWholeSpec(String description, String field, Function<SpecSource, HaSpec> build) {
        return new InvalidSpec(description, List.of(field), build, true);
    }

    @Override
    public String toString() {
        return description;
    }
}
