package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The steps that start a quorum from a {@link Backup}: every member stopped, every journal deleted, every member
 * started with the engine told to load the backup into its freshly formatted journal, and the quorum awaited.
 * Whatever state the quorum was in (running, or having lost its majority), it ends with the backup's metadata.
 *
 * @param backup the backup it restores
 * @param steps what to do, in order
 */
public record RestorePlan(Backup backup, List<Step> steps) {

    public RestorePlan {
        requireNonNull(backup, "backup");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a restore has steps");
        }
    }
}
