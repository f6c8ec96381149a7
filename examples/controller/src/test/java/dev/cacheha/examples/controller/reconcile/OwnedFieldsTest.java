package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a live object already holds every field the controller sets, as a real API server returns it. */
class OwnedFieldsTest {

    private static final OwnedFields.SetFields NOTHING = new OwnedFields.SetFields(Map.of(), Map.of());

    private static OwnedFields.SetFields byApply(Map<String, Object> applied) {
        return new OwnedFields.SetFields(applied, Map.of());
    }

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
        assertThat(OwnedFields.match(desired, live, Object.class, NOTHING)).isTrue();
        assertThat(OwnedFields.match(Map.of("suspend", false, "name", ""), Map.of(), Object.class, NOTHING)).isTrue();
    }

    @Test
    void aNonZeroValueMissingOrAZeroOverwrittenIsStillADifference() {
        // Given planned values the live object does not hold: one missing, one zero the live object has otherwise
        // When they are compared, then each is a difference
        assertThat(OwnedFields.match(probe(Map.of("initialDelaySeconds", 5)), probe(Map.of()), Object.class,
                NOTHING)).isFalse();
        assertThat(OwnedFields.match(probe(Map.of("initialDelaySeconds", 0)), probe(Map.of("initialDelaySeconds", 7)),
                Object.class, NOTHING)).isFalse();
        assertThat(OwnedFields.match(Map.of("enabled", true), Map.of(), Object.class, NOTHING)).isFalse();
    }

    /** A ConfigMap as a tree: its annotations and its data. */
    private static Map<String, Object> configMap(Map<String, String> annotations, Map<String, String> data) {
        return Map.of("metadata", Map.of("name", "demo-master-ha", "annotations", annotations), "data", data);
    }

    /** The field set an apply of {@code annotations} and {@code data} keys records in managedFields. */
    private static Map<String, Object> applied(List<String> annotations, List<String> data) {
        return Map.of("f:metadata", Map.of("f:annotations", keys(annotations)), "f:data", keys(data));
    }

    private static Map<String, Object> keys(List<String> names) {
        Map<String, Object> keys = new java.util.TreeMap<>();
        names.forEach(name -> keys.put("f:" + name, Map.of()));
        return keys;
    }

    @Test
    void anAnnotationOrAConfigMapKeyTheLastApplySetThatLeftThePlanIsADifference() {
        // Given a ConfigMap whose last apply set annotation "a" and "b" and keys "x" and "y", as the server holds it
        Map<String, Object> live = configMap(Map.of("a", "1", "b", "2"), Map.of("x", "1", "y", "2"));
        Map<String, Object> applied = applied(List.of("a", "b"), List.of("x", "y"));

        // When the plan no longer has annotation "b", or no longer key "y", then each is a difference
        assertThat(OwnedFields.match(configMap(Map.of("a", "1"), Map.of("x", "1", "y", "2")), live,
                ConfigMap.class, byApply(applied))).isFalse();
        assertThat(OwnedFields.match(configMap(Map.of("a", "1", "b", "2"), Map.of("x", "1")), live,
                ConfigMap.class, byApply(applied))).isFalse();
        // And with both still planned, nothing is
        assertThat(OwnedFields.match(live, live, ConfigMap.class, byApply(applied))).isTrue();
    }

    @Test
    void whatAnotherManagerAddedOrWhatIsGoneAlreadyIsNoDifference() {
        // Given a ConfigMap planned with annotation "a" and key "x"
        Map<String, Object> desired = configMap(Map.of("a", "1"), Map.of("x", "1"));

        // When another manager added annotation "team" and key "z" (the controller never applied them), then that
        // is no difference: an apply would not remove them
        assertThat(OwnedFields.match(desired, configMap(Map.of("a", "1", "team", "billing"), Map.of("x", "1",
                "z", "3")), ConfigMap.class, byApply(applied(List.of("a"), List.of("x"))))).isTrue();
        // And a key the controller applied once that is no longer there (removed already) is none either
        assertThat(OwnedFields.match(desired, desired, ConfigMap.class, byApply(applied(List.of("a", "b"),
                List.of("x", "y"))))).isTrue();
    }

    @Test
    void aFieldOfAKeyedListItemThatLeftThePlanIsADifference() {
        // Given a container "master" whose last apply set a memory limit, as the server records a keyed list item
        Map<String, Object> live = probe(Map.of("periodSeconds", 10));
        Map<String, Object> liveWithLimit = Map.of("spec", Map.of("containers", List.of(Map.of("name", "master",
                "livenessProbe", Map.of("periodSeconds", 10), "resources", Map.of("limits", Map.of("memory",
                        "2Gi"))))));
        Map<String, Object> applied = Map.of("f:spec", Map.of("f:containers", Map.of("k:{\"name\":\"master\"}",
                Map.of("f:name", Map.of(), "f:livenessProbe", Map.of("f:periodSeconds", Map.of()),
                        "f:resources", Map.of("f:limits", Map.of("f:memory", Map.of()))))));

        // When the plan no longer limits its memory, then that is a difference
        assertThat(OwnedFields.match(live, liveWithLimit, Pod.class, byApply(applied))).isFalse();
        // And while it still does, there is none
        assertThat(OwnedFields.match(liveWithLimit, liveWithLimit, Pod.class, byApply(applied))).isTrue();
    }

    @Test
    void aMapKeyTheCreateSetThatLeftThePlanIsADifferenceButADefaultTheServerFilledInIsNot() {
        // Given a StatefulSet as the controller's create left it: its Update entry holds the template's annotation
        // "a" and "b", and the podManagementPolicy the server filled in, which no plan names
        Map<String, Object> live = Map.of("spec", Map.of("podManagementPolicy", "OrderedReady", "template",
                Map.of("metadata", Map.of("annotations", Map.of("a", "1", "b", "2")))));
        OwnedFields.SetFields created = new OwnedFields.SetFields(Map.of(), Map.of("f:spec", Map.of(
                "f:podManagementPolicy", Map.of(), "f:template", Map.of("f:metadata", Map.of("f:annotations",
                        keys(List.of("a", "b")))))));
        Map<String, Object> planned = Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations",
                Map.of("a", "1", "b", "2")))));

        // When it is compared with its plan, then the default is no difference
        assertThat(OwnedFields.match(planned, live, StatefulSet.class, created)).isTrue();
        // And once the plan no longer has annotation "b", that is one
        Map<String, Object> withoutB = Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations",
                Map.of("a", "1")))));
        assertThat(OwnedFields.match(withoutB, live, StatefulSet.class, created)).isFalse();
    }

    /** A NetworkPolicy's rules as a tree: one rule from pods labelled {@code podLabels} on port 19999. */
    private static Map<String, Object> policy(Map<String, String> podLabels, Map<String, Object> port) {
        return Map.of("spec", Map.of("ingress", List.of(Map.of("from", List.of(Map.of("podSelector",
                Map.of("matchLabels", podLabels))), "ports", List.of(port)))));
    }

    @Test
    void inARuleListOwnedWholeAMapKeyThatLeftThePlanIsADifferenceButADefaultIsNot() {
        // Given a NetworkPolicy whose rules the server records as owned whole (an atomic list: no fields below it),
        // as the controller's create left them: the port's protocol filled in by the server
        OwnedFields.SetFields created = new OwnedFields.SetFields(Map.of(), Map.of("f:spec",
                Map.of("f:ingress", Map.of())));
        Map<String, Object> live = policy(Map.of("app", "spark", "team", "a"), Map.of("port", 19999,
                "protocol", "TCP"));

        // When it is compared with a plan that has the same rule, then the default is no difference
        assertThat(OwnedFields.match(policy(Map.of("app", "spark", "team", "a"), Map.of("port", 19999)), live,
                NetworkPolicy.class, created)).isTrue();
        // And once the plan's rule no longer asks for label "team", that is one
        assertThat(OwnedFields.match(policy(Map.of("app", "spark"), Map.of("port", 19999)), live,
                NetworkPolicy.class, created)).isFalse();
    }
}
