package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Finding the provider: controllers load it by its engine name through {@link java.util.ServiceLoader}. */
public abstract class RegistrationRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected RegistrationRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("is found through ServiceLoader by its engine name")
    void isFoundThroughServiceLoaderByItsEngineName() {
        HighAvailabilityProvider provider = provider();

        HighAvailabilityProviders installed = HighAvailabilityProviders.load();

        assertThat(installed.installed()).contains(provider.engine());
        assertThat(installed.get(provider.engine())).hasSameClassAs(provider);
    }

    @Test
    @DisplayName("has a stable, lower-case, non-blank engine name")
    void hasAStableLowerCaseNonBlankEngineName() {
        String engine = provider().engine();

        assertThat(engine).isNotBlank()
                .isEqualTo(engine.strip())
                .isEqualTo(engine.toLowerCase(Locale.ROOT));
        assertThat(provider().engine()).isEqualTo(engine);
        assertThat(HighAvailabilityProviders.load().get(engine).engine()).isEqualTo(engine);
    }
}
