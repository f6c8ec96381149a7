package dev.cacheha.examples.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything one run measured, ready to be written as {@code docs/benchmarks.md}.
 *
 * @param machine where and when it ran
 * @param loadAtEnd the load averages when the run ended
 * @param planSettings the JMH settings, as a reader would pass them on the command line
 * @param plans the JMH figures, by benchmark and quorum size
 * @param quorum the figures from the real local quorum
 */
public record BenchmarkReport(
        Machine machine, String loadAtEnd, String planSettings, List<ThroughputFigure> plans, QuorumSection quorum) {

    public BenchmarkReport {
        requireNonNull(machine, "machine");
        requireNonNull(loadAtEnd, "loadAtEnd");
        requireNonNull(planSettings, "planSettings");
        plans = List.copyOf(plans);
        requireNonNull(quorum, "quorum");
    }

    /**
     * The real-quorum part of a run.
     *
     * @param setup how the quorum was run (members, deadlines, rounds), or why it was not
     * @param comparisons each figure next to its baseline
     * @param observations facts a reader needs to judge the figures, such as each failover round's timeline
     */
    public record QuorumSection(String setup, List<Comparison> comparisons, List<String> observations) {
        public QuorumSection {
            requireNonNull(setup, "setup");
            comparisons = List.copyOf(comparisons);
            observations = List.copyOf(observations);
        }

        /** A run that measured no quorum, and why. */
        public static QuorumSection notRun(String reason) {
            return new QuorumSection("Not run: " + reason, List.of(), List.of());
        }
    }
}
