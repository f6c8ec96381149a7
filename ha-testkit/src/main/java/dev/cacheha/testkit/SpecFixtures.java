package dev.cacheha.testkit;

import dev.cacheha.spi.JournalStorage;
import java.util.List;

/**
 * Specs for provider tests: the runtime the kit plans by default, and the shared corpus of specs every
 * provider refuses. Each faulty spec starts from the provider's own valid spec, so only the fault differs.
 */
public final class SpecFixtures {

    /** The namespace of the kit's runtimes. */
    public static final String NAMESPACE = "cache";

    /** The name of the kit's runtime. */
    public static final String NAME = "demo";

    /** A port name no engine uses. */
    public static final String UNKNOWN_PORT = "no-such-port";

    private SpecFixtures() {}

    /** Specs that break an engine-neutral rule, or a rule every engine has (unknown port names). */
    public static List<InvalidSpec> invalidSpecs() {
        return List.of(
                InvalidSpec.of("a name with upper-case letters", "name",
                        specs -> specs.validSpec("Demo", NAMESPACE).build()),
                InvalidSpec.of("a name longer than a DNS label", "name",
                        specs -> specs.validSpec("d".repeat(64), NAMESPACE).build()),
                InvalidSpec.of("a namespace with an underscore", "namespace",
                        specs -> specs.validSpec(NAME, "cache_ns").build()),
                InvalidSpec.of("no masters", "replicas",
                        specs -> specs.validSpec(NAME, NAMESPACE).replicas(0).build()),
                InvalidSpec.of("an even number of masters", "replicas",
                        specs -> specs.validSpec(NAME, NAMESPACE).replicas(4).build()),
                InvalidSpec.of("more masters than a quorum should have", "replicas",
                        specs -> specs.validSpec(NAME, NAMESPACE).replicas(9).build()),
                InvalidSpec.of("a journal size that is not a quantity", "journal.size",
                        specs -> specs.validSpec(NAME, NAMESPACE).journal(JournalStorage.persistentVolume("10Gi!"))
                                .build()),
                InvalidSpec.of("a storage class with spaces", "journal.storageClass",
                        specs -> specs.validSpec(NAME, NAMESPACE)
                                .journal(JournalStorage.persistentVolume("1Gi").withStorageClass("fast ssd")).build()),
                InvalidSpec.of("an unknown access mode", "journal.accessModes[0]",
                        specs -> specs.validSpec(NAME, NAMESPACE)
                                .journal(JournalStorage.persistentVolume("1Gi")
                                        .withAccessModes(List.of("ReadWriteSometimes")))
                                .build()),
                InvalidSpec.of("a memory journal of zero bytes", "journal.sizeLimit",
                        specs -> specs.validSpec(NAME, NAMESPACE).journal(JournalStorage.memory("0")).build()),
                InvalidSpec.of("a cluster domain with an empty label", "clusterDomain",
                        specs -> specs.validSpec(NAME, NAMESPACE).clusterDomain("cluster..local").build()),
                InvalidSpec.of("a port number out of range", "ports",
                        specs -> specs.validSpec(NAME, NAMESPACE).port(UNKNOWN_PORT, 70_000).build()),
                InvalidSpec.of("a port name the engine does not know", "ports",
                        specs -> specs.validSpec(NAME, NAMESPACE).port(UNKNOWN_PORT, 40_000).build()),
                InvalidSpec.of("a property key with a space", "properties[",
                        specs -> specs.validSpec(NAME, NAMESPACE).property("bad key", "x").build()),
                InvalidSpec.of("a property value with a line break", "properties[",
                        specs -> specs.validSpec(NAME, NAMESPACE).property("cache-ha.testkit.note", "a\nb=c").build()),
                InvalidSpec.of("a blank image", "image",
                        specs -> specs.validSpec(NAME, NAMESPACE).image(" ").build()),
                new InvalidSpec("several faults at once, each reported",
                        List.of("replicas", "journal.size", "namespace"),
                        specs -> specs.validSpec(NAME, "Cache").replicas(2)
                                .journal(JournalStorage.persistentVolume("lots")).build()));
    }
}
