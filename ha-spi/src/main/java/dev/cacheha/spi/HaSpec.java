package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a controller asks of a cache runtime's masters, in engine-neutral terms. Immutable and always valid:
 * the canonical constructor checks every rule of {@link SpecRules} and throws one
 * {@link SpecValidationException} listing every violation, so no provider ever sees a half-valid spec.
 * Engine-specific rules (reserved properties, known port names, the length of the engine's object names) are
 * checked by {@link HighAvailabilityProvider#validate(HaSpec)}; {@link Builder#build(HighAvailabilityProvider)}
 * checks both kinds in one pass and reports every violation of either at once. That is done once per call path,
 * where the spec enters it: the provider's operations take the accepted spec and do not check it again.
 *
 * <p>Maps are copied into sorted maps, so two specs with the same content render the same plan whatever
 * order the caller inserted them in.
 *
 * @param name the runtime's name, a DNS-1123 label; objects are named after it
 * @param namespace the runtime's namespace, a DNS-1123 label
 * @param replicas how many masters form the quorum: 1, 3, 5 or 7
 * @param journal where each master keeps its journal
 * @param clusterDomain the cluster's DNS domain, {@value #DEFAULT_CLUSTER_DOMAIN} unless set
 * @param ports port overrides by the engine's port name (for example {@code rpc}, {@code journal})
 * @param properties extra engine properties; they win over generated ones except where the provider must
 *     own a property, which the provider reports as a violation
 * @param image the container image for the masters, if the controller does not choose one itself
 * @param restrictJournalTraffic whether the plan includes a NetworkPolicy that opens the journal ports to
 *     this runtime's masters only and every other port to this namespace and the {@code clients}; on unless
 *     switched off, since raft ports take no authentication
 * @param resources requests and limits by the engine's process name (for Alluxio {@code master} and
 *     {@code job-master}); what a process does not name comes from the engine's documented defaults
 * @param secretProperties engine properties whose values come from a key of a Secret in the runtime's
 *     namespace; the plan names the Secret, never the value
 * @param clients pods of other namespaces that may reach the masters' client ports (every port but the journal
 *     ports) when the plan restricts traffic; pods of the runtime's own namespace always may. Empty unless set;
 *     kept sorted, without repeats
 */
public record HaSpec(
        String name,
        String namespace,
        int replicas,
        JournalStorage journal,
        String clusterDomain,
        SortedMap<String, Integer> ports,
        SortedMap<String, String> properties,
        Optional<String> image,
        boolean restrictJournalTraffic,
        SortedMap<String, ProcessResources> resources,
        SortedMap<String, SecretKeyReference> secretProperties,
        List<ClientSelector> clients) {

    /** The rules of a spec checked without a provider: the SPI's alone. */
    private static final EngineRules NO_ENGINE = EngineRules.none("any engine");

    /** The cluster domain used when none is given. */
    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

    /**
     * The largest quorum a spec may ask for. Every journal write waits for a majority, so more masters only
     * slow writes. It also bounds the StatefulSet ordinals a runtime can ever have had.
     */
    public static final int MAX_REPLICAS = 7;

    /** The replica count of a builder that is not told otherwise: the smallest quorum that survives a loss. */
    public static final int DEFAULT_REPLICAS = 3;

    /** The journal of a builder that is not told otherwise. */
    public static final JournalStorage DEFAULT_JOURNAL = JournalStorage.persistentVolume("10Gi");

    /**
     * Checks every rule and copies every collection.
     *
     * @throws SpecValidationException listing every violation, if any rule is broken
     */
    public HaSpec {
        clusterDomain = clusterDomain == null ? DEFAULT_CLUSTER_DOMAIN : clusterDomain;
        ports = sortedCopy(ports);
        properties = sortedCopy(properties);
        image = image == null ? Optional.empty() : image;
        resources = sortedCopy(resources);
        secretProperties = sortedCopy(secretProperties);
        List<ClientSelector> given = clients == null ? List.of() : List.copyOf(clients);
        List<Violation> violations = new ArrayList<>(SpecRules.check(name, namespace, replicas, journal,
                clusterDomain, ports, properties, image, resources, secretProperties, NO_ENGINE));
        // Checked in the order given, so a field path names the selector the caller wrote.
        violations.addAll(ClientRules.check(given));
        SpecValidationException.throwIfAny(violations);
        // Sorted and without repeats: equal sets of clients render equal policies.
        clients = given.stream().distinct()
                .sorted(Comparator.comparing((ClientSelector c) -> c.namespaceLabels().toString())
                        .thenComparing(c -> c.podLabels().toString()))
                .toList();
    }

    /**
     * A spec without client selectors, as specs were before that field existed.
     *
     * @throws SpecValidationException listing every violation, if any rule is broken
     */
    public HaSpec(String name, String namespace, int replicas, JournalStorage journal, String clusterDomain,
            SortedMap<String, Integer> ports, SortedMap<String, String> properties, Optional<String> image,
            boolean restrictJournalTraffic, SortedMap<String, ProcessResources> resources,
            SortedMap<String, SecretKeyReference> secretProperties) {
        this(name, namespace, replicas, journal, clusterDomain, ports, properties, image, restrictJournalTraffic,
                resources, secretProperties, null);
    }

    /**
     * A spec without resource overrides or secret properties, as specs were before those fields existed.
     *
     * @throws SpecValidationException listing every violation, if any rule is broken
     */
    public HaSpec(String name, String namespace, int replicas, JournalStorage journal, String clusterDomain,
            SortedMap<String, Integer> ports, SortedMap<String, String> properties, Optional<String> image,
            boolean restrictJournalTraffic) {
        this(name, namespace, replicas, journal, clusterDomain, ports, properties, image, restrictJournalTraffic,
                null, null, null);
    }

    /** The resources the spec names for {@code process}; {@link ProcessResources#NONE} if it names none. */
    public ProcessResources resources(String process) {
        return resources.getOrDefault(process, ProcessResources.NONE);
    }

    /** A builder for a runtime {@code name} in {@code namespace}, with every other field at its default. */
    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /** A builder that starts from this spec. */
    public Builder toBuilder() {
        Builder builder = new Builder(name, namespace)
                .replicas(replicas)
                .journal(journal)
                .clusterDomain(clusterDomain)
                .restrictJournalTraffic(restrictJournalTraffic);
        builder.ports.putAll(ports);
        builder.properties.putAll(properties);
        builder.resources.putAll(resources);
        builder.secretProperties.putAll(secretProperties);
        builder.clients.addAll(clients);
        image.ifPresent(builder::image);
        return builder;
    }

    /** This spec with another replica count. */
    public HaSpec withReplicas(int newReplicas) {
        return toBuilder().replicas(newReplicas).build();
    }

    /** The port override named {@code portName}, or {@code defaultPort} when the spec does not override it. */
    public int port(String portName, int defaultPort) {
        return ports.getOrDefault(portName, defaultPort);
    }

    private static <V> SortedMap<String, V> sortedCopy(Map<String, V> map) {
        if (map == null) {
            return Collections.emptySortedMap();
        }
        map.forEach((key, value) -> {
            requireNonNull(key, "map key");
            requireNonNull(value, () -> "value of " + key);
        });
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** Builds an {@link HaSpec}; {@link #build()} validates everything at once. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String namespace;
        private int replicas = DEFAULT_REPLICAS;
        private JournalStorage journal = DEFAULT_JOURNAL;
        private String clusterDomain = DEFAULT_CLUSTER_DOMAIN;
        private final Map<String, Integer> ports = new LinkedHashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String image;
        private boolean restrictJournalTraffic = true;
        private final Map<String, ProcessResources> resources = new LinkedHashMap<>();
        private final Map<String, SecretKeyReference> secretProperties = new LinkedHashMap<>();
        private final List<ClientSelector> clients = new ArrayList<>();

        private Builder(String name, String namespace) {
            this.name = name;
            this.namespace = namespace;
        }

        /** How many masters: 1, 3, 5 or 7. Default {@value HaSpec#DEFAULT_REPLICAS}. */
        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /** Where the journal lives. Default: a 10Gi PersistentVolume in storage class {@code standard}. */
        public Builder journal(JournalStorage journal) {
            this.journal = journal;
            return this;
        }

        /** The cluster's DNS domain. Default {@value HaSpec#DEFAULT_CLUSTER_DOMAIN}. */
        public Builder clusterDomain(String clusterDomain) {
            this.clusterDomain = clusterDomain;
            return this;
        }

        /** Overrides the engine's port {@code portName}. */
        public Builder port(String portName, int port) {
            ports.put(requireNonNull(portName, "portName"), port);
            return this;
        }

        /** Adds an engine property; a later call with the same key replaces the value. */
        public Builder property(String key, String value) {
            properties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** Adds engine properties; later values replace earlier ones with the same key. */
        public Builder properties(Map<String, String> more) {
            more.forEach(this::property);
            return this;
        }

        /** The container image of the masters. */
        public Builder image(String image) {
            this.image = image;
            return this;
        }

        /**
         * Whether to render a NetworkPolicy that opens the journal ports to this runtime's masters only and
         * every other port to this namespace and the {@linkplain #client clients}. Default {@code true}: anything
         * that reaches a raft port can vote or append to the journal, and with Alluxio's default SIMPLE
         * authentication anything that reaches the rpc port can change the quorum's membership.
         */
        public Builder restrictJournalTraffic(boolean restrict) {
            this.restrictJournalTraffic = restrict;
            return this;
        }

        /** Sets the resources of the engine's process {@code process}, replacing what was set for it before. */
        public Builder resources(String process, ProcessResources processResources) {
            resources.put(requireNonNull(process, "process"), requireNonNull(processResources, "resources"));
            return this;
        }

        /**
         * Takes engine property {@code key}'s value from key {@code secretKey} of Secret {@code secret} in the
         * runtime's namespace; a later call with the same key replaces the reference.
         */
        public Builder secretProperty(String key, String secret, String secretKey) {
            secretProperties.put(requireNonNull(key, "key"), new SecretKeyReference(secret, secretKey));
            return this;
        }

        /** Lets {@code client}'s pods reach the masters' client ports; see {@link HaSpec#clients()}. */
        public Builder client(ClientSelector client) {
            clients.add(requireNonNull(client, "client"));
            return this;
        }

        /**
         * Builds the spec.
         *
         * @throws SpecValidationException listing every broken rule
         */
        public HaSpec build() {
            return new HaSpec(name, namespace, replicas, journal, clusterDomain, sortedCopy(ports),
                    sortedCopy(properties), Optional.ofNullable(image), restrictJournalTraffic,
                    sortedCopy(resources), sortedCopy(secretProperties), clients);
        }

        /**
         * Builds the spec and checks it against {@code provider} too: the SPI's rules and the engine's
         * {@linkplain HighAvailabilityProvider#rules() declared rules} in one pass, so one exception lists every
         * violation of either kind (an even replica count, an unknown port name and an unknown process name
         * together). Rules a provider checks beyond its declared ones ({@link HighAvailabilityProvider#validate})
         * need a spec that obeys all of these, so they run once these pass.
         *
         * @throws SpecValidationException listing every broken rule, the SPI's first
         */
        public HaSpec build(HighAvailabilityProvider provider) {
            requireNonNull(provider, "provider");
            EngineRules rules = requireNonNull(provider.rules(), () -> provider.engine() + " provider's rules()");
            List<Violation> violations = new ArrayList<>(SpecRules.check(name, namespace, replicas, journal,
                    clusterDomain == null ? DEFAULT_CLUSTER_DOMAIN : clusterDomain, sortedCopy(ports),
                    sortedCopy(properties), Optional.ofNullable(image), sortedCopy(resources),
                    sortedCopy(secretProperties), rules));
            violations.addAll(ClientRules.check(clients));
            SpecValidationException.throwIfAny(violations);
            HaSpec spec = build();
            provider.validate(spec);
            return spec;
        }
    }
}
