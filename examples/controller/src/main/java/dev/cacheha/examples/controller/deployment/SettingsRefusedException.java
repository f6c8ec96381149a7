package dev.cacheha.examples.controller.deployment;

import dev.cacheha.spi.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** The controller's settings break rules: every broken rule, named by its environment variable, at once. */
public final class SettingsRefusedException extends IllegalArgumentException {

    private final List<Violation> violations;

    /** @param violations at least one; the list is copied */
    public SettingsRefusedException(List<Violation> violations) {
        super(violations.stream().map(violation -> "  - " + violation)
                .collect(Collectors.joining("\n", "the controller's settings are refused:\n", "")));
        this.violations = List.copyOf(violations);
    }

    /** The broken rules, in the order they were found. */
    public List<Violation> violations() {
        return violations;
    }
}
