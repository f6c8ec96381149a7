package dev.cacheha.examples.benchmarks;

import dev.cacheha.examples.benchmarks.plan.JmhSettings;
import dev.cacheha.examples.benchmarks.plan.PlanBenchmarkRun;
import dev.cacheha.examples.benchmarks.report.BenchmarkReport;
import dev.cacheha.examples.benchmarks.report.Machine;
import dev.cacheha.examples.benchmarks.report.MarkdownReport;
import dev.cacheha.examples.benchmarks.report.ThroughputFigure;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs every benchmark and writes the report: JMH first, on a machine with no quorum running, then the real
 * local quorum.
 *
 * <p>Usage: {@code Benchmarks <report file>}; the README's "Benchmarks" section has the Maven command that
 * builds everything and runs this.
 */
public final class Benchmarks {

    /** The command the report names as the way to reproduce it. */
    public static final String COMMAND = "mvn -B -Pbenchmarks -DskipTests -pl examples/benchmarks -am verify";

    private Benchmarks() {}

    /** Runs everything and writes the report to the file named by the only argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Benchmarks <report file>");
            System.exit(2);
        }
        Path reportFile = Path.of(args[0]);
        Machine machine = Machine.current();
        JmhSettings jmh = JmhSettings.published();
        List<ThroughputFigure> plans = PlanBenchmarkRun.run(jmh);
        BenchmarkReport.QuorumSection quorum = BenchmarkReport.QuorumSection.notRun("the quorum part is not built yet");
        new MarkdownReport(COMMAND).write(reportFile,
                new BenchmarkReport(machine, Machine.loadAverage(), jmh.commandLine(), plans, quorum));
        System.out.println("wrote " + reportFile.toAbsolutePath());
    }
}
