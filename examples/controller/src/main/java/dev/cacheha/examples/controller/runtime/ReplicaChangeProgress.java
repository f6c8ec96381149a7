package dev.cacheha.examples.controller.runtime;

/**
 * {@code status.replicaChange} of a {@link CacheRuntime}: the multi-step replica change under way, from and to
 * which size, so that a reconcile that stops halfway (a restart, a conflict, an API error) resumes it toward the
 * same size, at the step {@code status.steps} records, instead of planning it again from a size read off a status
 * field.
 *
 * @param fromReplicas the quorum size the change started from, read off the live StatefulSet when it began
 * @param toReplicas the quorum size the change goes to
 */
public record ReplicaChangeProgress(Integer fromReplicas, Integer toReplicas) {

    /** The operation its steps are recorded for in {@code status.steps}. */
    public String operation() {
        return "replica change " + fromReplicas + " -> " + toReplicas;
    }
}
