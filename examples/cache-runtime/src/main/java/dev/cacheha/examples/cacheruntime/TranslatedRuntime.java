package dev.cacheha.examples.cacheruntime;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import java.util.Optional;

/**
 * A CacheRuntime that passed every rule: the provider of its engine and its engine-neutral spec.
 *
 * @param provider the provider of {@code spec.engine}
 * @param spec the runtime's spec as the provider sees it; the provider has validated it
 * @param backupVolume the shared backup volume to mount into every master container, when the runtime has one
 */
public record TranslatedRuntime(HighAvailabilityProvider provider, HaSpec spec, Optional<BackupVolume> backupVolume) {

    public TranslatedRuntime {
        requireNonNull(provider, "provider");
        requireNonNull(spec, "spec");
        requireNonNull(backupVolume, "backupVolume");
    }
}
