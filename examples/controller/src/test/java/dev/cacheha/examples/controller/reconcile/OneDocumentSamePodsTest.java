package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.ResourcesSpec;
import dev.cacheha.examples.cacheruntime.SecretKeySpec;
import dev.cacheha.examples.controller.fake.CliRender;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CacheRuntime is one document: the controller applies, and {@code cache-ha render -f} prints, the same pods for
 * it, credentials and resources included, and both refuse an invalid one with the same field paths, since both
 * translate it to HaSpec with the same code. On fabric8's mock API server, which stores what the controller sends as
 * it is sent: a real server adds its defaults to the StatefulSet before anyone reads it, and refuses the invalid
 * runtime here (4 replicas) by the CRD's rule before the controller could translate it.
 */
class OneDocumentSamePodsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    Path temp;

    @Test
    void aRuntimeWithSecretPropertiesAndResourcesGetsTheSamePodsFromTheControllerAsFromTheCli() throws IOException {
        // Given a runtime whose masters read a credential from a Secret and run with their own resources
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, "demo", TestEngine.ALLUXIO.engine(), 3);
        runtime.getSpec().setSecretProperties(Map.of("s3a.secretKey", new SecretKeySpec("s3-credentials",
                "secret-key")));
        runtime.getSpec().setResources(Map.of("master", new ResourcesSpec(Map.of("cpu", new Quantity("2")),
                Map.of("memory", new Quantity("6Gi")))));
        runtime.getSpec().setProperties(Map.of("alluxio.user.file.writetype.default", "CACHE_THROUGH"));

        // When cache-ha render reads it as the manifest kubectl would apply, and the controller reconciles it
        List<HasMetadata> rendered = render(runtime);
        StatefulSet printed = only(rendered, StatefulSet.class);
        ConfigMap printedConfig = only(rendered, ConfigMap.class);
        StatefulSet applied;
        ConfigMap appliedConfig;
        try (ControllerHarness harness = new ControllerHarness(TestEngine.ALLUXIO)) {
            harness.test().resource(runtime).create();
            harness.await("demo", stored -> statefulSet(harness, printed) != null, Duration.ofSeconds(30),
                    "its StatefulSet");
            applied = statefulSet(harness, printed);
            appliedConfig = harness.test().configMaps().inNamespace(NAMESPACE)
                    .withName(printedConfig.getMetadata().getName()).get();
        }

        // Then the pods are the same: the same containers, volumes, Secret references and resources; the
        // controller adds only the digest that rolls the members when the configuration changes
        PodTemplateSpec controllers = applied.getSpec().getTemplate();
        PodTemplateSpec clis = printed.getSpec().getTemplate();
        assertThat(controllers.getSpec()).isEqualTo(clis.getSpec());
        assertThat(controllers.getMetadata().getLabels()).isEqualTo(clis.getMetadata().getLabels());
        Map<String, String> stamped = new TreeMap<>(controllers.getMetadata().getAnnotations());
        assertThat(stamped.remove(ConfigDigest.ANNOTATION)).isNotBlank();
        assertThat(stamped).isEqualTo(new TreeMap<>(
                Objects.requireNonNullElse(clis.getMetadata().getAnnotations(), Map.of())));
        // And what the pods are given is what the spec asked for: the credential as a Secret reference, never a
        // value in the configuration both would apply, and the master's resources
        assertThat(SERIALIZATION.asYaml(clis.getSpec())).contains("s3-credentials").contains("secret-key")
                .contains("6Gi");
        assertThat(appliedConfig.getData()).isEqualTo(printedConfig.getData());
        assertThat(SERIALIZATION.asYaml(appliedConfig)).doesNotContain("s3a.secretKey=");
    }

    @Test
    void anInvalidRuntimeIsRefusedWithTheSameFieldPathsAndRulesOnItsStatusAsByTheCli() throws IOException {
        // Given a runtime that breaks an SPI rule, an engine rule and a rule of the document itself
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, "demo", TestEngine.ALLUXIO.engine(), 4);
        runtime.getSpec().setPorts(Map.of("nosuch", 7000));
        runtime.getSpec().setSecretProperties(Map.of("s3a.secretKey", new SecretKeySpec("s3-credentials", null)));

        // When cache-ha render reads it, and the controller reconciles it
        CliRender cli = CliRender.of(runtime, temp);
        List<String> status;
        try (ControllerHarness harness = new ControllerHarness(TestEngine.ALLUXIO)) {
            harness.test().resource(runtime).create();
            status = harness.await("demo", stored -> stored.getStatus() != null
                    && stored.getStatus().getViolations() != null, Duration.ofSeconds(30), "its violations")
                    .getStatus().getViolations();
        }

        // Then both name the same fields with the same rules: the CLI lists on stderr what the status lists
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(status).extracting(violation -> violation.substring(0, violation.indexOf(':')))
                .containsExactlyInAnyOrder("replicas", "ports.nosuch", "secretProperties[s3a.secretKey].key");
        assertThat(cli.err().lines().skip(1).map(String::strip).toList()).containsExactlyInAnyOrderElementsOf(status);
    }

    private static StatefulSet statefulSet(ControllerHarness harness, StatefulSet named) {
        return harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName(named.getMetadata().getName())
                .get();
    }

    /** What {@code cache-ha render -f} prints for {@code runtime} written out as a manifest. */
    private List<HasMetadata> render(CacheRuntime runtime) throws IOException {
        CliRender run = CliRender.of(runtime, temp);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return Arrays.stream(run.out().split("(?m)^---\\n")).skip(1)
                .map(yaml -> SERIALIZATION.<HasMetadata>unmarshal(yaml)).toList();
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
