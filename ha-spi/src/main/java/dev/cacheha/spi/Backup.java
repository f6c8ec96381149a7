package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

/**
 * A backup that was taken and verified: what a controller records (in the runtime's status, say) so that a
 * later restore knows exactly which runtime it came from and where it lies.
 *
 * @param engine the engine of the provider that planned it
 * @param namespace the namespace of the runtime it was taken from
 * @param runtime the name of the runtime it was taken from
 * @param target where the user asked for it
 * @param location where it landed, as the engine reported it (a path or URI below the target)
 * @param takenBy the member that led, and wrote it
 */
public record Backup(String engine, String namespace, String runtime, BackupTarget target, String location,
        Member takenBy) {

    public Backup {
        requireNonNull(engine, "engine");
        requireNonNull(namespace, "namespace");
        requireNonNull(runtime, "runtime");
        requireNonNull(target, "target");
        requireNonNull(location, "location");
        requireNonNull(takenBy, "takenBy");
        if (location.isBlank()) {
            throw new IllegalArgumentException("a backup's location must not be blank");
        }
    }

    /** Whether this backup was taken from the runtime of {@code spec} by {@code engine}'s provider. */
    public boolean belongsTo(String engine, HaSpec spec) {
        return this.engine.equals(engine) && namespace.equals(spec.namespace()) && runtime.equals(spec.name());
    }
}
