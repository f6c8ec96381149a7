package dev.cacheha.testkit.sample;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit;

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
}
