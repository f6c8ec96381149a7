package dev.cacheha.testkit.sample;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit;
import dev.cacheha.testkit.InvalidSpec;
import java.util.List;

/** The well-behaved sample provider passes the whole kit: the kit asks nothing a provider cannot do. */
class SampleProviderConformanceTest extends HighAvailabilityProviderCompatibilityKit {

    @Override
    protected HighAvailabilityProvider provider() {
        return new SampleHighAvailabilityProvider();
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
