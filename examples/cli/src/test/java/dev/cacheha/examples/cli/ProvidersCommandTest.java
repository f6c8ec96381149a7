package dev.cacheha.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cacheha.spi.HighAvailabilityProviders;
import java.io.IOException;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvidersCommandTest {

    @Test
    void listsEveryProviderOnTheClassPathSortedByEngine() {
        // Given ha-alluxio and the Jindo example provider on the class path
        // When
        CacheHaRun run = CacheHaRun.of("providers");

        // Then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).satisfiesExactly(
                line -> assertThat(line).startsWith("alluxio ")
                        .endsWith(" dev.cacheha.alluxio.AlluxioHighAvailabilityProvider"),
                line -> assertThat(line).startsWith("jindo ").endsWith("JindoHighAvailabilityProvider"));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonListsEveryProviderSortedByEngineAsAnArrayThatParses() throws IOException {
        // When
        CacheHaRun run = CacheHaRun.of("providers", "--json");

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        List<Map<String, String>> providers = JsonMapper.builder().build()
                .readValue(run.out(), new TypeReference<List<Map<String, String>>>() {});
        assertThat(providers).extracting(provider -> provider.get("engine")).containsExactly("alluxio", "jindo");
        assertThat(providers).allSatisfy(provider -> assertThat(provider).containsOnlyKeys("engine", "provider"));
        assertThat(providers.get(0)).containsEntry("provider", "dev.cacheha.alluxio.AlluxioHighAvailabilityProvider");
        assertThat(providers.get(1).get("provider")).endsWith("JindoHighAvailabilityProvider");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionPrintsTheVersionTheBuildStamped() {
        // Given the version in the pom, handed to the test by Maven
        String expected = System.getProperty("cacheha.projectVersion");

        // When
        CacheHaRun run = CacheHaRun.of("--version");

        // Then
        assertThat(expected).as("cacheha.projectVersion, set by the surefire configuration").isNotBlank();
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("cache-ha " + expected + System.lineSeparator());
    }

    @Test
    void aFailedWriteToStandardOutputExitsOneWithAMessageOnStandardError() {
        // Given standard output that fails every write, as > /dev/full does
        Writer full = new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void close() {}
        };

        // When
        CacheHaRun run = CacheHaRun.withOut(full, "providers");

        // Then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("cache-ha: writing to standard output failed");
    }

    @Test
    void failsWithAHintWhenNoProviderIsInstalled() throws Exception {
        // Given a class loader that sees no provider at all
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            // When
            CacheHaRun run = CacheHaRun.with(HighAvailabilityProviders.load(empty), "providers");

            // Then
            assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("no high-availability provider is installed");
        }
    }

    @Test
    void withoutACommandItExplainsItselfAsAUsageError() {
        // When
        CacheHaRun run = CacheHaRun.of();

        // Then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("a command is required").contains("providers", "render", "leader");
    }

    @Test
    void helpListsTheExitCodes() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "--help");

        // Then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("Exit codes:").contains("2   bad input");
    }
}
