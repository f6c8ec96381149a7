package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

/**
 * The build runs this module's tests on two fabric8 lines (the root pom's default test run and its
 * {@code on-fabric8-8} run); this proves each run had the model jars it was meant to have, so a green second
 * run means the SPI works on fabric8 8, not that the swap silently did nothing.
 */
class Fabric8LineTest {

    @Test
    void theTestsRunOnTheFabric8VersionTheBuildChoseForThisRun() {
        // Given the version this test run was configured with
        String expected = System.getProperty("cacheha.fabric8.expected");

        // When the model's own jar is asked where it comes from
        String modelJar = Pod.class.getProtectionDomain().getCodeSource().getLocation().getPath();

        // Then it is that version's jar
        assertThat(expected).as("cacheha.fabric8.expected (set by the root pom's surefire runs)").isNotBlank();
        assertThat(modelJar).endsWith("/kubernetes-model-core-" + expected + ".jar");
    }
}
