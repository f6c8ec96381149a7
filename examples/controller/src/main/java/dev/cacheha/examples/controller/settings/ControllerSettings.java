package dev.cacheha.examples.controller.settings;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.Admission;
import dev.cacheha.spi.HaSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * @param controllerNamespace the namespace the controller's pods run in, when known: see
 *     {@link #withControllerNamespace}
 */
public record ControllerSettings(SortedSet<String> allowedImages, String clusterDomain, int commandThreads,
        int commandsPerNamespace, Optional<String> controllerNamespace) {

    /** The environment variable of {@link #allowedImages()}: images separated by commas. */
    public static final String ALLOWED_IMAGES = "ALLOWED_IMAGES";

    /** The environment variable of {@link #clusterDomain()}. */
    public static final String CLUSTER_DOMAIN = "CLUSTER_DOMAIN";

    /** The environment variable of {@link #commandThreads()}. */
    public static final String COMMAND_THREADS = "COMMAND_THREADS";

    /** The environment variable of {@link #commandsPerNamespace()}. */
    public static final String COMMANDS_PER_NAMESPACE = "COMMANDS_PER_NAMESPACE";

    /** How many commands run at once in all, unless configured. */
    public static final int DEFAULT_COMMAND_THREADS = 16;

    /** How many commands one namespace runs at once, unless configured. */
    public static final int DEFAULT_COMMANDS_PER_NAMESPACE = 4;

    /** @throws IllegalArgumentException naming every setting that is out of range */
    public ControllerSettings {
        allowedImages = new TreeSet<>(requireNonNull(allowedImages, "allowedImages"));
        requireNonNull(clusterDomain, "clusterDomain");
        requireNonNull(controllerNamespace, "controllerNamespace");
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
                DEFAULT_COMMANDS_PER_NAMESPACE, Optional.empty());
    }

    /**
     * The settings {@code environment} sets ({@value #ALLOWED_IMAGES}, {@value #CLUSTER_DOMAIN},
     * {@value #COMMAND_THREADS}, {@value #COMMANDS_PER_NAMESPACE}), the {@linkplain #defaults() defaults} for
     * the others.
     *
     * @throws IllegalArgumentException naming every variable that breaks its rule
     */
    public static ControllerSettings fromEnvironment(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        SortedSet<String> images = new TreeSet<>();
        value(environment, ALLOWED_IMAGES).ifPresent(list -> Arrays.stream(list.split(",")).map(String::strip)
                .filter(image -> !image.isEmpty()).forEach(images::add));
        String domain = value(environment, CLUSTER_DOMAIN).orElse(HaSpec.DEFAULT_CLUSTER_DOMAIN);
        int threads = number(environment, COMMAND_THREADS, DEFAULT_COMMAND_THREADS, problems);
        int perNamespace = number(environment, COMMANDS_PER_NAMESPACE, DEFAULT_COMMANDS_PER_NAMESPACE, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid controller settings: " + String.join("; ", problems));
        }
        return new ControllerSettings(images, domain, threads, perNamespace, Optional.empty());
    }

    private static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static int number(Map<String, String> environment, String name, int fallback, List<String> problems) {
        Optional<String> value = value(environment, name);
        try {
            return value.map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException notANumber) {
            problems.add(name + ": must be a whole number, but is '" + value.get() + "'");
            return fallback;
        }
    }

    /**
     * What these settings hold every runtime to when it is translated: this cluster domain, the allowed images
     * besides the engines' defaults, and the controller's namespace among each runtime's clients.
     */
    public Admission admission() {
        return new Admission(Optional.of(clusterDomain), Optional.of(allowedImages), controllerNamespace);
    }

    /** These settings with {@code images} allowed besides the engines' default images. */
    public ControllerSettings withAllowedImages(Set<String> images) {
        return new ControllerSettings(new TreeSet<>(images), clusterDomain, commandThreads, commandsPerNamespace,
                controllerNamespace);
    }

    /** These settings with {@code domain} as the cluster's DNS domain. */
    public ControllerSettings withClusterDomain(String domain) {
        return new ControllerSettings(allowedImages, domain, commandThreads, commandsPerNamespace,
                controllerNamespace);
    }

    /** These settings with other command limits. */
    public ControllerSettings withCommandLimits(int threads, int perNamespace) {
        return new ControllerSettings(allowedImages, clusterDomain, threads, perNamespace, controllerNamespace);
    }

    /**
     * These settings for a controller whose pods run in {@code namespace}: every runtime's NetworkPolicy then
     * lets that namespace reach the masters' client ports too, since the controller's discovery asks each master
     * over HTTP from there (a runtime's policy otherwise opens those ports to the runtime's own namespace only).
     */
    public ControllerSettings withControllerNamespace(String namespace) {
        return new ControllerSettings(allowedImages, clusterDomain, commandThreads, commandsPerNamespace,
                Optional.of(namespace));
    }
}
