package dev.cacheha.examples.cli;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.Violation;
import java.util.List;
import java.util.Optional;

/** The provider a user named, or a violation that lists what is installed, so the user can pick one. */
public final class EngineChoice {

    private EngineChoice() {}

    /**
     * The provider of {@code engine}; when there is none, adds a violation on {@code field} to
     * {@code violations} and returns empty.
     */
    public static Optional<HighAvailabilityProvider> find(
            HighAvailabilityProviders providers, String engine, String field, List<Violation> violations) {
        String installed = providers.installed().isEmpty() ? "none" : String.join(", ", providers.installed());
        if (engine == null || engine.isBlank()) {
            violations.add(new Violation(field, "is required; installed engines: " + installed));
            return Optional.empty();
        }
        if (providers.installed().stream().noneMatch(name -> name.equalsIgnoreCase(engine.trim()))) {
            violations.add(new Violation(field, "\"" + engine + "\" is not an installed engine; installed engines: "
                    + installed));
            return Optional.empty();
        }
        return Optional.of(providers.get(engine));
    }
}
