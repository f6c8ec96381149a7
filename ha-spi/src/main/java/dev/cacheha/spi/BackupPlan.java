package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How to back up a quorum's metadata: one command, run on the member that leads, within its own timeout, and
 * how to tell from its output that the backup landed where it should. A provider makes one only from a
 * {@link LeaderStatus} that names a leader (HEALTHY or DEGRADED); a controller runs {@link #argv()} in
 * {@link #container()} of {@link #leader()} through {@link PodExec}, then passes the result to
 * {@link #verify(PodExec.Result)}.
 *
 * @param spec the runtime being backed up
 * @param engine the engine of the provider that planned it
 * @param leader the member discovery named leader; the command runs there and nowhere else
 * @param container the container to run the command in
 * @param argv the command, as an argument vector
 * @param timeout how long the command may run; a backup pauses metadata changes, so it is bounded
 * @param target where the user asked for the backup
 * @param directory the directory the backup lands in: this runtime's own directory below the target
 * @param locationPattern a regular expression that matches the command's standard output when the backup
 *     succeeded; its group {@code location} is where the backup landed
 */
public record BackupPlan(HaSpec spec, String engine, Member leader, String container, List<String> argv,
        Duration timeout, BackupTarget target, String directory, String locationPattern) {

    public BackupPlan {
        requireNonNull(spec, "spec");
        requireNonNull(engine, "engine");
        requireNonNull(leader, "leader");
        requireNonNull(container, "container");
        argv = List.copyOf(argv);
        requireNonNull(timeout, "timeout");
        requireNonNull(target, "target");
        requireNonNull(directory, "directory");
        requireNonNull(locationPattern, "locationPattern");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a backup needs a command, but argv is empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a backup's timeout must be positive: " + timeout);
        }
        if (!directory.startsWith(target.directory())) {
            throw new IllegalArgumentException("the backup directory " + directory + " is not below the target "
                    + target.directory());
        }
        try {
            if (!locationPattern.contains("(?<location>")) {
                throw new IllegalArgumentException("locationPattern has no group named location: " + locationPattern);
            }
            Pattern.compile(locationPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("locationPattern is not a regular expression: " + e.getMessage(), e);
        }
    }

    /**
     * The backup {@code result} reports, if the command exited 0 and its output names a location in
     * {@link #directory()}; empty if the backup failed or landed elsewhere.
     */
    public Optional<Backup> verify(PodExec.Result result) {
        if (result.exitCode() != 0) {
            return Optional.empty();
        }
        Matcher matcher = Pattern.compile(locationPattern).matcher(result.stdout());
        if (!matcher.find()) {
            return Optional.empty();
        }
        Backup backup = new Backup(engine, spec.namespace(), spec.name(), target, matcher.group("location"), leader);
        return backup.liesIn(directory) ? Optional.of(backup) : Optional.empty();
    }
}
