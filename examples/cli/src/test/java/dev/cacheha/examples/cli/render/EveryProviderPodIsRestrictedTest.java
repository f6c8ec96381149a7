package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import dev.cacheha.testkit.RestrictedPodCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod template of every installed provider (Alluxio and Jindo here) passes Pod Security "restricted" with
 * requests, a memory limit and startup, readiness and liveness probes on every long-running container, across
 * quorum sizes, journals, resource overrides and secret properties.
 */
class EveryProviderPodIsRestrictedTest {

    private static final HighAvailabilityProviders PROVIDERS = HighAvailabilityProviders.load();

    static Stream<Arguments> plans() {
        List<Arguments> cases = new ArrayList<>();
        for (String engine : PROVIDERS.installed()) {
            for (int replicas : List.of(1, 3, 5)) {
                for (JournalStorage journal : List.of(JournalStorage.persistentVolume("20Gi"),
                        JournalStorage.memory("2Gi"), JournalStorage.disk("5Gi"))) {
                    cases.add(Arguments.of(engine, HaSpec.builder("web-cache", "data").replicas(replicas)
                            .journal(journal).build()));
                }
            }
            cases.add(Arguments.of(engine, HaSpec.builder("web-cache", "data")
                    .resources("master", ProcessResources.of(Map.of("cpu", "2", "memory", "6Gi"),
                            Map.of("cpu", "4", "memory", "8Gi")))
                    .restrictJournalTraffic(false)
                    .build()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("plans")
    void everyPodTemplateIsAdmittedByRestrictedAndProductionReady(String engine, HaSpec spec) {
        // Given a provider's plan
        HaPlan plan = PROVIDERS.get(engine).plan(spec);

        // When each pod template in it is checked
        List<PodSpec> pods = podTemplates(plan);

        // Then there is at least one, and none has a finding
        assertThat(pods).isNotEmpty();
        pods.forEach(pod -> assertThat(RestrictedPodCheck.findings(pod)).as(engine).isEmpty());
    }

    @Test
    void aSecretPropertyIsDeliveredRestrictedOrRefusedForThatFieldAlone() {
        // Given a credential as a secret property, for every provider
        HaSpec.Builder spec = HaSpec.builder("web-cache", "data")
                .secretProperty("fs.s3a.secret.key", "s3-credentials", "secret-key");
        for (String engine : PROVIDERS.installed()) {
            HighAvailabilityProvider provider = PROVIDERS.get(engine);
            try {
                // When the spec is built against the provider and planned, Then its pods still pass
                podTemplates(provider.plan(spec.build(provider)))
                        .forEach(pod -> assertThat(RestrictedPodCheck.findings(pod)).as(engine).isEmpty());
            } catch (SpecValidationException refused) {
                // or it refuses exactly that field, saying why
                assertThat(refused.violations()).as(engine).extracting(Violation::field)
                        .containsExactly("secretProperties[fs.s3a.secret.key]");
            }
        }
        assertThat(PROVIDERS.installed()).contains("alluxio", "jindo");
    }

    private static List<PodSpec> podTemplates(HaPlan plan) {
        List<PodSpec> pods = new ArrayList<>();
        for (HasMetadata object : plan.objects()) {
            if (object instanceof StatefulSet statefulSet) {
                pods.add(statefulSet.getSpec().getTemplate().getSpec());
            }
        }
        return pods;
    }
}
