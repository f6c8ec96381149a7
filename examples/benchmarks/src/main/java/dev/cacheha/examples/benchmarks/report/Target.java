package dev.cacheha.examples.benchmarks.report;

import java.util.Locale;

/**
 * The bound a ratio must meet, from issue 7: at least a factor (our discovery is that many times faster), or
 * at most a factor (our detection takes no more than that many times the baseline's).
 *
 * @param bound the factor
 * @param atLeast whether the ratio must be at least {@code bound}; otherwise at most
 */
public record Target(double bound, boolean atLeast) {

    public Target {
        if (!(bound > 0)) {
            throw new IllegalArgumentException("a target's bound must be positive: " + bound);
        }
    }

    /** The ratio must be {@code bound} or more. */
    public static Target atLeast(double bound) {
        return new Target(bound, true);
    }

    /** The ratio must be {@code bound} or less. */
    public static Target atMost(double bound) {
        return new Target(bound, false);
    }

    /** Whether {@code ratio} meets this target. */
    public boolean isMetBy(double ratio) {
        return atLeast ? ratio >= bound : ratio <= bound;
    }

    @Override
    public String toString() {
        return (atLeast ? ">= " : "<= ") + formatFactor(bound);
    }

    /** A factor as the report prints it: {@code 1.14x}, {@code 312x}. */
    public static String formatFactor(double factor) {
        return factor >= 100
                ? String.format(Locale.ROOT, "%.0fx", factor)
                : String.format(Locale.ROOT, "%.2fx", factor);
    }
}
