package dev.cacheha.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a spec breaks one or more rules. It always carries <em>every</em> violation found, so a user
 * fixes the input in one round, and it is thrown before anything is planned: there are no partial results.
 */
public final class SpecValidationException extends IllegalArgumentException {

    private final List<Violation> violations;

    /**
     * @param violations at least one violation; the list is copied
     */
    public SpecValidationException(List<Violation> violations) {
        super(describe(violations));
        this.violations = List.copyOf(violations);
    }

    /** Throws if {@code violations} is not empty; does nothing otherwise. */
    public static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new SpecValidationException(violations);
        }
    }

    /** The violations, in the order they were found; never empty. */
    public List<Violation> violations() {
        return violations;
    }

    private static String describe(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a SpecValidationException needs at least one violation");
        }
        return violations.stream()
                .map(v -> "  - " + v)
                .collect(Collectors.joining("\n", "invalid spec (" + violations.size() + " violation"
                        + (violations.size() == 1 ? "" : "s") + "):\n", ""));
    }
}
