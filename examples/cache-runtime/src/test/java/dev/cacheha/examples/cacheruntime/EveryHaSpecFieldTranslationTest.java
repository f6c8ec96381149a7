package dev.cacheha.examples.cacheruntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SecretKeyReference;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every field of HaSpec is in the CacheRuntime document, and the one translation carries it over. */
class EveryHaSpecFieldTranslationTest {

    private static final ObjectMeta SALES = new ObjectMetaBuilder().withName("sales").withNamespace("data").build();

    private static CacheRuntimeSpec alluxio() {
        CacheRuntimeSpec spec = new CacheRuntimeSpec();
        spec.setEngine("alluxio");
        return spec;
    }

    private static CacheRuntimeTranslator translator(Admission admission) {
        return new CacheRuntimeTranslator(HighAvailabilityProviders.load(), admission);
    }

    @Test
    void resourcesSecretPropertiesClientsAndTheTrafficSwitchReachTheHaSpec() {
        // Given a document with every field the CRD once lacked
        CacheRuntimeSpec spec = alluxio();
        spec.setResources(Map.of("master", new ResourcesSpec(Map.of("cpu", new Quantity("500m")),
                Map.of("memory", new Quantity("4Gi")))));
        spec.setSecretProperties(Map.of("s3a.secretKey", new SecretKeySpec("s3-credentials", "secret-key")));
        spec.setClients(List.of(new ClientSpec(Map.of("team", "analytics"), Map.of("app", "spark"))));
        spec.setRestrictJournalTraffic(false);

        // When it is translated as written
        HaSpec translated = translator(Admission.asWritten()).translate(SALES, spec).spec();

        // Then each is in the spec the provider sees
        assertThat(translated.resources()).containsEntry("master", ProcessResources.of(Map.of("cpu", "500m"),
                Map.of("memory", "4Gi")));
        assertThat(translated.secretProperties())
                .containsExactly(Map.entry("s3a.secretKey", new SecretKeyReference("s3-credentials", "secret-key")));
        assertThat(translated.clients()).containsExactly(ClientSelector.of(Map.of("team", "analytics"),
                Map.of("app", "spark")));
        assertThat(translated.restrictJournalTraffic()).isFalse();
    }

    @Test
    void asWrittenTheDocumentKeepsItsClusterDomainAndImageWhichAControllersAdmissionHoldsToItsOwn() {
        // Given a document naming its own cluster domain and image
        CacheRuntimeSpec spec = alluxio();
        spec.setClusterDomain("corp.example");
        spec.setImage("registry.example/alluxio:2.9.6-patched");

        // When it is translated as written, and as a controller for cluster.local without extra images would
        HaSpec asWritten = translator(Admission.asWritten()).translate(SALES, spec).spec();
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator(new Admission(Optional.of("cluster.local"), Optional.of(new TreeSet<>()),
                        Optional.empty())).translate(SALES, spec));

        // Then the first renders what it says; the controller refuses both fields, naming them
        assertThat(asWritten.clusterDomain()).isEqualTo("corp.example");
        assertThat(asWritten.image()).hasValue("registry.example/alluxio:2.9.6-patched");
        assertThat(refused.violations()).extracting(Violation::field).containsExactly("clusterDomain");
    }

    @Test
    void entriesWithoutValuesAreRefusedWithTheirPathsAllAtOnce() {
        // Given a document whose maps hold entries without values, as a YAML "key:" gives them
        CacheRuntimeSpec spec = alluxio();
        Map<String, Quantity> requests = new HashMap<>();
        requests.put("cpu", null);
        spec.setResources(Map.of("master", new ResourcesSpec(requests, null)));
        spec.setSecretProperties(Map.of("s3a.secretKey", new SecretKeySpec("s3-credentials", null)));
        Map<String, String> podLabels = new HashMap<>();
        podLabels.put("app", null);
        spec.setClients(List.of(new ClientSpec(Map.of("team", "analytics"), podLabels),
                new ClientSpec(null, null)));

        // When it is translated
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator(Admission.asWritten()).translate(SALES, spec));

        // Then every one is named, and nothing else
        assertThat(refused.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                "resources.master.requests.cpu", "secretProperties[s3a.secretKey].key",
                "clients[0].podLabels.app", "clients[1].namespaceLabels");
    }
}
