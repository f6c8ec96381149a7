package dev.cacheha.examples.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/**
 * One JMH benchmark at one parameter: how many operations a single thread completes per second, how long one
 * operation takes, and what it allocates.
 *
 * @param benchmark the benchmark method, such as {@code plan}
 * @param replicas the quorum size it ran with
 * @param throughput operations per second, one value per measurement iteration
 * @param perOperation the time of single operations in microseconds, from JMH's sampling mode
 * @param bytesPerOperation bytes allocated per operation as JMH's GC profiler reports it, when it could
 * @param targetOpsPerSecond the operations per second the issue asks for, at least; empty for a baseline
 */
public record ThroughputFigure(
        String benchmark,
        int replicas,
        Distribution throughput,
        Distribution perOperation,
        OptionalDouble bytesPerOperation,
        OptionalDouble targetOpsPerSecond) {

    public ThroughputFigure {
        requireNonNull(benchmark, "benchmark");
        requireNonNull(throughput, "throughput");
        requireNonNull(perOperation, "perOperation");
        requireNonNull(bytesPerOperation, "bytesPerOperation");
        requireNonNull(targetOpsPerSecond, "targetOpsPerSecond");
        if (targetOpsPerSecond.isPresent() && !(targetOpsPerSecond.getAsDouble() > 0)) {
            throw new IllegalArgumentException("the target must be positive: " + targetOpsPerSecond);
        }
    }

    /** Median throughput over the target throughput; empty for a baseline. */
    public OptionalDouble ratio() {
        return targetOpsPerSecond.isPresent()
                ? OptionalDouble.of(throughput.median() / targetOpsPerSecond.getAsDouble())
                : OptionalDouble.empty();
    }

    /** Whether there is a target and the median throughput misses it. */
    public boolean missesTarget() {
        return ratio().isPresent() && ratio().getAsDouble() < 1;
    }
}
