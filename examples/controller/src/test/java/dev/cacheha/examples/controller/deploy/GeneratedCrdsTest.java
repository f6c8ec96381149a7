package dev.cacheha.examples.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs under {@code deploy/} are what fabric8's CRD generator makes of the resource classes (their schema, CEL
 * rules and printer columns are annotations on the types), so the types and the manifests cannot drift.
 *
 * <p>After an intended change to the types, write the CRDs again and review the diff before committing:
 * {@code mvn -B -o -q -pl examples/controller -am verify -Dcrd.update=true -Dtest=GeneratedCrdsTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GeneratedCrdsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final boolean UPDATE = Boolean.getBoolean("crd.update");

    @TempDir
    Path generated;

    static Stream<Arguments> crds() {
        return Stream.of(Arguments.of(CacheRuntime.class, "crd.yaml"),
                Arguments.of(CacheRuntimeBackup.class, "crd-backup.yaml"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("crds")
    void theDeployedCrdIsWhatTheGeneratorMakesOfTheResourceClass(Class<? extends HasMetadata> kind, String file)
            throws IOException {
        // Given the resource class, When fabric8's CRD generator writes its CRD
        new CRDGenerator().customResourceClasses(kind).forCRDVersions("v1").inOutputDir(generated.toFile())
                .generate();
        String expected = Files.readString(generated.resolve(
                CRDGenerator.getOutputName(HasMetadata.getFullResourceName(kind), "v1") + ".yml"),
                StandardCharsets.UTF_8);
        if (UPDATE) {
            Files.writeString(DEPLOY.resolve(file), expected, StandardCharsets.UTF_8);
        }

        // Then deploy/ holds exactly that
        assertThat(DEPLOY.resolve(file)).as("deploy/%s is not what the types generate: write it again with"
                + " -Dcrd.update=true (see this test's Javadoc)", file).content(StandardCharsets.UTF_8)
                .isEqualTo(expected);
    }
}
