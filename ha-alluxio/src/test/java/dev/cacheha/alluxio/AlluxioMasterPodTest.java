package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Alluxio plan asks of its pods: resources and heap, the memory journal's room, secret properties. */
class AlluxioMasterPodTest {

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    @Test
    void aDefaultRenderGivesEveryContainerRequestsAndAMemoryLimitAndAHeapBelowIt() {
        // Given a spec that says nothing about resources
        PodSpec pod = podSpec(provider.plan(HaSpec.builder("demo", "cache").build()));

        // Then the master and job master have the documented defaults, and each heap follows its limit
        Container master = pod.getContainers().get(0);
        Container jobMaster = pod.getContainers().get(1);
        assertThat(master.getResources().getRequests()).containsEntry("cpu", new Quantity("1"))
                .containsEntry("memory", new Quantity("2Gi"));
        assertThat(master.getResources().getLimits()).containsOnlyKeys("memory")
                .containsEntry("memory", new Quantity("2Gi"));
        assertThat(javaOptions(master)).endsWith(" -Xmx1228m");
        assertThat(jobMaster.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
        assertThat(jobMaster.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
        assertThat(javaOptions(jobMaster)).endsWith(" -Xmx716m");
        assertThat(pod.getInitContainers()).singleElement()
                .satisfies(init -> assertThat(init.getResources().getLimits()).containsKey("memory"));
    }

    @Test
    void resourcesFromTheSpecReplaceTheDefaultsAndMoveTheHeap() {
        // Given a master limited to 4Gi with a cpu limit
        HaSpec spec = HaSpec.builder("demo", "cache")
                .resources("master", ProcessResources.of(Map.of("cpu", "2"), Map.of("cpu", "4", "memory", "4Gi")))
                .build();

        // Then the container has them, the unnamed memory request is the default, and the heap is 60% of 4Gi
        Container master = podSpec(provider.plan(spec)).getContainers().get(0);
        assertThat(master.getResources().getRequests()).containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("2Gi"));
        assertThat(master.getResources().getLimits()).containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("4Gi"));
        assertThat(javaOptions(master)).endsWith(" -Xmx2457m");
    }

    @Test
    void aMemoryJournalRaisesTheDefaultLimitAndIsLeftOutOfTheHeap() {
        // Given a 2Gi journal in memory and no resources named
        HaSpec spec = HaSpec.builder("demo", "cache").journal(JournalStorage.memory("2Gi")).build();

        // Then the master may use the journal plus 1Gi, and the heap is 60% of what the journal leaves
        Container master = podSpec(provider.plan(spec)).getContainers().get(0);
        assertThat(master.getResources().getLimits()).containsEntry("memory", new Quantity("3072Mi"));
        assertThat(javaOptions(master)).endsWith(" -Xmx614m");
    }

    @Test
    void aMemoryJournalThatDoesNotFitTheNamedLimitIsRefusedWithBothFields() {
        // Given a 2Gi memory journal and a master limited to 2Gi, and an unknown process
        HaSpec spec = HaSpec.builder("demo", "cache").journal(JournalStorage.memory("2Gi"))
                .resources("master", ProcessResources.of(null, Map.of("memory", "2Gi")))
                .build();
        HaSpec unknown = HaSpec.builder("demo", "cache")
                .resources("worker", ProcessResources.of(Map.of("cpu", "1"), null))
                .build();

        // Then the journal's size limit is refused, naming the master's limit; the process name is refused
        assertThat(refusal(spec)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("journal.sizeLimit");
            assertThat(violation.rule()).contains("resources.master.limits.memory", "2Gi", "768Mi");
        });
        assertThat(refusal(unknown)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("resources.worker");
            assertThat(violation.rule()).contains("job-master", "master");
        });
    }

    @Test
    void aSecretPropertyReachesTheInitStepByReferenceAndNoRenderedTextHoldsIt() {
        // Given a credential as a secret property
        HaSpec spec = HaSpec.builder("demo", "cache")
                .secretProperty("s3a.secretKey", "s3-credentials", "secret-key")
                .build();

        // When it is planned
        HaPlan plan = provider.plan(spec);
        PodSpec pod = podSpec(plan);

        // Then the init step takes it from the Secret, the site file and the plan's properties do not name it
        Container init = pod.getInitContainers().get(0);
        assertThat(init.getEnv()).filteredOn(variable -> variable.getValueFrom() != null).singleElement()
                .satisfies(variable -> {
                    assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-credentials");
                    assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret-key");
                    assertThat(variable.getValue()).isNull();
                });
        assertThat(init.getEnv()).extracting(EnvVar::getValue).contains("s3a.secretKey");
        assertThat(plan.properties()).doesNotContainKey("s3a.secretKey");
        assertThat(plan.object(ConfigMap.class).orElseThrow().getData().get("alluxio-site.properties"))
                .doesNotContain("s3a.secretKey");
        // and the engine containers never see the Secret
        assertThat(pod.getContainers()).allSatisfy(container -> assertThat(container.getEnv())
                .allSatisfy(variable -> assertThat(variable.getValueFrom() == null
                        || variable.getValueFrom().getSecretKeyRef() == null).isTrue()));
    }

    @Test
    void referencingAnotherSecretChangesTheConfigurationDigestSoPodsShowAsOutdated() {
        // Given the same credential from two Secrets
        HaSpec first = HaSpec.builder("demo", "cache").secretProperty("s3a.secretKey", "creds-v1", "k").build();
        HaSpec second = first.toBuilder().secretProperty("s3a.secretKey", "creds-v2", "k").build();

        // Then the pod templates' digests differ
        assertThat(digest(provider.plan(first))).isNotEqualTo(digest(provider.plan(second)))
                .isEqualTo(digest(provider.plan(first.toBuilder().build())));
    }

    private static String digest(HaPlan plan) {
        return statefulSet(plan).getSpec().getTemplate().getMetadata().getAnnotations()
                .get("cache-ha.dev/alluxio-site-sha256");
    }

    private List<Violation> refusal(HaSpec spec) {
        return assertThatExceptionOfType(SpecValidationException.class).isThrownBy(() -> provider.validate(spec))
                .actual().violations();
    }

    private static String javaOptions(Container container) {
        return container.getEnv().stream().filter(variable -> variable.getName().endsWith("_JAVA_OPTS"))
                .findFirst().orElseThrow().getValue();
    }

    private static StatefulSet statefulSet(HaPlan plan) {
        return plan.object(StatefulSet.class).orElseThrow();
    }

    private static PodSpec podSpec(HaPlan plan) {
        return statefulSet(plan).getSpec().getTemplate().getSpec();
    }
}
