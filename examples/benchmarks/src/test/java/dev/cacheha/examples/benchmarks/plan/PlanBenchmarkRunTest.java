package dev.cacheha.examples.benchmarks.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.benchmarks.report.BenchmarkReport;
import dev.cacheha.examples.benchmarks.report.Machine;
import dev.cacheha.examples.benchmarks.report.MarkdownReport;
import dev.cacheha.examples.benchmarks.report.ThroughputFigure;
import dev.cacheha.spi.HaPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JMH harness runs for real, briefly, and its figures reach the report. Says nothing about speed. */
class PlanBenchmarkRunTest {

    @Test
    void theBenchmarkMethodsRenderAPlanWithOneMemberPerReplicaAndAValidSpec() {
        // Given the benchmark state for a 5-master quorum
        PlanBenchmark benchmark = new PlanBenchmark();
        benchmark.replicas = 5;
        benchmark.loadProvider();

        // When each benchmark method runs once
        HaPlan plan = benchmark.plan();

        // Then they did the work being measured, not a shortcut
        assertThat(plan.engine()).isEqualTo(PlanBenchmark.ENGINE);
        assertThat(plan.members()).hasSize(5);
        assertThat(plan.objects()).isNotEmpty();
        assertThat(benchmark.validate().replicas()).isEqualTo(5);
    }

    @Test
    void theFabric8BaselineCopiesEveryObjectOfThePlanIntoAnEqualNewObject() {
        // Given the benchmark state for a 3-master quorum, and the plan it copies
        PlanBenchmark benchmark = new PlanBenchmark();
        benchmark.replicas = 3;
        benchmark.loadProvider();
        List<HasMetadata> original = benchmark.plan().objects();

        // When the baseline runs once
        List<HasMetadata> copies = benchmark.fabric8Copy();

        // Then it built every object anew, equal to the plan's: the same work the plan's builders do
        assertThat(copies).isEqualTo(original);
        for (int i = 0; i < copies.size(); i++) {
            assertThat(copies.get(i)).isNotSameAs(original.get(i));
        }
    }

    @Test
    void aSmokeRunMeasuresBothBenchmarksAtEveryQuorumSizeAndTheReportTabulatesThem(@TempDir Path directory)
            throws Exception {
        // Given the shortest JMH run there is
        JmhSettings smoke = JmhSettings.smoke();

        // When it runs and its figures are written as a report
        List<ThroughputFigure> figures = PlanBenchmarkRun.run(smoke);
        Path file = directory.resolve("benchmarks.md");
        new MarkdownReport("test").write(file, new BenchmarkReport(Machine.current(), Machine.loadAverage(),
                smoke.commandLine(), figures, BenchmarkReport.QuorumSection.notRun("smoke test")));

        // Then every benchmark and size was measured, with allocation figures from the GC profiler
        assertThat(figures).extracting(figure -> figure.benchmark() + "/" + figure.replicas()).containsExactly(
                "fabric8Copy/1", "fabric8Copy/3", "fabric8Copy/5", "fabric8Copy/7", "plan/1", "plan/3", "plan/5",
                "plan/7", "validate/1", "validate/3", "validate/5", "validate/7");
        assertThat(figures).filteredOn(figure -> figure.benchmark().equals("fabric8Copy"))
                .allSatisfy(baseline -> assertThat(baseline.targetOpsPerSecond()).isEmpty());
        assertThat(figures).allSatisfy(figure -> {
            assertThat(figure.throughput().median()).isPositive();
            assertThat(figure.perOperation().median()).isPositive();
            assertThat(figure.bytesPerOperation()).isPresent();
            assertThat(figure.bytesPerOperation().getAsDouble()).isPositive();
        });
        // And the report has one table row per figure
        String report = Files.readString(file);
        assertThat(report).contains("| benchmark | replicas | ops/s p50", "-t 1 -f 0 -wi 0");
        assertThat(report.lines().filter(line -> line.matches("\\| (plan|validate|fabric8Copy) \\| \\d .*")))
                .hasSize(12);
    }
}
