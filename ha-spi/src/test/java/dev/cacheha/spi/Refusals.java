package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;

/** Builds a spec that must be refused and hands back what the refusal says, for tests of single rules. */
final class Refusals {

    private Refusals() {}

    /** The violations reported when {@code builder} builds; fails the test if it builds without complaint. */
    static List<Violation> violationsOf(HaSpec.Builder builder) {
        return refusalOf(builder).violations();
    }

    /** The exception thrown when {@code builder} builds; fails the test if it builds without complaint. */
    static SpecValidationException refusalOf(HaSpec.Builder builder) {
        return assertThatExceptionOfType(SpecValidationException.class)
                .isThrownBy(builder::build)
                .actual();
    }

    /** A builder for a valid runtime {@code cache} in {@code fluid}, so each test breaks exactly one rule. */
    static HaSpec.Builder validSpec() {
        return HaSpec.builder("cache", "fluid");
    }
}
