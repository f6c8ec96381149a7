package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Whether {@link #location()} lies below {@code directory}, compared as paths: the location's path (after a
     * URI's scheme and authority) with {@code .} and {@code ..} resolved must start with the directory's
     * segments. A text test such as {@code contains} would take {@code /backups/data/demo/../other/x} as being in
     * {@code /backups/data/demo}.
     */
    public boolean liesIn(String directory) {
        List<String> base = segments(directory);
        List<String> path = segments(pathOf(location));
        return base != null && path != null && path.size() > base.size() && path.subList(0, base.size()).equals(base);
    }

    /** The path of {@code location}: all of it, or what follows a URI's {@code scheme://authority}. */
    private static String pathOf(String location) {
        int scheme = location.indexOf("://");
        if (scheme < 0) {
            return location;
        }
        int path = location.indexOf('/', scheme + 3);
        return path < 0 ? "/" : location.substring(path);
    }

    /** The segments of absolute {@code path} with {@code .} and {@code ..} resolved; null if it is not one. */
    private static List<String> segments(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return null;
                }
                segments.remove(segments.size() - 1);
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** Whether this backup was taken from the runtime of {@code spec} by {@code engine}'s provider. */
    public boolean belongsTo(String engine, HaSpec spec) {
        return this.engine.equals(engine) && namespace.equals(spec.namespace()) && runtime.equals(spec.name());
    }
}
