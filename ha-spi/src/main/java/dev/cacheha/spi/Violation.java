package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

/**
 * One broken rule in a spec: the path of the offending field (for example {@code journal.size}) and the
 * rule it breaks, phrased so that a user can fix the input without reading code.
 *
 * @param field dotted path of the field, as a user would write it in a runtime spec
 * @param rule what is wrong and what is expected, including the offending value where that helps
 */
public record Violation(String field, String rule) {

    public Violation {
        requireNonNull(field, "field");
        requireNonNull(rule, "rule");
    }

    /** Renders as {@code field: rule}, the form used in error messages and controller status. */
    @Override
    public String toString() {
        return field + ": " + rule;
    }
}
