package dev.cacheha.examples.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Percentiles are nearest-rank over the measured values, whatever order they were measured in. */
class DistributionTest {

    @Test
    void aHundredValuesHaveTheFiftiethAndNinetyNinthAsMedianAndP99() {
        // Given the values 1..100, shuffled by measuring them backwards
        List<Double> values = IntStream.rangeClosed(1, 100).map(i -> 101 - i).mapToObj(i -> (double) i).toList();

        // When summarised
        Distribution distribution = Distribution.of("ms", values);

        // Then the percentiles are measured values of nearest rank
        assertThat(distribution).isEqualTo(new Distribution("ms", 100, 1, 50, 99));
    }

    @Test
    void fewerThanAHundredValuesHaveTheLargestAsP99() {
        // Given ten durations
        List<Duration> durations = IntStream.rangeClosed(1, 10).mapToObj(Duration::ofMillis).toList();

        // When summarised
        Distribution distribution = Distribution.ofDurations(durations);

        // Then p99 is the largest and the median the fifth
        assertThat(distribution).isEqualTo(new Distribution("ms", 10, 1, 5, 10));
    }

    @Test
    void noValuesAreRefused() {
        assertThatThrownBy(() -> Distribution.of("ms", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no ms measurements");
    }
}
