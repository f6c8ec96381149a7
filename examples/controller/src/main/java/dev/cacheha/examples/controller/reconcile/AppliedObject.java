package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

/**
 * One object of a plan and what applying it did.
 *
 * @param kind the object's kind, such as {@code StatefulSet}
 * @param name the object's name
 * @param action what was done
 */
public record AppliedObject(String kind, String name, ApplyAction action) {

    public AppliedObject {
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
        requireNonNull(action, "action");
    }
}
