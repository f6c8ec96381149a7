package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Refusing bad specs where they enter a call path ({@code validate}, {@code HaSpec.Builder.build(provider)}), before
 * anything is planned, naming every faulty field.
 */
public abstract class ValidationRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected ValidationRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("accepts the valid spec at every quorum size")
    void acceptsTheValidSpecAtEveryQuorumSize() {
        for (int replicas : QUORUM_SIZES) {
            HaSpec spec = spec(replicas);

            assertThatCode(() -> provider().validate(spec)).as("validate, %d masters", replicas)
                    .doesNotThrowAnyException();
            assertThat(provider().plan(spec).members()).as("plan, %d masters", replicas).hasSize(replicas);
        }
    }

    @TestFactory
    @DisplayName("refuses each invalid spec where it enters, naming the faulty field")
    Stream<DynamicTest> refusesEachInvalidSpecWhereItEntersNamingTheFaultyField() {
        return Stream.concat(SpecFixtures.invalidSpecs().stream(), subject().engineInvalidSpecs().stream())
                .map(invalid -> dynamicTest(invalid.description(), () -> assertRefused(invalid)));
    }

    @TestFactory
    @DisplayName("reports each engine rule in the same pass as the SPI's, so a user sees every problem at once")
    Stream<DynamicTest> reportsEngineRulesInTheSamePassAsTheSpis() {
        // A rule across fields of a whole spec runs in validate, after the SPI's pass: see InvalidSpec.wholeSpec.
        Stream<InvalidSpec> statedAsData = subject().engineInvalidSpecs().stream().filter(spec -> !spec.wholeSpec());
        return statedAsData.map(invalid -> dynamicTest("reported with an SPI violation: " + invalid.description(),
                () -> {
            HaSpec engineOnly;
            try {
                engineOnly = invalid.build().apply(subject());
            } catch (SpecValidationException refusedByTheSpiAlone) {
                return; // not an engine-only fault: the SPI's own pass already reports it
            }

            // Given a spec that breaks this engine rule and, as well, an SPI rule (an even quorum)
            Throwable thrown = catchThrowable(() -> engineOnly.toBuilder().replicas(4).build(provider()));

            // Then one refusal names both
            assertThat(thrown).as("building a spec with %s and 4 replicas against the provider", invalid.description())
                    .isInstanceOf(SpecValidationException.class);
            SpecValidationException refusal = (SpecValidationException) thrown;
            assertThat(refusal.violations()).as("violations of one pass: %s", refusal.getMessage())
                    .anyMatch(violation -> violation.field().equals("replicas"));
            assertNamesFields(refusal, invalid, "the one pass of HaSpec.Builder.build(provider)");
        }));
    }

    @Test
    @DisplayName("states every port its masters declare in rules(), so no override can take another port's default")
    void statesEveryDeclaredPortSoNoOverrideTakesAnotherPortsDefault() {
        Map<String, Integer> stated = provider().rules().defaultPorts();
        List<Integer> declared = PlanObjects.declaredContainerPorts(provider().plan(spec(3)));

        assertThat(stated.values()).as("the ports rules() states, against those the masters declare")
                .containsAll(declared);
        stated.forEach((name, number) -> stated.forEach((other, taken) -> {
            if (!name.equals(other)) {
                Throwable thrown = catchThrowable(() -> subject().validSpec(SpecFixtures.NAME, SpecFixtures.NAMESPACE)
                        .port(name, taken).build(provider()));
                assertThat(thrown).as("ports.%s set to %d, the %s port's default", name, taken, other)
                        .isInstanceOf(SpecValidationException.class);
                assertThat(((SpecValidationException) thrown).violations()).extracting(Violation::field)
                        .contains("ports." + name);
            }
        }));
    }

    private void assertRefused(InvalidSpec invalid) {
        HaSpec spec;
        try {
            spec = invalid.build().apply(subject());
        } catch (SpecValidationException refusedByTheSpec) {
            assertNamesFields(refusedByTheSpec, invalid, "building the spec");
            return;
        }
        // The two entries of a call path: the operations behind them take the accepted spec unchecked.
        HighAvailabilityProvider provider = provider();
        Map<String, Runnable> entries = new LinkedHashMap<>();
        entries.put("validate", () -> provider.validate(spec));
        entries.put("HaSpec.Builder.build(provider)", () -> spec.toBuilder().build(provider));
        entries.forEach((entry, action) -> {
            Throwable thrown = catchThrowable(action::run);
            assertThat(thrown).as("%s of a spec with %s", entry, invalid.description())
                    .isInstanceOf(SpecValidationException.class);
            assertNamesFields((SpecValidationException) thrown, invalid, entry);
        });
    }

    private static void assertNamesFields(SpecValidationException refusal, InvalidSpec invalid, String step) {
        List<String> named = refusal.violations().stream().map(Violation::field).toList();
        for (String field : invalid.fields()) {
            assertThat(named).as("fields named by %s of a spec with %s: %s", step, invalid.description(),
                    refusal.getMessage()).anyMatch(path -> path.startsWith(field));
        }
    }
}
