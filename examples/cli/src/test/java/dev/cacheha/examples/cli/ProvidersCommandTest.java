package dev.cacheha.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HighAvailabilityProviders;
import java.net.URL;
import java.net.URLClassLoader;
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
                line -> assertThat(line).startsWith("alluxio ").endsWith(" dev.cacheha.alluxio.AlluxioHighAvailabilityProvider"),
                line -> assertThat(line).startsWith("jindo ").endsWith("JindoHighAvailabilityProvider"));
        assertThat(run.err()).isEmpty();
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
