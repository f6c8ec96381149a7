package dev.cacheha.examples.benchmarks.plan;

import java.time.Duration;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * How long JMH measures. Every run uses one thread, since the target is per core.
 *
 * @param warmupIterations iterations run before measuring
 * @param warmupTime length of one warm-up iteration
 * @param iterations measured iterations
 * @param measurementTime length of one measured iteration
 * @param forks fresh JVMs per benchmark; 0 runs in this JVM, which only a smoke run should do
 * @param verbosity how much JMH prints while it runs
 */
public record JmhSettings(
        int warmupIterations,
        Duration warmupTime,
        int iterations,
        Duration measurementTime,
        int forks,
        VerboseMode verbosity) {

    public JmhSettings {
        if (warmupIterations < 0 || iterations < 1 || forks < 0) {
            throw new IllegalArgumentException("need warmupIterations >= 0, iterations >= 1 and forks >= 0, got "
                    + warmupIterations + ", " + iterations + ", " + forks);
        }
        if (warmupTime.isNegative() || warmupTime.isZero()
                || measurementTime.isNegative() || measurementTime.isZero()) {
            throw new IllegalArgumentException("iteration times must be positive: " + warmupTime + ", "
                    + measurementTime);
        }
    }

    /**
     * The published run: short, because the machine is small and shared, but in a fresh JVM with warm-up, so
     * JIT compilation of the plan code is done before measuring.
     */
    public static JmhSettings published() {
        return new JmhSettings(3, Duration.ofSeconds(1), 5, Duration.ofSeconds(1), 1, VerboseMode.NORMAL);
    }

    /** A run that proves the harness works and says nothing about speed: one short cold iteration, in-process. */
    public static JmhSettings smoke() {
        return new JmhSettings(0, Duration.ofMillis(100), 1, Duration.ofMillis(100), 0, VerboseMode.SILENT);
    }

    /** These settings as JMH command-line options, for the report. */
    public String commandLine() {
        return "-t 1 -f " + forks + " -wi " + warmupIterations + " -w " + millis(warmupTime) + " -i " + iterations
                + " -r " + millis(measurementTime) + " -bm thrpt,sample -prof gc";
    }

    private static String millis(Duration time) {
        return time.toMillis() + "ms";
    }
}
