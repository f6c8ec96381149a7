package dev.cacheha.examples.controller.reconcile;

/** What applying one object did. */
public enum ApplyAction {
    /** The object did not exist and was created. */
    CREATED,
    /** The object existed with other values in fields the controller sets, and was patched. */
    UPDATED,
    /** The object already had every value the controller sets; nothing was sent. */
    UNCHANGED
}
