package dev.cacheha.testkit.sample;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit;
import dev.cacheha.testkit.InvalidSpec;
import java.util.List;

/**
 * The kit, answered for the sample engine: its members, its properties file and its own bad specs. The sample
 * provider's conformance test and every broken provider's kit run share it, so they differ in the provider only.
 */
public abstract class SampleKit extends HighAvailabilityProviderCompatibilityKit {

    private final HighAvailabilityProvider provider;

    /** A kit that checks {@code provider}, which must speak the sample engine's language. */
    protected SampleKit(HighAvailabilityProvider provider) {
        this.provider = provider;
    }

    @Override
    protected HighAvailabilityProvider provider() {
        return provider;
    }

    @Override
    protected EngineImpersonation impersonation() {
        return SampleHighAvailabilityProvider.IMPERSONATION;
    }

    @Override
    protected List<String> enginePropertiesFiles() {
        return List.of(SampleHighAvailabilityProvider.PROPERTIES_FILE);
    }

    @Override
    protected List<InvalidSpec> engineInvalidSpecs() {
        return SampleHighAvailabilityProvider.INVALID_SPECS;
    }
}
