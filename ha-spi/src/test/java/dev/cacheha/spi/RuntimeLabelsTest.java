package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** The labels every provider puts on master objects. */
class RuntimeLabelsTest {

    @Test
    void mastersAreLabelledWithTheRecommendedKubernetesLabelsSortedByKey() {
        // When the labels of runtime "cache" of engine "alluxio" are made
        SortedMap<String, String> labels = RuntimeLabels.masters("alluxio", "cache");

        // Then they are the app.kubernetes.io labels, in key order
        assertThat(labels).containsExactly(
                Map.entry("app.kubernetes.io/component", "master"),
                Map.entry("app.kubernetes.io/instance", "cache"),
                Map.entry("app.kubernetes.io/managed-by", "cache-ha"),
                Map.entry("app.kubernetes.io/name", "alluxio"));
    }

    @Test
    void theLabelsCannotBeChangedByTheirUser() {
        SortedMap<String, String> labels = RuntimeLabels.masters("alluxio", "cache");

        assertThatThrownBy(() -> labels.put(RuntimeLabels.INSTANCE, "other"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
