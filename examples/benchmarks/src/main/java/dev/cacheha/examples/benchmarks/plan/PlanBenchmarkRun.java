package dev.cacheha.examples.benchmarks.plan;

import dev.cacheha.examples.benchmarks.report.Distribution;
import dev.cacheha.examples.benchmarks.report.ThroughputFigure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

/**
 * Runs {@link PlanBenchmark} under JMH, once for throughput and once sampling single operations, with the GC
 * profiler, and turns JMH's results into report figures.
 */
public final class PlanBenchmarkRun {

    /**
     * Issue 11: at least 5,000 plans per second on one core for a plan built on the provider toolkit (issue 7's
     * 50k is withdrawn); validation keeps issue 7's 50k. The fabric8 copy is a baseline and has none.
     */
    static final Map<String, Double> TARGET_OPS_PER_SECOND = Map.of("plan", 5_000.0, "validate", 50_000.0);

    /** The GC profiler's bytes allocated per operation; JMH has named it with and without a leading dot. */
    private static final String ALLOCATION_PER_OPERATION = "gc.alloc.rate.norm";

    private static final double MICROS_PER_SECOND = 1e6;

    private PlanBenchmarkRun() {}

    /** Runs every benchmark of {@link PlanBenchmark} with {@code settings}; figures by benchmark, then replicas. */
    public static List<ThroughputFigure> run(JmhSettings settings) {
        Options options = new OptionsBuilder()
                .include("^" + Pattern.quote(PlanBenchmark.class.getName()) + "\\.")
                .mode(Mode.Throughput)
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.SECONDS)
                .threads(1)
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupTime().toMillis()))
                .measurementIterations(settings.iterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementTime().toMillis()))
                .addProfiler(GCProfiler.class)
                .verbosity(settings.verbosity())
                .shouldFailOnError(true)
                .build();
        try {
            return figures(new Runner(options).run());
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH could not run " + PlanBenchmark.class.getSimpleName(), e);
        }
    }

    private static List<ThroughputFigure> figures(Collection<RunResult> results) {
        Map<String, RunResult> throughput = new TreeMap<>();
        Map<String, RunResult> sampled = new TreeMap<>();
        for (RunResult result : results) {
            Map<String, RunResult> byMode = result.getParams().getMode() == Mode.Throughput ? throughput : sampled;
            byMode.put(key(result.getParams()), result);
        }
        if (!throughput.keySet().equals(sampled.keySet())) {
            throw new IllegalStateException("JMH ran throughput for " + throughput.keySet() + " but sampled "
                    + sampled.keySet());
        }
        List<ThroughputFigure> figures = new ArrayList<>();
        throughput.forEach((key, result) -> figures.add(figure(result, sampled.get(key))));
        figures.sort(Comparator.comparing(ThroughputFigure::benchmark).thenComparingInt(ThroughputFigure::replicas));
        return figures;
    }

    private static ThroughputFigure figure(RunResult throughput, RunResult sampled) {
        BenchmarkParams params = throughput.getParams();
        List<Double> perIteration = new ArrayList<>();
        for (BenchmarkResult fork : throughput.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                perIteration.add(iteration.getPrimaryResult().getScore());
            }
        }
        var samples = sampled.getPrimaryResult().getStatistics();
        Distribution perOperation = new Distribution("µs", (int) Math.min(samples.getN(), Integer.MAX_VALUE),
                samples.getMin() * MICROS_PER_SECOND, samples.getPercentile(50) * MICROS_PER_SECOND,
                samples.getPercentile(99) * MICROS_PER_SECOND);
        Double target = TARGET_OPS_PER_SECOND.get(method(params));
        return new ThroughputFigure(method(params), Integer.parseInt(params.getParam("replicas")),
                Distribution.of("ops/s", perIteration), perOperation, allocationPerOperation(throughput),
                target == null ? OptionalDouble.empty() : OptionalDouble.of(target));
    }

    private static OptionalDouble allocationPerOperation(RunResult result) {
        Optional<Result> allocation = result.getSecondaryResults().entrySet().stream()
                .filter(entry -> entry.getKey().endsWith(ALLOCATION_PER_OPERATION))
                .map(Map.Entry::getValue)
                .findFirst();
        return allocation.map(value -> OptionalDouble.of(value.getScore())).orElseGet(OptionalDouble::empty);
    }

    private static String key(BenchmarkParams params) {
        return method(params) + "/" + params.getParam("replicas");
    }

    private static String method(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }
}
