package dev.cacheha.examples.benchmarks.report;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The minimum, median and 99th percentile of a set of measurements in one unit.
 *
 * <p>Percentiles are nearest-rank: each is one of the measured values, never an interpolation, so a p99 of
 * fewer than 100 samples is the largest sample and says so by its {@link #count()}.
 *
 * @param unit what the values measure, such as {@code ms} or {@code plans/s}
 * @param count how many measurements there were
 * @param min the smallest
 * @param median the nearest-rank 50th percentile
 * @param p99 the nearest-rank 99th percentile
 */
public record Distribution(String unit, int count, double min, double median, double p99) {

    public Distribution {
        Objects.requireNonNull(unit, "unit");
        if (count < 1) {
            throw new IllegalArgumentException("a distribution needs at least one measurement: " + count);
        }
        if (!(min <= median && median <= p99)) {
            throw new IllegalArgumentException("min <= median <= p99 must hold: " + min + ", " + median + ", " + p99);
        }
    }

    /** The distribution of {@code values}, measured in {@code unit}. */
    public static Distribution of(String unit, Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no " + unit + " measurements");
        }
        List<Double> sorted = values.stream().sorted().toList();
        return new Distribution(unit, sorted.size(), sorted.get(0), nearestRank(sorted, 50), nearestRank(sorted, 99));
    }

    /** The distribution of {@code durations}, in milliseconds. */
    public static Distribution ofDurations(Collection<Duration> durations) {
        return of("ms", durations.stream().map(Distribution::millis).toList());
    }

    /** A single value that is not a measurement spread, such as a configured deadline. */
    public static Distribution constant(String unit, double value) {
        return new Distribution(unit, 1, value, value, value);
    }

    /** {@code duration} in milliseconds, with its fraction. */
    public static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private static double nearestRank(List<Double> sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
