package dev.cacheha.examples.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every string the controller writes into a status is bounded, whatever a command printed. A command's megabyte
 * of standard error reported within the bound by the controller is proven on the real control plane
 * ({@code realcluster.ReconcileOnRealClusterTest}).
 */
class BoundedStatusTest {

    @Test
    void aStatusStringOverTheBoundKeepsItsStartAndEndAndIsCutToTheBound() {
        // Given a status tree with one string far over the bound, one under it, and a surrogate pair at the cut
        String huge = "start" + "\uD83D\uDE00".repeat(40_000) + "end";
        Map<String, Object> tree = Map.of("message", huge, "leader", "demo-master-1");

        // When it is bounded
        @SuppressWarnings("unchecked")
        Map<String, Object> bounded = (Map<String, Object>) StatusText.boundedTree(tree);

        // Then the long string keeps its start and end within the bound, without a half surrogate pair
        String message = (String) bounded.get("message");
        assertThat(message).startsWith("start").endsWith("end").contains("(80008 characters, cut to 4096)");
        assertThat(message.length()).isLessThanOrEqualTo(StatusText.MAX_CHARACTERS);
        assertThat(message.codePoints())
                .noneMatch(point -> point >= Character.MIN_SURROGATE && point <= Character.MAX_SURROGATE);
        assertThat(bounded.get("leader")).isEqualTo("demo-master-1");
        // And a tree with nothing to cut is returned as it is
        Map<String, Object> small = Map.of("message", "ok");
        assertThat(StatusText.boundedTree(small)).isSameAs(small);
    }
}
