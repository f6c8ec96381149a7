package dev.cacheha.examples.cacheruntime;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns a CacheRuntime's name, namespace and {@link CacheRuntimeSpec} into the provider and {@link HaSpec} it asks
 * for, collecting every broken rule (the document's own, {@link HaSpec}'s and the provider's) into one
 * {@link SpecValidationException}: the one translation of the document, used by the controller and by
 * {@code cache-ha render}. Field paths are relative to {@code spec} ({@code replicas}, {@code journal.size}),
 * and {@code name} and {@code namespace} for the metadata, as the runtime's status and the CLI report them.
 * With the engine known, its rules are checked in the same pass as the SPI's: one report for all.
 */
public final class CacheRuntimeTranslator {

    private final HighAvailabilityProviders providers;
    private final Admission admission;

    /** A translator that finds providers in {@code providers} and holds runtimes to {@code admission}. */
    public CacheRuntimeTranslator(HighAvailabilityProviders providers, Admission admission) {
        this.providers = requireNonNull(providers, "providers");
        this.admission = requireNonNull(admission, "admission");
    }

    /**
     * The provider and spec of {@code runtime}, a CacheRuntime as the API server stores it.
     *
     * @throws SpecValidationException listing every broken rule
     */
    public TranslatedRuntime translate(CustomResource<CacheRuntimeSpec, ?> runtime) {
        return translate(runtime.getMetadata(), runtime.getSpec());
    }

    /**
     * The provider and spec of the runtime with {@code metadata} (its name and namespace) and {@code spec}.
     *
     * @param spec the runtime's spec; {@code null} reads as an empty one
     * @throws SpecValidationException listing every broken rule
     */
    public TranslatedRuntime translate(ObjectMeta metadata, CacheRuntimeSpec spec) {
        String name = metadata.getName();
        String namespace = metadata.getNamespace();
        CacheRuntimeSpec given = Objects.requireNonNullElseGet(spec, CacheRuntimeSpec::new);
        List<Violation> violations = new ArrayList<>();
        Optional<HighAvailabilityProvider> provider = provider(given.getEngine(), violations);
        Optional<HaSpec> haSpec = haSpec(name, namespace, given, provider, violations);
        admission.clusterDomain().filter(fixed -> given.getClusterDomain() != null
                && !given.getClusterDomain().equals(fixed)).ifPresent(fixed -> violations.add(new Violation(
                        "clusterDomain", "'" + given.getClusterDomain() + "' is not the cluster domain this controller"
                        + " was started with (" + fixed + "): the domain is the controller's setting, not a"
                        + " runtime's, since the controller sends requests to the members' addresses in it; remove"
                        + " spec.clusterDomain")));
        Optional<BackupVolume> backupVolume = backupVolume(given.getBackupVolume(), violations);
        if (violations.isEmpty()) {
            try {
                haSpec = Optional.of(withImage(provider.orElseThrow(), haSpec.orElseThrow(), given.getImage()));
            } catch (SpecValidationException refused) {
                violations.addAll(refused.violations());
            }
        }
        SpecValidationException.throwIfAny(violations);
        return new TranslatedRuntime(provider.orElseThrow(), haSpec.orElseThrow(), backupVolume);
    }

    /**
     * {@code spec} running {@code image}, if the applier runs that image: any image when the admission does not
     * limit them, else the engine's default one (the image of the plan made without it) or an allowed one.
     */
    private HaSpec withImage(HighAvailabilityProvider provider, HaSpec spec, String image) {
        if (image == null) {
            return spec;
        }
        admission.allowedImages().ifPresent(allowed -> {
            SortedSet<String> runs = new TreeSet<>(allowed);
            provider.plan(spec).objects().stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                    .flatMap(set -> set.getSpec().getTemplate().getSpec().getContainers().stream())
                    .forEach(container -> runs.add(container.getImage()));
            if (!runs.contains(image)) {
                throw new SpecValidationException(List.of(new Violation("image", "'" + image + "' is not an image"
                        + " this controller runs; it runs " + runs + " (the engine's default and the images it was"
                        + " started with): remove spec.image, or have the controller started with the image"
                        + " allowed")));
            }
        });
        // Checked by the SPI's rules as it is made; the engine's accepted it without the image, which none of its
        // rules concerns, so it is not validated a second time in this call path.
        return spec.toBuilder().image(image).build();
    }

    private static Optional<BackupVolume> backupVolume(BackupVolumeSpec volume, List<Violation> violations) {
        if (volume == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BackupVolume(volume.claimName(), volume.mountPath()));
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

    /**
     * The spec without its image, which {@link #withImage} checks once every other rule holds; checked against the
     * provider's rules too when the engine is known.
     */
    private Optional<HaSpec> haSpec(String name, String namespace, CacheRuntimeSpec spec,
            Optional<HighAvailabilityProvider> provider, List<Violation> violations) {
        HaSpec.Builder builder = HaSpec.builder(name, namespace);
        if (spec.getReplicas() != null) {
            builder.replicas(spec.getReplicas());
        }
        // A journal this resource cannot describe is reported here; the default stands in for it so that
        // HaSpec still checks every other field in the same round.
        journal(spec.getJournal(), violations).ifPresent(builder::journal);
        builder.clusterDomain(admission.clusterDomain().orElse(
                Objects.requireNonNullElse(spec.getClusterDomain(), HaSpec.DEFAULT_CLUSTER_DOMAIN)));
        entries(spec.getPorts(), "ports.", "", "has no port number", violations).forEach(builder::port);
        entries(spec.getProperties(), "properties[", "]", "has no value", violations).forEach(builder::property);
        entries(spec.getResources(), "resources.", "", "has no requests or limits", violations).forEach(
                (process, resources) -> builder.resources(process, ProcessResources.of(
                        quantities(resources.requests(), "resources." + process + ".requests.", violations),
                        quantities(resources.limits(), "resources." + process + ".limits.", violations))));
        entries(spec.getSecretProperties(), "secretProperties[", "]", "has no secret and key", violations).forEach(
                (key, reference) -> secretProperty(builder, key, reference, violations));
        // The user's clients first, so that a field path clients[i] names the selector the user wrote.
        List<ClientSpec> clients = Objects.requireNonNullElse(spec.getClients(), List.of());
        for (int i = 0; i < clients.size(); i++) {
            ClientSpec client = clients.get(i);
            String field = "clients[" + i + "].";
            if (client == null || client.namespaceLabels() == null) {
                violations.add(new Violation(field + "namespaceLabels", "is required: a selector open to every"
                        + " namespace would open the masters to the whole cluster"));
            } else {
                builder.client(ClientSelector.of(
                        entries(client.namespaceLabels(), field + "namespaceLabels.", "", "has no value", violations),
                        entries(client.podLabels(), field + "podLabels.", "", "has no value", violations)));
            }
        }
        admission.clientNamespace().filter(own -> !own.equals(namespace))
                .ifPresent(own -> builder.client(ClientSelector.namespace(own)));
        // Restricted unless the runtime turns it off: raft ports take no authentication.
        builder.restrictJournalTraffic(!Boolean.FALSE.equals(spec.getRestrictJournalTraffic()));
        try {
            return Optional.of(provider.isPresent() ? builder.build(provider.get()) : builder.build());
        } catch (SpecValidationException broken) {
            violations.addAll(broken.violations());
            return Optional.empty();
        }
    }

    private static void secretProperty(HaSpec.Builder builder, String key, SecretKeySpec reference,
            List<Violation> violations) {
        String field = "secretProperties[" + key + "].";
        if (reference.secret() == null) {
            violations.add(new Violation(field + "secret", "is required: the Secret's name"));
        }
        if (reference.key() == null) {
            violations.add(new Violation(field + "key", "is required: the key in the Secret's data"));
        }
        if (reference.secret() != null && reference.key() != null) {
            builder.secretProperty(key, reference.secret(), reference.key());
        }
    }

    /** The entries of {@code map} with a value, in the order written; each one without is a violation. */
    private static <V> Map<String, V> entries(Map<String, V> map, String prefix, String suffix, String missing,
            List<Violation> violations) {
        Map<String, V> present = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((key, value) -> {
                if (value == null) {
                    violations.add(new Violation(prefix + key + suffix, missing));
                } else {
                    present.put(key, value);
                }
            });
        }
        return present;
    }

    /** Quantities as Kubernetes writes them ({@code 500m}, {@code 2Gi}), for the SPI to check. */
    private static Map<String, String> quantities(Map<String, Quantity> quantities, String prefix,
            List<Violation> violations) {
        Map<String, String> written = new LinkedHashMap<>();
        entries(quantities, prefix, "", "has no quantity", violations).forEach((resource, quantity) ->
                written.put(resource, quantity.toString()));
        return written;
    }

    private static Optional<JournalStorage> journal(JournalSpec journal, List<Violation> violations) {
        if (journal == null) {
            return Optional.empty();
        }
        String type = Objects.requireNonNullElse(journal.type(), JournalSpec.PVC);
        switch (type) {
            case JournalSpec.PVC -> {
                rejectField(journal.sizeLimit(), "journal.sizeLimit", type, violations);
                String size = Objects.requireNonNullElse(journal.size(),
                        ((JournalStorage.PersistentVolume) HaSpec.DEFAULT_JOURNAL).size());
                return Optional.of(new JournalStorage.PersistentVolume(journal.storageClass(), size,
                        journal.accessModes()));
            }
            case JournalSpec.MEMORY, JournalSpec.DISK -> {
                rejectField(journal.storageClass(), "journal.storageClass", type, violations);
                rejectField(journal.size(), "journal.size", type, violations);
                rejectField(journal.accessModes(), "journal.accessModes", type, violations);
                if (journal.sizeLimit() == null) {
                    violations.add(new Violation("journal.sizeLimit", "is required for a " + type
                            + " journal: an emptyDir without a limit can fill the node"
                            + (type.equals(JournalSpec.MEMORY) ? "'s memory" : "'s disk")));
                    return Optional.empty();
                }
                return Optional.of(type.equals(JournalSpec.MEMORY)
                        ? JournalStorage.memory(journal.sizeLimit())
                        : JournalStorage.disk(journal.sizeLimit()));
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
