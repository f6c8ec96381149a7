package dev.cacheha.toolkit.recovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.BackupTarget;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * How an engine backs up its metadata, as facts: the command the leader runs to write a backup into a directory,
 * how long it may run, and how its output names the file it wrote.
 *
 * @param argv the command writing a backup into the directory (the runtime's own, below the target) for the
 *     target; it must make the member it runs on write the backup itself, not delegate it to another member
 * @param timeout how long the command may run; a backup pauses metadata changes, so it is bounded
 * @param locationPattern a regular expression matching the command's standard output when the backup succeeded;
 *     its group {@code location} is where the backup landed
 */
public record BackupCommand(BiFunction<String, BackupTarget, List<String>> argv, Duration timeout,
        String locationPattern) {

    public BackupCommand {
        requireNonNull(argv, "argv");
        requireNonNull(timeout, "timeout");
        requireNonNull(locationPattern, "locationPattern");
    }
}
