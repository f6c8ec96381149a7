package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The ordered steps that take a running quorum from one size to another without ever losing a majority.
 * A controller runs the steps front to back and stops at the first that fails; see {@link Step}.
 *
 * @param fromReplicas the current number of masters
 * @param toReplicas the number of masters afterwards
 * @param target the plan for the new size, which its {@link Step.Apply} steps apply
 * @param steps what to do, in order
 */
public record ReplicaChangePlan(int fromReplicas, int toReplicas, HaPlan target, List<Step> steps) {

    public ReplicaChangePlan {
        requireNonNull(target, "target");
        steps = List.copyOf(steps);
        if (fromReplicas < 1 || toReplicas < 1) {
            throw new IllegalArgumentException(
                    "replica counts must be positive: " + fromReplicas + " -> " + toReplicas);
        }
        if (target.members().size() != toReplicas) {
            throw new IllegalArgumentException("the target plan has " + target.members().size()
                    + " members, but the change goes to " + toReplicas);
        }
    }
}
