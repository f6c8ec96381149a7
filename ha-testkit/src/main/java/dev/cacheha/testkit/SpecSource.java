package dev.cacheha.testkit;

import dev.cacheha.spi.HaSpec;

/** Where the kit's fixtures get a valid spec to start from: the provider author's idea of a valid spec. */
@FunctionalInterface
public interface SpecSource {

    /** A builder of a spec the provider accepts, for runtime {@code name} in {@code namespace}. */
    HaSpec.Builder validSpec(String name, String namespace);
}
