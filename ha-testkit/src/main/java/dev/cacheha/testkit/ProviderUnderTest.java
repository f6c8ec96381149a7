package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;

import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import java.util.List;

/**
 * What every group of the kit checks and how to drive it: the provider author's answers to the questions of
 * {@link HighAvailabilityProviderCompatibilityKit}, handed to each group. A group (such as
 * {@link CleanupRequirements}) only reads this, so groups can live in files of their own.
 */
public interface ProviderUnderTest extends SpecSource {

    /** The provider to check; a new or a shared instance. */
    HighAvailabilityProvider provider();

    /** How this engine's members answer as leader or follower. */
    EngineImpersonation impersonation();

    /** Specs only this engine refuses. */
    List<InvalidSpec> engineInvalidSpecs();

    /**
     * The absolute paths, inside a master container, of the files the engine reads its properties from.
     * Empty when the author has not said, which fails the properties requirement: the kit cannot guess
     * where an engine looks.
     */
    List<String> enginePropertiesFiles();

    /** Where the kit asks for backups: a volume shared by the masters at {@code /backups} unless said otherwise. */
    default BackupTarget backupTarget() {
        return new BackupTarget.SharedVolume("/backups");
    }

    /** The kit's runtime with {@code replicas} masters and every other setting valid for the engine. */
    default HaSpec spec(int replicas) {
        return validSpec(NAME, NAMESPACE).replicas(replicas).build();
    }

    /** The kit's runtime with its journal in {@code journal}. */
    default HaSpec spec(JournalStorage journal) {
        return validSpec(NAME, NAMESPACE).journal(journal).build();
    }
}
