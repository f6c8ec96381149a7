package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry over {@link java.util.ServiceLoader}. The test class path registers two throwaway providers
 * ({@code test-engine} and {@code Another-Engine}) in {@code META-INF/services}; tests that need a clash add a
 * registration through their own class loader, so the shared class path never holds one.
 */
class HighAvailabilityProvidersTest {

    private static final String SERVICE_FILE = "META-INF/services/" + HighAvailabilityProvider.class.getName();

    @TempDir
    Path extraClassPath;

    @Test
    void aProviderRegisteredInMetaInfServicesIsFoundByItsEngineName() {
        // Given the test class path's registrations
        // When the registry loads them
        HighAvailabilityProviders providers = HighAvailabilityProviders.load();

        // Then the throwaway provider is found under its name
        assertThat(providers.get("test-engine")).isInstanceOf(EngineNamedProvider.TestEngine.class);
    }

    @Test
    void engineNamesMatchWhateverTheirCase() {
        HighAvailabilityProviders providers = HighAvailabilityProviders.load();

        assertThat(providers.get("TEST-ENGINE")).isInstanceOf(EngineNamedProvider.TestEngine.class);
        assertThat(providers.get("Test-Engine")).isSameAs(providers.get("test-engine"));
        assertThat(providers.get("another-engine")).isInstanceOf(EngineNamedProvider.AnotherEngine.class);
    }

    @Test
    void installedListsEveryEngineInLowerCaseSorted() {
        assertThat(HighAvailabilityProviders.load().installed()).containsExactly("another-engine", "test-engine");
    }

    @Test
    void installedCannotBeChangedByItsCaller() {
        HighAvailabilityProviders providers = HighAvailabilityProviders.load();

        assertThatThrownBy(() -> providers.installed().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(providers.installed()).hasSize(2);
    }

    @Test
    void anUnknownEngineIsRefusedListingTheInstalledOnes() {
        HighAvailabilityProviders providers = HighAvailabilityProviders.load();

        assertThatExceptionOfType(NoSuchElementException.class)
                .isThrownBy(() -> providers.get("alluxio"))
                .withMessage("no high-availability provider for engine \"alluxio\";"
                        + " installed: another-engine, test-engine");
    }

    @Test
    void aClassLoaderWithoutProvidersSaysNoneAreInstalled() {
        // Given a class loader that sees no registrations at all (the bootstrap loader's platform child)
        HighAvailabilityProviders providers = HighAvailabilityProviders.load(ClassLoader.getPlatformClassLoader());

        assertThat(providers.installed()).isEmpty();
        assertThatExceptionOfType(NoSuchElementException.class)
                .isThrownBy(() -> providers.get("test-engine"))
                .withMessageEndingWith("installed: none");
    }

    @Test
    void twoProvidersClaimingOneNameInDifferentCaseAreRefusedNamingBothClasses() throws IOException {
        // Given a second registration that claims "test-engine" in other letters, besides the class path's own
        try (URLClassLoader withClash = loaderRegistering(EngineNamedProvider.ClashingTestEngine.class)) {
            // When the registry loads
            // Then it refuses, naming the engine and both classes
            assertThatIllegalStateException()
                    .isThrownBy(() -> HighAvailabilityProviders.load(withClash))
                    .withMessageContaining("two providers claim engine \"test-engine\"")
                    .withMessageContaining(EngineNamedProvider.TestEngine.class.getName())
                    .withMessageContaining(EngineNamedProvider.ClashingTestEngine.class.getName());
        }
    }

    @Test
    void aProviderWithABlankNameIsRefusedNamingItsClass() throws IOException {
        try (URLClassLoader withNameless = loaderRegistering(EngineNamedProvider.Nameless.class)) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> HighAvailabilityProviders.load(withNameless))
                    .withMessageStartingWith(EngineNamedProvider.Nameless.class.getName() + " claims no engine name");
        }
    }

    /**
     * A class loader that sees the test class path and, in addition, a {@code META-INF/services} file
     * registering {@code provider}.
     */
    private URLClassLoader loaderRegistering(Class<? extends HighAvailabilityProvider> provider) throws IOException {
        Path serviceFile = extraClassPath.resolve(SERVICE_FILE);
        Files.createDirectories(serviceFile.getParent());
        Files.writeString(serviceFile, provider.getName() + "\n");
        return new URLClassLoader(new URL[] {extraClassPath.toUri().toURL()}, getClass().getClassLoader());
    }
}
