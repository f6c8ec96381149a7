package dev.cacheha.examples.benchmarks.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The machine a run measured on: absolute figures mean little without it, ratios a bit more.
 *
 * @param processors processors available to the JVM ({@code nproc})
 * @param memoryMiB total physical memory, in MiB
 * @param jdk the JVM's name and version
 * @param os the operating system and architecture
 * @param startedAt when the run started, UTC
 * @param loadAtStart the load averages (1, 5, 15 minutes) when the run started
 */
public record Machine(int processors, long memoryMiB, String jdk, String os, Instant startedAt, String loadAtStart) {

    public Machine {
        requireNonNull(jdk, "jdk");
        requireNonNull(os, "os");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(loadAtStart, "loadAtStart");
    }

    /** This machine, now. */
    public static Machine current() {
        long memoryBytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memoryBytes / (1024 * 1024),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                loadAverage());
    }

    /**
     * The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, or the JVM's one-minute figure where
     * that file does not exist.
     */
    public static String loadAverage() {
        return readProcLoadAverage().orElseGet(() -> String.format(java.util.Locale.ROOT, "%.2f (1 min)",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }

    private static Optional<String> readProcLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return Optional.of(fields[0] + " " + fields[1] + " " + fields[2]);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
