package dev.cacheha.examples.benchmarks;

import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.examples.benchmarks.plan.JmhSettings;
import dev.cacheha.examples.benchmarks.plan.PlanBenchmarkRun;
import dev.cacheha.examples.benchmarks.quorum.QuorumBenchmark;
import dev.cacheha.examples.benchmarks.quorum.QuorumSettings;
import dev.cacheha.examples.benchmarks.report.BenchmarkReport;
import dev.cacheha.examples.benchmarks.report.Machine;
import dev.cacheha.examples.benchmarks.report.MarkdownReport;
import dev.cacheha.examples.benchmarks.report.ThroughputFigure;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs every benchmark and writes the report: JMH first, while no quorum runs, then the real local quorum.
 *
 * <p>Usage: {@code Benchmarks <report file> <parts>}, where parts is {@code plans,quorum} or one of them (the
 * report then says the other was not run). The README's "Benchmarks" section has the Maven command that builds
 * everything and runs both.
 */
public final class Benchmarks {

    /** The command the report names as the way to reproduce it. */
    public static final String COMMAND = "mvn -B -Pbenchmarks -DskipTests -pl examples/benchmarks -am verify";

    private static final List<String> PARTS = List.of("plans", "quorum");

    private Benchmarks() {}

    /** Runs the benchmarks named by the second argument and writes the report to the file named by the first. */
    public static void main(String[] args) {
        List<String> parts = args.length == 2 ? List.of(args[1].split(",")) : List.of();
        if (parts.isEmpty() || !PARTS.containsAll(parts)) {
            System.err.println("usage: Benchmarks <report file> <parts: any of " + String.join(",", PARTS) + ">");
            System.exit(2);
        }
        Path reportFile = Path.of(args[0]);
        boolean plans = parts.contains("plans");
        boolean quorum = parts.contains("quorum");
        Machine machine = Machine.current();
        JmhSettings jmh = JmhSettings.published();
        List<ThroughputFigure> planFigures = plans ? PlanBenchmarkRun.run(jmh) : List.of();
        BenchmarkReport.QuorumSection quorumSection = quorum
                ? QuorumBenchmark.run(QuorumSettings.published(),
                        AlluxioClasspath.fromResource(Benchmarks.class.getClassLoader()))
                : BenchmarkReport.QuorumSection.notRun("only the JMH part was asked for");
        new MarkdownReport(COMMAND).write(reportFile,
                new BenchmarkReport(machine, Machine.loadAverage(), jmh.commandLine(), planFigures, quorumSection));
        System.out.println("wrote " + reportFile.toAbsolutePath());
    }
}
