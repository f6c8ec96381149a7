package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * The command that backs up an engine's metadata, run on the leading master.
 *
 * @param container the master container to run it in
 * @param argv the command, as an argument vector
 * @param timeout how long the command may run, from opening the exec stream to its exit; a backup writes the
 *     whole metadata and starts a JVM first, so it gets far longer than the probe deadline of the
 *     {@link dev.cacheha.spi.ClusterAccess}
 */
public record BackupCommand(String container, List<String> argv, Duration timeout) {

    /**
     * The timeout of {@link #ALLUXIO}: the CLI's JVM alone starts in one to three seconds, and writing the
     * journal's checkpoint of a namespace with millions of files takes minutes.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Alluxio's journal backup: {@code alluxio fsadmin backup} in the {@code alluxio-master} container
     * (the container name of the Alluxio provider's plan), within {@link #DEFAULT_TIMEOUT}. Only the primary
     * master can take it.
     */
    public static final BackupCommand ALLUXIO =
            new BackupCommand("alluxio-master", List.of("alluxio", "fsadmin", "backup"), DEFAULT_TIMEOUT);

    public BackupCommand {
        requireNonNull(container, "container");
        argv = List.copyOf(argv);
        requireNonNull(timeout, "timeout");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** This command with another timeout, for metadata that takes longer (or must take less) to back up. */
    public BackupCommand withTimeout(Duration newTimeout) {
        return new BackupCommand(container, argv, newTimeout);
    }
}
