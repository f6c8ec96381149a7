package dev.cacheha.examples.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One figure measured next to its baseline in the same run, and the ratio of their medians.
 *
 * @param figure what was measured, such as {@code leader discovery vs fs masterInfo}
 * @param ours what cache-ha did, with its label
 * @param baseline what it is compared with, with its label
 * @param ratio the ratio of the medians, oriented as {@link RatioKind} says
 * @param kind how {@code ratio} is oriented
 * @param target the bound from the issue, if the figure has one
 */
public record Comparison(
        String figure, Measured ours, Measured baseline, double ratio, RatioKind kind, Optional<Target> target) {

    public Comparison {
        requireNonNull(figure, "figure");
        requireNonNull(ours, "ours");
        requireNonNull(baseline, "baseline");
        requireNonNull(kind, "kind");
        requireNonNull(target, "target");
    }

    /** How many times faster ours is than the baseline: baseline median over our median. */
    public static Comparison speedup(String figure, Measured ours, Measured baseline, Optional<Target> target) {
        return new Comparison(figure, ours, baseline, baseline.values().median() / ours.values().median(),
                RatioKind.SPEEDUP, target);
    }

    /** How many times the baseline ours takes: our median over the baseline median. */
    public static Comparison relativeCost(String figure, Measured ours, Measured baseline, Optional<Target> target) {
        return new Comparison(figure, ours, baseline, ours.values().median() / baseline.values().median(),
                RatioKind.RELATIVE_COST, target);
    }

    /** Whether a target exists and the ratio misses it. */
    public boolean missesTarget() {
        return target.filter(bound -> !bound.isMetBy(ratio)).isPresent();
    }

    /** The orientation of a ratio. */
    public enum RatioKind {
        /** Baseline over ours: bigger is better. */
        SPEEDUP("baseline p50 / ours p50"),
        /** Ours over baseline: smaller is better. */
        RELATIVE_COST("ours p50 / baseline p50");

        private final String formula;

        RatioKind(String formula) {
            this.formula = formula;
        }

        /** How the ratio is computed, for the report. */
        public String formula() {
            return formula;
        }
    }

    /**
     * One side of a comparison.
     *
     * @param label what ran, such as {@code alluxio fs masterInfo (process)}
     * @param values its measurements
     */
    public record Measured(String label, Distribution values) {
        public Measured {
            requireNonNull(label, "label");
            requireNonNull(values, "values");
        }
    }
}
