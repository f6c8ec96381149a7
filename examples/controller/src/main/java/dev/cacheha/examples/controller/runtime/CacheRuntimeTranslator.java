package dev.cacheha.examples.controller.runtime;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns a {@link CacheRuntime} into the provider and {@link HaSpec} it asks for, collecting every broken rule
 * (the resource's own, {@link HaSpec}'s and the provider's) into one {@link SpecValidationException}.
 *
 * <p>The provider's own rules need a spec that passed the engine-neutral ones, so a runtime that breaks both
 * kinds hears of the provider's in the round after it fixed the others.
 */
public final class CacheRuntimeTranslator {

    private final HighAvailabilityProviders providers;
    private final ControllerSettings settings;

    /** A translator that finds providers in {@code providers}, with the default {@link ControllerSettings}. */
    public CacheRuntimeTranslator(HighAvailabilityProviders providers) {
        this(providers, ControllerSettings.defaults());
    }

    /**
     * A translator that finds providers in {@code providers} and holds runtimes to {@code settings}: the cluster
     * domain is the controller's, and an image is one of the engine's default or of the allowed ones.
     */
    public CacheRuntimeTranslator(HighAvailabilityProviders providers, ControllerSettings settings) {
        this.providers = requireNonNull(providers, "providers");
        this.settings = requireNonNull(settings, "settings");
    }

    /**
     * The provider and spec of {@code runtime}.
     *
     * @throws SpecValidationException listing every broken rule, with field paths relative to {@code spec}
     *     (and {@code name}, {@code namespace} for the metadata)
     */
    public TranslatedRuntime translate(CacheRuntime runtime) {
        CacheRuntimeSpec spec = Objects.requireNonNullElseGet(runtime.getSpec(), CacheRuntimeSpec::new);
        List<Violation> violations = new ArrayList<>();
        Optional<HighAvailabilityProvider> provider = provider(spec.getEngine(), violations);
        Optional<HaSpec> haSpec = haSpec(runtime, spec, violations);
        if (spec.getClusterDomain() != null && !spec.getClusterDomain().equals(settings.clusterDomain())) {
            violations.add(new Violation("clusterDomain", "'" + spec.getClusterDomain() + "' is not the cluster"
                    + " domain this controller was started with (" + settings.clusterDomain() + "): the domain is"
                    + " the controller's setting, not a runtime's, since the controller sends requests to the"
                    + " members' addresses in it; remove spec.clusterDomain"));
        }
        Optional<BackupVolume> backupVolume = backupVolume(spec.getBackupVolume(), violations);
        if (violations.isEmpty()) {
            try {
                provider.orElseThrow().validate(haSpec.orElseThrow());
                haSpec = Optional.of(withImage(provider.orElseThrow(), haSpec.orElseThrow(), spec.getImage()));
            } catch (SpecValidationException refused) {
                violations.addAll(refused.violations());
            }
        }
        SpecValidationException.throwIfAny(violations);
        return new TranslatedRuntime(provider.orElseThrow(), haSpec.orElseThrow(), backupVolume);
    }

    /**
     * {@code spec} running {@code image}, if the controller runs that image: the engine's default one (the image
     * of the plan made without it) or one of the allowed images. Anyone who may create a runtime would otherwise
     * run an image of their choice with the masters' volumes mounted.
     */
    private HaSpec withImage(HighAvailabilityProvider provider, HaSpec spec, String image) {
        if (image == null) {
            return spec;
        }
        SortedSet<String> runs = new TreeSet<>(settings.allowedImages());
        provider.plan(spec).objects().stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                .flatMap(set -> set.getSpec().getTemplate().getSpec().getContainers().stream())
                .forEach(container -> runs.add(container.getImage()));
        if (!runs.contains(image)) {
            throw new SpecValidationException(List.of(new Violation("image", "'" + image + "' is not an image this"
                    + " controller runs; it runs " + runs + " (the engine's default and the images it was started"
                    + " with): remove spec.image, or have the controller started with the image allowed")));
        }
        HaSpec chosen = spec.toBuilder().image(image).build();
        provider.validate(chosen);
        return chosen;
    }

    private static Optional<BackupVolume> backupVolume(BackupVolumeSpec volume, List<Violation> violations) {
        if (volume == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BackupVolume(volume.getClaimName(), volume.getMountPath()));
        } catch (SpecValidationException broken) {
            violations.addAll(broken.violations());
            return Optional.empty();
        }
    }

    private Optional<HighAvailabilityProvider> provider(String engine, List<Violation> violations) {
        if (engine == null || engine.isBlank()) {
            violations.add(new Violation("engine", "is required; installed engines: " + providers.installed()));
            return Optional.empty();
        }
        try {
            return Optional.of(providers.get(engine));
        } catch (NoSuchElementException unknown) {
            violations.add(new Violation("engine", unknown.getMessage()));
            return Optional.empty();
        }
    }

    /** The spec without its image, which {@link #withImage} checks once the provider's own rules hold. */
    private Optional<HaSpec> haSpec(CacheRuntime runtime, CacheRuntimeSpec spec, List<Violation> violations) {
        HaSpec.Builder builder = HaSpec.builder(runtime.getMetadata().getName(), runtime.getMetadata().getNamespace());
        if (spec.getReplicas() != null) {
            builder.replicas(spec.getReplicas());
        }
        // A journal this resource cannot describe is reported here; the default stands in for it so that
        // HaSpec still checks every other field in the same round.
        journal(spec.getJournal(), violations).ifPresent(builder::journal);
        builder.clusterDomain(settings.clusterDomain());
        settings.controllerNamespace().filter(namespace -> !namespace.equals(runtime.getMetadata().getNamespace()))
                .ifPresent(namespace -> builder.client(ClientSelector.namespace(namespace)));
        if (spec.getPorts() != null) {
            spec.getPorts().forEach((name, port) -> {
                if (port == null) {
                    violations.add(new Violation("ports." + name, "has no port number"));
                } else {
                    builder.port(name, port);
                }
            });
        }
        if (spec.getProperties() != null) {
            spec.getProperties().forEach((key, value) -> {
                if (value == null) {
                    violations.add(new Violation("properties[" + key + "]", "has no value"));
                } else {
                    builder.property(key, value);
                }
            });
        }
        // Restricted unless the runtime turns it off: raft ports take no authentication.
        builder.restrictJournalTraffic(!Boolean.FALSE.equals(spec.getRestrictJournalTraffic()));
        try {
            return Optional.of(builder.build());
        } catch (SpecValidationException broken) {
            violations.addAll(broken.violations());
            return Optional.empty();
        }
    }

    private static Optional<JournalStorage> journal(JournalSpec journal, List<Violation> violations) {
        if (journal == null) {
            return Optional.empty();
        }
        String type = Objects.requireNonNullElse(journal.getType(), JournalSpec.PVC);
        switch (type) {
            case JournalSpec.PVC -> {
                rejectField(journal.getSizeLimit(), "journal.sizeLimit", type, violations);
                String size = Objects.requireNonNullElse(journal.getSize(),
                        ((JournalStorage.PersistentVolume) HaSpec.DEFAULT_JOURNAL).size());
                return Optional.of(new JournalStorage.PersistentVolume(journal.getStorageClass(), size,
                        journal.getAccessModes()));
            }
            case JournalSpec.MEMORY, JournalSpec.DISK -> {
                rejectField(journal.getStorageClass(), "journal.storageClass", type, violations);
                rejectField(journal.getSize(), "journal.size", type, violations);
                rejectField(journal.getAccessModes(), "journal.accessModes", type, violations);
                if (journal.getSizeLimit() == null) {
                    violations.add(new Violation("journal.sizeLimit", "is required for a " + type
                            + " journal: an emptyDir without a limit can fill the node"
                            + (type.equals(JournalSpec.MEMORY) ? "'s memory" : "'s disk")));
                    return Optional.empty();
                }
                return Optional.of(type.equals(JournalSpec.MEMORY)
                        ? JournalStorage.memory(journal.getSizeLimit())
                        : JournalStorage.disk(journal.getSizeLimit()));
            }
            default -> {
                violations.add(new Violation("journal.type", "\"" + type + "\" is not a journal type; use "
                        + JournalSpec.PVC + ", " + JournalSpec.MEMORY + " or " + JournalSpec.DISK));
                return Optional.empty();
            }
        }
    }

    /** A field of another journal type would be silently ignored; saying so saves a user a puzzled hour. */
    private static void rejectField(Object value, String field, String type, List<Violation> violations) {
        if (value != null) {
            violations.add(new Violation(field, "does not apply to a " + type + " journal; remove it"));
        }
    }
}
