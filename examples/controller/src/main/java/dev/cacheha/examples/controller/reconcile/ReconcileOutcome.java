package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile did.
 *
 * @param applied every object applied, with what applying it did; empty when the spec was refused
 * @param deletedClaims the journal claims deleted because the runtime is being deleted
 * @param status the runtime's status afterwards; empty when the runtime is gone
 */
public record ReconcileOutcome(List<AppliedObject> applied, List<String> deletedClaims,
        Optional<CacheRuntimeStatus> status) {

    public ReconcileOutcome {
        applied = List.copyOf(applied);
        deletedClaims = List.copyOf(deletedClaims);
        requireNonNull(status, "status");
    }

    /** The objects whose {@link AppliedObject#action()} is {@code action}. */
    public List<AppliedObject> withAction(ApplyAction action) {
        return applied.stream().filter(object -> object.action() == action).toList();
    }
}
