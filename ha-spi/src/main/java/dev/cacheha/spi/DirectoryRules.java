package dev.cacheha.spi;

import java.util.ArrayList;
import java.util.List;

/** The rules a directory a user names for backups obeys; every broken one is reported at once. */
final class DirectoryRules {

    private DirectoryRules() {}

    static void throwIfInvalid(String field, String directory) {
        List<Violation> violations = new ArrayList<>();
        if (directory == null || directory.isBlank()) {
            violations.add(new Violation(field, "must name a directory, but is empty"));
        } else {
            if (!directory.startsWith("/")) {
                violations.add(new Violation(field, "must be an absolute path, but is '" + directory + "'"));
            }
            if (directory.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
                violations.add(new Violation(field, "must not contain white space or control characters"));
            }
            if (List.of(directory.split("/")).contains("..")) {
                violations.add(new Violation(field, "must not climb with '..': '" + directory + "'"));
            }
        }
        SpecValidationException.throwIfAny(violations);
    }
}
