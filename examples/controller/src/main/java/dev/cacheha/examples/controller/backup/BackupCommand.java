package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The command that backs up an engine's metadata, run on the leading master.
 *
 * @param container the master container to run it in
 * @param argv the command, as an argument vector
 */
public record BackupCommand(String container, List<String> argv) {

    /**
     * Alluxio's journal backup: {@code alluxio fsadmin backup} in the {@code alluxio-master} container
     * (the container name of the Alluxio provider's plan). Only the primary master can take it.
     */
    public static final BackupCommand ALLUXIO =
            new BackupCommand("alluxio-master", List.of("alluxio", "fsadmin", "backup"));

    public BackupCommand {
        requireNonNull(container, "container");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
    }
}
