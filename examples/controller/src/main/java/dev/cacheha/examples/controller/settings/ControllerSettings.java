package dev.cacheha.examples.controller.settings;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the controller is started with, rather than what each runtime may ask for: choices that reach beyond one
 * tenant's runtime (which images run with the masters' volumes, which DNS domain the controller sends requests
 * to, how many commands run at once).
 *
 * @param allowedImages the images a runtime's {@code spec.image} may name, besides its engine's default image;
 *     empty: only the default image runs
 * @param clusterDomain the cluster's DNS domain, for every runtime's member addresses; a runtime cannot choose
 *     another, since the controller sends its requests to those addresses
 * @param commandThreads how many commands (backups, discovery by exec, replica-change commands) run at once in
 *     all
 * @param commandsPerNamespace how many of them one namespace may run at once, so that no tenant holds them all
 */
public record ControllerSettings(SortedSet<String> allowedImages, String clusterDomain, int commandThreads,
        int commandsPerNamespace) {

    /** How many commands run at once in all, unless configured. */
    public static final int DEFAULT_COMMAND_THREADS = 16;

    /** How many commands one namespace runs at once, unless configured. */
    public static final int DEFAULT_COMMANDS_PER_NAMESPACE = 4;

    /** @throws IllegalArgumentException naming every setting that is out of range */
    public ControllerSettings {
        allowedImages = new TreeSet<>(requireNonNull(allowedImages, "allowedImages"));
        requireNonNull(clusterDomain, "clusterDomain");
        List<String> problems = new ArrayList<>();
        if (allowedImages.stream().anyMatch(image -> image.isBlank())) {
            problems.add("allowedImages: must not contain a blank image");
        }
        if (clusterDomain.isBlank()) {
            problems.add("clusterDomain: must name the cluster's DNS domain, such as " + HaSpec.DEFAULT_CLUSTER_DOMAIN);
        }
        if (commandThreads < 1) {
            problems.add("commandThreads: must be at least 1, but is " + commandThreads);
        }
        if (commandsPerNamespace < 1 || commandsPerNamespace > commandThreads) {
            problems.add("commandsPerNamespace: must be between 1 and commandThreads (" + commandThreads
                    + "), but is " + commandsPerNamespace);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid controller settings: " + String.join("; ", problems));
        }
    }

    /** The defaults: the engines' default images only, {@value HaSpec#DEFAULT_CLUSTER_DOMAIN}, 16 and 4 commands. */
    public static ControllerSettings defaults() {
        return new ControllerSettings(new TreeSet<>(), HaSpec.DEFAULT_CLUSTER_DOMAIN, DEFAULT_COMMAND_THREADS,
                DEFAULT_COMMANDS_PER_NAMESPACE);
    }

    /** These settings with {@code images} allowed besides the engines' default images. */
    public ControllerSettings withAllowedImages(Set<String> images) {
        return new ControllerSettings(new TreeSet<>(images), clusterDomain, commandThreads, commandsPerNamespace);
    }

    /** These settings with {@code domain} as the cluster's DNS domain. */
    public ControllerSettings withClusterDomain(String domain) {
        return new ControllerSettings(allowedImages, domain, commandThreads, commandsPerNamespace);
    }

    /** These settings with other command limits. */
    public ControllerSettings withCommandLimits(int threads, int perNamespace) {
        return new ControllerSettings(allowedImages, clusterDomain, threads, perNamespace);
    }
}
