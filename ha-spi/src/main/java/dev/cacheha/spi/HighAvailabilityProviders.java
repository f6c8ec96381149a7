package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The installed providers, found with {@link ServiceLoader}. Immutable once loaded.
 *
 * <pre>{@code
 * HighAvailabilityProvider alluxio = HighAvailabilityProviders.load().get("alluxio");
 * }</pre>
 */
public final class HighAvailabilityProviders {

    private final Map<String, HighAvailabilityProvider> byEngine;

    private HighAvailabilityProviders(Map<String, HighAvailabilityProvider> byEngine) {
        this.byEngine = byEngine;
    }

    /** The providers visible to the class loader that loaded this class. */
    public static HighAvailabilityProviders load() {
        return load(HighAvailabilityProviders.class.getClassLoader());
    }

    /**
     * The providers visible to {@code classLoader}.
     *
     * @throws IllegalStateException if two providers claim the same engine name (case-insensitively), the
     *     message naming both classes; or if a provider claims a null or blank name, the message naming it
     */
    public static HighAvailabilityProviders load(ClassLoader classLoader) {
        requireNonNull(classLoader, "classLoader");
        Map<String, HighAvailabilityProvider> byEngine = new TreeMap<>();
        for (HighAvailabilityProvider provider : ServiceLoader.load(HighAvailabilityProvider.class, classLoader)) {
            String claimed = provider.engine();
            if (claimed == null || claimed.isBlank()) {
                throw new IllegalStateException(provider.getClass().getName() + " claims no engine name (engine() is "
                        + (claimed == null ? "null" : "blank") + "); fix or remove that provider");
            }
            String engine = normalise(claimed);
            HighAvailabilityProvider previous = byEngine.putIfAbsent(engine, provider);
            if (previous != null) {
                throw new IllegalStateException("two providers claim engine \"" + engine + "\": "
                        + previous.getClass().getName() + " and " + provider.getClass().getName()
                        + "; remove one of them from the class path");
            }
        }
        return new HighAvailabilityProviders(byEngine);
    }

    /**
     * The provider for {@code engine}, matched case-insensitively.
     *
     * @throws NoSuchElementException if none is installed; the message lists the installed engines
     */
    public HighAvailabilityProvider get(String engine) {
        requireNonNull(engine, "engine");
        HighAvailabilityProvider provider = byEngine.get(normalise(engine));
        if (provider == null) {
            throw new NoSuchElementException("no high-availability provider for engine \"" + engine
                    + "\"; installed: " + (byEngine.isEmpty() ? "none" : String.join(", ", byEngine.keySet())));
        }
        return provider;
    }

    /** The installed engine names, sorted. */
    public List<String> installed() {
        return List.copyOf(byEngine.keySet());
    }

    private static String normalise(String engine) {
        return engine.trim().toLowerCase(Locale.ROOT);
    }
}
