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
 */
public record InvalidSpec(String description, List<String> fields, Function<SpecSource, HaSpec> build) {

    public InvalidSpec {
        requireNonNull(description, "description");
        fields = List.copyOf(fields);
        requireNonNull(build, "build");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("an invalid spec names at least one faulty field");
        }
    }

    /** An invalid spec with one faulty {@code field}. */
    public static InvalidSpec of(String description, String field, Function<SpecSource, HaSpec> build) {
        return new InvalidSpec(description, List.of(field), build);
    }

    @Override
    public String toString() {
        return description;
    }
}
