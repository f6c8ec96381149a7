package dev.cacheha.testkit.sample;

/** The well-behaved sample provider passes the whole kit: the kit asks nothing a provider cannot do. */
class SampleProviderConformanceTest extends SampleKit {

    SampleProviderConformanceTest() {
        super(new SampleHighAvailabilityProvider());
    }
}
