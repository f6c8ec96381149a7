package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a live object already holds every field the controller sets, as a real API server returns it. */
class OwnedFieldsTest {

    private static Map<String, Object> probe(Map<String, Object> timing) {
        return Map.of("spec", Map.of("containers", List.of(Map.of("name", "master", "livenessProbe", timing))));
    }

    @Test
    void aZeroTheServerLeftOutMatches() {
        // Given a planned probe with initialDelaySeconds 0, and the object as the API server returns it: the field
        // is left out at its zero value
        Map<String, Object> desired = probe(Map.of("initialDelaySeconds", 0, "periodSeconds", 10));
        Map<String, Object> live = probe(Map.of("periodSeconds", 10));

        // When they are compared, then they match: applying would change nothing
        assertThat(OwnedFields.match(desired, live)).isTrue();
        assertThat(OwnedFields.match(Map.of("suspend", false, "name", ""), Map.of())).isTrue();
    }

    @Test
    void aNonZeroValueMissingOrAZeroOverwrittenIsStillADifference() {
        // Given planned values the live object does not hold: one missing, one zero the live object has otherwise
        // When they are compared, then each is a difference
        assertThat(OwnedFields.match(probe(Map.of("initialDelaySeconds", 5)), probe(Map.of()))).isFalse();
        assertThat(OwnedFields.match(probe(Map.of("initialDelaySeconds", 0)), probe(Map.of("initialDelaySeconds", 7))))
                .isFalse();
        assertThat(OwnedFields.match(Map.of("enabled", true), Map.of())).isFalse();
    }
}
