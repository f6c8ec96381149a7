package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.validSpec;
import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link HaSpec} and {@link JournalStorage} as values: their defaults, immutability, ordering and copies. */
class HaSpecTest {

    @Test
    void aBuilderToldNothingGivesThreeMastersOnA10GiStandardVolumeInClusterLocalWithJournalTrafficRestricted() {
        // Given a builder told only the name and namespace
        // When it builds
        HaSpec spec = HaSpec.builder("cache", "fluid").build();

        // Then every other field has its documented default
        assertThat(spec.replicas()).isEqualTo(3);
        assertThat(spec.journal()).isEqualTo(new JournalStorage.PersistentVolume("standard", "10Gi",
                List.of("ReadWriteOnce")));
        assertThat(spec.clusterDomain()).isEqualTo("cluster.local");
        assertThat(spec.ports()).isEmpty();
        assertThat(spec.properties()).isEmpty();
        assertThat(spec.image()).isEmpty();
        assertThat(spec.restrictJournalTraffic()).isTrue();
        assertThat(spec.resources()).isEmpty();
        assertThat(spec.secretProperties()).isEmpty();
    }

    @Test
    void theCanonicalConstructorFillsInEveryOmittedOptionalField() {
        HaSpec spec = new HaSpec("cache", "fluid", 1, JournalStorage.memory("1Gi"), null, null, null, null, false);

        assertThat(spec.clusterDomain()).isEqualTo(HaSpec.DEFAULT_CLUSTER_DOMAIN);
        assertThat(spec.ports()).isEmpty();
        assertThat(spec.properties()).isEmpty();
        assertThat(spec.image()).isEqualTo(Optional.empty());
    }

    @Test
    void aNullClusterDomainFromTheBuilderMeansTheDefault() {
        assertThat(validSpec().clusterDomain(null).build().clusterDomain()).isEqualTo("cluster.local");
    }

    @Test
    void aPersistentVolumeToldNoClassOrModesIsStandardAndReadWriteOnce() {
        // Given persistent journals without storage class or access modes, null or empty
        JournalStorage.PersistentVolume bySize = JournalStorage.persistentVolume("5Gi");
        JournalStorage.PersistentVolume withEmptyModes = new JournalStorage.PersistentVolume(null, "5Gi", List.of());

        // Then both use the standard class and ReadWriteOnce
        assertThat(bySize.storageClass()).isEqualTo("standard").isEqualTo(JournalStorage.DEFAULT_STORAGE_CLASS);
        assertThat(bySize.accessModes()).containsExactly("ReadWriteOnce");
        assertThat(withEmptyModes).isEqualTo(bySize);
    }

    @Test
    void emptyDirJournalsNameTheirKubernetesMedium() {
        assertThat(JournalStorage.memory("2Gi")).isEqualTo(
                new JournalStorage.EmptyDir(JournalStorage.EmptyDir.Medium.MEMORY, "2Gi"));
        assertThat(JournalStorage.disk("2Gi").medium()).isEqualTo(JournalStorage.EmptyDir.Medium.DISK);
        assertThat(JournalStorage.EmptyDir.Medium.MEMORY.kubernetesValue()).isEqualTo("Memory");
        assertThat(JournalStorage.EmptyDir.Medium.DISK.kubernetesValue()).isEmpty();
    }

    @Test
    void aJournalWithoutSizeOrMediumCannotBeMade() {
        assertThatNullPointerException().isThrownBy(() -> JournalStorage.persistentVolume(null))
                .withMessage("size");
        assertThatNullPointerException().isThrownBy(() -> JournalStorage.memory(null)).withMessage("sizeLimit");
        assertThatNullPointerException().isThrownBy(() -> new JournalStorage.EmptyDir(null, "1Gi"))
                .withMessage("medium");
    }

    @Test
    void aPersistentVolumeKeepsItsOwnCopyOfTheAccessModes() {
        // Given access modes in a list the caller keeps changing
        List<String> modes = new ArrayList<>(List.of("ReadWriteOnce"));
        JournalStorage.PersistentVolume volume = JournalStorage.persistentVolume("1Gi").withAccessModes(modes);

        // When the caller changes its list
        modes.add("ReadOnlyMany");

        // Then the volume is unchanged and its own list refuses changes
        assertThat(volume.accessModes()).containsExactly("ReadWriteOnce");
        assertThatThrownBy(() -> volume.accessModes().add("ReadWriteMany"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theMapsOfASpecRefuseChanges() {
        HaSpec spec = validSpec().port("rpc", 19998).property("k", "v").build();

        assertThatThrownBy(() -> spec.ports().put("web", 19999)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.properties().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void changingTheCallersMapOrTheBuilderAfterBuildingDoesNotChangeTheSpec() {
        // Given a spec built from a map the caller keeps, and the builder it came from
        Map<String, String> properties = new HashMap<>(Map.of("k", "v"));
        HaSpec.Builder builder = validSpec().properties(properties);
        HaSpec spec = builder.build();

        // When the caller changes its map and goes on using the builder
        properties.put("k", "changed");
        properties.put("extra", "x");
        builder.property("later", "x").port("rpc", 1);

        // Then the spec does not see the changes
        assertThat(spec.properties()).containsExactly(Map.entry("k", "v"));
        assertThat(spec.ports()).isEmpty();
    }

    @Test
    void theConstructorCopiesTheMapsItIsGiven() {
        // Given sorted maps the caller keeps references to
        TreeMap<String, Integer> ports = new TreeMap<>(Map.of("rpc", 19998));
        TreeMap<String, String> properties = new TreeMap<>(Map.of("k", "v"));
        HaSpec spec = new HaSpec("cache", "fluid", 3, HaSpec.DEFAULT_JOURNAL, null, ports, properties,
                Optional.empty(), false);

        // When the caller changes them
        ports.put("web", 19999);
        properties.put("k", "changed");

        // Then the spec is unchanged
        assertThat(spec.ports()).containsExactly(Map.entry("rpc", 19998));
        assertThat(spec.properties()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void nullKeysOrValuesAreRefusedAtOnce() {
        TreeMap<String, String> withNullValue = new TreeMap<>();
        withNullValue.put("k", null);

        assertThatNullPointerException()
                .isThrownBy(() -> new HaSpec("cache", "fluid", 3, HaSpec.DEFAULT_JOURNAL, null, null, withNullValue,
                        Optional.empty(), false))
                .withMessage("value of k");
        assertThatNullPointerException().isThrownBy(() -> validSpec().property("k", null));
        assertThatNullPointerException().isThrownBy(() -> validSpec().port(null, 1));
    }

    @Test
    void portsAndPropertiesAreSortedByKeyWhateverTheInsertionOrder() {
        // Given two builders fed the same ports and properties in opposite orders
        HaSpec forwards = validSpec().port("rpc", 1).port("journal", 2).port("web", 3)
                .property("b", "2").property("a", "1").property("c", "3").build();
        HaSpec backwards = validSpec().port("web", 3).port("journal", 2).port("rpc", 1)
                .property("c", "3").property("a", "1").property("b", "2").build();

        // Then the specs are equal and iterate their keys in sorted order
        assertThat(backwards).isEqualTo(forwards).hasSameHashCodeAs(forwards);
        assertThat(forwards.ports().keySet()).containsExactly("journal", "rpc", "web");
        assertThat(backwards.properties().keySet()).containsExactly("a", "b", "c");
    }

    @Test
    void aLaterPropertyOrPortReplacesAnEarlierOneWithTheSameName() {
        HaSpec spec = validSpec().property("k", "first").properties(Map.of("k", "second"))
                .port("rpc", 1).port("rpc", 2).build();

        assertThat(spec.properties()).containsExactly(Map.entry("k", "second"));
        assertThat(spec.ports()).containsExactly(Map.entry("rpc", 2));
    }

    @Test
    void toBuilderRebuildsAnEqualSpec() {
        // Given a spec with every field away from its default
        HaSpec spec = HaSpec.builder("cache", "fluid")
                .replicas(5)
                .journal(JournalStorage.persistentVolume("20Gi").withStorageClass("fast")
                        .withAccessModes(List.of("ReadWriteOncePod")))
                .clusterDomain("corp.example")
                .port("rpc", 19998)
                .property("k", "v")
                .image("alluxio/alluxio:2.9.6")
                .restrictJournalTraffic(true)
                .build();

        // When it is rebuilt through its builder
        HaSpec rebuilt = spec.toBuilder().build();

        // Then the copy is equal, and changes to the copy's builder do not reach the original
        assertThat(rebuilt).isEqualTo(spec);
        HaSpec changed = spec.toBuilder().property("other", "x").port("web", 19999).build();
        assertThat(changed.properties()).containsOnlyKeys("k", "other");
        assertThat(spec.properties()).containsOnlyKeys("k");
        assertThat(spec.ports()).containsOnlyKeys("rpc");
    }

    @Test
    void withReplicasChangesOnlyTheReplicaCountAndValidatesIt() {
        HaSpec spec = validSpec().property("k", "v").build();

        HaSpec five = spec.withReplicas(5);

        assertThat(five.replicas()).isEqualTo(5);
        assertThat(five.toBuilder().replicas(3).build()).isEqualTo(spec);
        assertThat(violationsOf(spec.toBuilder().replicas(4))).extracting(Violation::field)
                .containsExactly("replicas");
        assertThatThrownBy(() -> spec.withReplicas(4)).isInstanceOf(SpecValidationException.class);
    }

    @Test
    void portGivesTheOverrideOrTheEnginesDefault() {
        HaSpec spec = validSpec().port("rpc", 20000).build();

        assertThat(spec.port("rpc", 19998)).isEqualTo(20000);
        assertThat(spec.port("web", 19999)).isEqualTo(19999);
    }
}
