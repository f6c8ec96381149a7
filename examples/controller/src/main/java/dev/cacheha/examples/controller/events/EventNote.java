package dev.cacheha.examples.controller.events;

import static java.util.Objects.requireNonNull;

/**
 * What one Kubernetes Event says about an object, as {@code kubectl describe} shows it.
 *
 * @param warning whether it is a {@code Warning} (a refusal, a failure) rather than {@code Normal}
 * @param reason a short UpperCamelCase cause, such as {@code RollingRestart}
 * @param message what happened, for a person
 */
public record EventNote(boolean warning, String reason, String message) {

    /** The core API's {@code type} of a note that is not a warning. */
    public static final String NORMAL = "Normal";

    /** The core API's {@code type} of a warning. */
    public static final String WARNING = "Warning";

    /** The checked note. */
    public EventNote {
        requireNonNull(reason, "reason");
        requireNonNull(message, "message");
    }

    /** A {@code Normal} note. */
    public static EventNote normal(String reason, String message) {
        return new EventNote(false, reason, message);
    }

    /** A {@code Warning} note. */
    public static EventNote warning(String reason, String message) {
        return new EventNote(true, reason, message);
    }

    /** {@value #WARNING} or {@value #NORMAL}. */
    public String type() {
        return warning ? WARNING : NORMAL;
    }
}
