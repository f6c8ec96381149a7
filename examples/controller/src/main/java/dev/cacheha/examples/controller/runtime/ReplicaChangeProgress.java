package dev.cacheha.examples.controller.runtime;

import java.util.Objects;

/**
 * {@code status.replicaChange} of a {@link CacheRuntime}: the multi-step replica change under way, from and to
 * which size, so that a reconcile that stops halfway (a restart, a conflict, an API error) resumes it toward the
 * same size, at the step {@code status.steps} records, instead of planning it again from a size read off a status
 * field.
 */
public class ReplicaChangeProgress {

    private Integer fromReplicas;
    private Integer toReplicas;

    /** Creates an empty record, for deserialization. */
    public ReplicaChangeProgress() {}

    /** A change from {@code from} to {@code to} masters. */
    public ReplicaChangeProgress(int from, int to) {
        this.fromReplicas = from;
        this.toReplicas = to;
    }

    /** The operation its steps are recorded for in {@code status.steps}. */
    public String operation() {
        return "replica change " + fromReplicas + " -> " + toReplicas;
    }

    /** The quorum size the change started from, read off the live StatefulSet when it began. */
    public Integer getFromReplicas() {
        return fromReplicas;
    }

    /** Sets {@link #getFromReplicas()}. */
    public void setFromReplicas(Integer fromReplicas) {
        this.fromReplicas = fromReplicas;
    }

    /** The quorum size the change goes to. */
    public Integer getToReplicas() {
        return toReplicas;
    }

    /** Sets {@link #getToReplicas()}. */
    public void setToReplicas(Integer toReplicas) {
        this.toReplicas = toReplicas;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplicaChangeProgress that
                && Objects.equals(fromReplicas, that.fromReplicas)
                && Objects.equals(toReplicas, that.toReplicas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fromReplicas, toReplicas);
    }

    @Override
    public String toString() {
        return "ReplicaChangeProgress{" + fromReplicas + " -> " + toReplicas + "}";
    }
}
