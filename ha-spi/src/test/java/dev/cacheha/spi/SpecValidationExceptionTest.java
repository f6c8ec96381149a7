package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.refusalOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refused spec is reported once, with every violation, in an order that does not depend on the caller. */
class SpecValidationExceptionTest {

    /** A spec that breaks eight different rules, with ports and properties inserted in the given order. */
    private static HaSpec.Builder specBreakingEightRules(boolean reverseInsertion) {
        HaSpec.Builder builder = HaSpec.builder("Bad_Name", "")
                .replicas(4)
                .journal(JournalStorage.persistentVolume("lots"))
                .clusterDomain("Cluster.Local")
                .image(" ");
        if (reverseInsertion) {
            builder.property("z=z", "v").property("a:a", "v").port("web", 0).port("rpc", 70000);
        } else {
            builder.port("rpc", 70000).port("web", 0).property("a:a", "v").property("z=z", "v");
        }
        return builder;
    }

    @Test
    void aSpecBreakingManyRulesReportsEveryViolationInOneException() {
        // Given a spec with errors in name, namespace, replicas, journal, cluster domain, ports, properties, image
        HaSpec.Builder builder = specBreakingEightRules(false);

        // When it is built
        SpecValidationException refusal = refusalOf(builder);

        // Then one exception lists every violation, field by field, in the order the spec declares its fields
        assertThat(refusal.violations()).extracting(Violation::field).containsExactly(
                "name",
                "namespace",
                "replicas",
                "journal.size",
                "clusterDomain",
                "ports.rpc",
                "ports.web",
                "properties[a:a]",
                "properties[z=z]",
                "image");
    }

    @Test
    void theMessageCountsAndListsEveryViolationOnePerLine() {
        SpecValidationException refusal = refusalOf(specBreakingEightRules(false));

        List<String> expectedLines = new ArrayList<>();
        expectedLines.add("invalid spec (10 violations):");
        refusal.violations().forEach(violation -> expectedLines.add("  - " + violation.field() + ": "
                + violation.rule()));
        assertThat(refusal.getMessage().lines()).containsExactlyElementsOf(expectedLines);
    }

    @Test
    void theViolationsComeInTheSameOrderWhateverOrderPortsAndPropertiesWereAddedIn() {
        // Given the same broken spec, with ports and properties inserted in opposite orders
        // When both are built
        SpecValidationException forwards = refusalOf(specBreakingEightRules(false));
        SpecValidationException backwards = refusalOf(specBreakingEightRules(true));

        // Then both report the same violations in the same order, with the same message
        assertThat(backwards.violations()).isEqualTo(forwards.violations());
        assertThat(backwards.getMessage()).isEqualTo(forwards.getMessage());
    }

    @Test
    void aSingleViolationIsCountedInTheSingular() {
        SpecValidationException refusal = refusalOf(HaSpec.builder("cache", "fluid").replicas(2));

        assertThat(refusal.getMessage()).startsWith("invalid spec (1 violation):\n  - replicas: 2 is even");
    }

    @Test
    void theViolationListCannotBeChangedByTheThrowerOrTheCatcher() {
        // Given a list of violations the thrower keeps
        List<Violation> found = new ArrayList<>(List.of(new Violation("name", "is required")));
        SpecValidationException refusal = new SpecValidationException(found);

        // When the thrower adds to its list afterwards
        found.add(new Violation("namespace", "is required"));

        // Then the exception still holds one violation, and its list refuses changes
        assertThat(refusal.violations()).containsExactly(new Violation("name", "is required"));
        assertThatThrownBy(() -> refusal.violations().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anExceptionWithoutViolationsCannotBeMade() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SpecValidationException(List.of()))
                .withMessageContaining("at least one violation");
    }

    @Test
    void throwIfAnyThrowsOnlyWhenSomethingWasFound() {
        assertThatNoException().isThrownBy(() -> SpecValidationException.throwIfAny(List.of()));
        assertThatThrownBy(() -> SpecValidationException.throwIfAny(List.of(new Violation("image", "bad"))))
                .isInstanceOf(SpecValidationException.class)
                .hasMessage("invalid spec (1 violation):\n  - image: bad");
    }

    @Test
    void aViolationRendersAsFieldColonRule() {
        assertThat(new Violation("journal.size", "\"x\" is not a Kubernetes quantity"))
                .hasToString("journal.size: \"x\" is not a Kubernetes quantity");
    }
}
