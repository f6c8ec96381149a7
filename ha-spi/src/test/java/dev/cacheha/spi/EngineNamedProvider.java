package dev.cacheha.spi;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;

/**
 * A throwaway provider that only has a name, for tests of how {@link HighAvailabilityProviders} finds providers.
 * Planning with it is a test bug, so every operation refuses.
 */
public abstract class EngineNamedProvider implements HighAvailabilityProvider {

    private final String engine;

    /** A provider claiming {@code engine}, which may be null or blank for tests of the registry's checks. */
    protected EngineNamedProvider(String engine) {
        this.engine = engine;
    }

    @Override
    public String engine() {
        return engine;
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        throw new UnsupportedOperationException("a registry test provider plans nothing");
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        throw new UnsupportedOperationException("a registry test provider discovers nothing");
    }

    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        throw new UnsupportedOperationException("a registry test provider cleans nothing");
    }

    /** Registered in the test class path's {@code META-INF/services}: engine {@code test-engine}. */
    public static final class TestEngine extends EngineNamedProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public TestEngine() {
            super("test-engine");
        }
    }

    /** Registered in the test class path's {@code META-INF/services}, named in mixed case: {@code Another-Engine}. */
    public static final class AnotherEngine extends EngineNamedProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public AnotherEngine() {
            super("Another-Engine");
        }
    }

    /**
     * Claims {@code test-engine} in other letters and with a stray space; only ever registered through a test's
     * own class loader, so the default test class path stays free of clashes.
     */
    public static final class ClashingTestEngine extends EngineNamedProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public ClashingTestEngine() {
            super(" TEST-Engine");
        }
    }

    /** Claims a blank name; only ever registered through a test's own class loader. */
    public static final class Nameless extends EngineNamedProvider {
        /** Called by {@link java.util.ServiceLoader}. */
        public Nameless() {
            super("  ");
        }
    }
}
