package dev.cacheha.examples.cli.render;

import dev.cacheha.examples.cli.EngineChoice;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SecretKeyReference;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A runtime as the user described it, from a spec file or from flags, before any rule is checked. Absent
 * values are {@code null}; {@link #resolve} applies the defaults and checks everything at once.
 *
 * <p>Defaults: namespace {@value #DEFAULT_NAMESPACE}, {@value HaSpec#DEFAULT_REPLICAS} replicas, a {@code pvc}
 * journal of {@value #DEFAULT_PVC_SIZE}, and the defaults of {@link HaSpec} for everything else. The engine
 * and the name have no default.
 *
 * @param engine the engine name
 * @param name the runtime's name
 * @param namespace the runtime's namespace
 * @param replicas the number of masters
 * @param journalType {@code pvc}, {@code memory} or {@code disk}
 * @param storageClass the claims' storage class ({@code pvc} only)
 * @param size the claims' size ({@code pvc} only)
 * @param accessModes the claims' access modes ({@code pvc} only)
 * @param sizeLimit the {@code emptyDir} size limit ({@code memory} and {@code disk} only, required there)
 * @param clusterDomain the cluster's DNS domain
 * @param ports port overrides by port name
 * @param properties extra engine properties
 * @param image the masters' container image
 * @param restrictJournalTraffic whether to render a NetworkPolicy for the journal ports (default: yes)
 * @param resources requests and limits by the engine's process name
 * @param secretProperties engine properties whose values come from a key of a Secret
 */
public record RuntimeInput(
        String engine,
        String name,
        String namespace,
        Integer replicas,
        String journalType,
        String storageClass,
        String size,
        List<String> accessModes,
        String sizeLimit,
        String clusterDomain,
        Map<String, Integer> ports,
        Map<String, String> properties,
        String image,
        Boolean restrictJournalTraffic,
        Map<String, ProcessResources> resources,
        Map<String, SecretKeyReference> secretProperties) {

    /** The namespace of a runtime that names none, as with kubectl. */
    public static final String DEFAULT_NAMESPACE = "default";
    /** The size of a {@code pvc} journal that names none: the default of {@link HaSpec}. */
    public static final String DEFAULT_PVC_SIZE = "10Gi";
    /** The journal types, as written in a spec file and after {@code --journal}. */
    public static final List<String> JOURNAL_TYPES = List.of("pvc", "memory", "disk");

    public RuntimeInput {
        accessModes = accessModes == null ? null : List.copyOf(accessModes);
        // Copied with LinkedHashMap rather than Map.copyOf: the order the user wrote is kept for HaSpec to sort.
        ports = ports == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        properties = properties == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        resources = resources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        secretProperties = secretProperties == null
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(secretProperties));
    }

    /**
     * The provider and the valid spec this input describes.
     *
     * @param providers the installed providers
     * @param earlier problems found while reading the input (unknown fields, wrong types); they are reported
     *     together with every problem found here
     * @throws SpecValidationException listing every problem, {@code earlier} first
     */
    public ResolvedRuntime resolve(HighAvailabilityProviders providers, List<Violation> earlier) {
        List<Violation> violations = new ArrayList<>(earlier);
        Optional<HighAvailabilityProvider> provider = EngineChoice.find(providers, engine, "engine", violations);
        Optional<JournalStorage> journal = journal(violations);
        HaSpec spec = null;
        try {
            HaSpec.Builder builder = HaSpec.builder(name, namespace == null ? DEFAULT_NAMESPACE : namespace)
                    .replicas(replicas == null ? HaSpec.DEFAULT_REPLICAS : replicas)
                    // A journal that could not be described is already reported; the default stands in for it
                    // so that HaSpec still reports every other field instead of "journal: is required".
                    .journal(journal.orElse(HaSpec.DEFAULT_JOURNAL))
                    .clusterDomain(clusterDomain == null ? HaSpec.DEFAULT_CLUSTER_DOMAIN : clusterDomain)
                    .properties(properties)
                    .restrictJournalTraffic(!Boolean.FALSE.equals(restrictJournalTraffic));
            ports.forEach(builder::port);
            resources.forEach(builder::resources);
            secretProperties.forEach((key, reference) ->
                    builder.secretProperty(key, reference.secret(), reference.key()));
            if (image != null) {
                builder.image(image);
            }
            // With the engine known, its rules are checked in the same pass as the SPI's: one report for all.
            spec = provider.isPresent() ? builder.build(provider.get()) : builder.build();
        } catch (SpecValidationException invalid) {
            violations.addAll(invalid.violations());
        }
        SpecValidationException.throwIfAny(violations);
        return new ResolvedRuntime(provider.orElseThrow(), spec);
    }

    private Optional<JournalStorage> journal(List<Violation> violations) {
        String type = journalType == null ? "pvc" : journalType;
        int before = violations.size();
        if (type.equals("pvc")) {
            if (sizeLimit != null) {
                violations.add(new Violation("journal.sizeLimit", "applies to memory and disk journals only;"
                        + " a pvc journal takes journal.size"));
            }
            if (violations.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new JournalStorage.PersistentVolume(
                    storageClass, size == null ? DEFAULT_PVC_SIZE : size, accessModes));
        }
        if (!JOURNAL_TYPES.contains(type)) {
            violations.add(new Violation("journal.type", "\"" + type + "\" is not a journal type; use one of "
                    + JOURNAL_TYPES));
            return Optional.empty();
        }
        rejectClaimField("journal.storageClass", storageClass, type, violations);
        rejectClaimField("journal.size", size, type, violations);
        rejectClaimField("journal.accessModes", accessModes, type, violations);
        if (sizeLimit == null) {
            violations.add(new Violation("journal.sizeLimit", "is required for a " + type + " journal: it caps"
                    + (type.equals("memory") ? " the memory" : " the node disk") + " the journal may use"));
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        return Optional.of(type.equals("memory") ? JournalStorage.memory(sizeLimit) : JournalStorage.disk(sizeLimit));
    }

    private static void rejectClaimField(String field, Object value, String type, List<Violation> violations) {
        if (value != null) {
            violations.add(new Violation(field, "applies to pvc journals only, not to a " + type + " journal"));
        }
    }

    /**
     * A checked runtime: the provider of its engine and its spec.
     *
     * @param provider the engine's provider
     * @param spec the spec, valid for the provider
     */
    public record ResolvedRuntime(HighAvailabilityProvider provider, HaSpec spec) {
        public ResolvedRuntime {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(spec, "spec");
        }
    }
}
