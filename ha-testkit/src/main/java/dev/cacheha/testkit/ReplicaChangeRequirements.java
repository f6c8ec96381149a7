package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Changing the size of a running quorum, when the provider declares {@link Capability#REPLICA_CHANGE} (skipped
 * with the reason otherwise), for the changes it offers (one that refuses a change names {@code replicas}).
 * The kit walks the steps of every change between valid sizes and keeps count of the members sure to run:
 * <ul>
 *   <li>{@link Step.Apply} moves the StatefulSet to the target size. Only the members of both sizes are sure
 *       to run through it, and they must be a majority of the larger size: 3 to 5 keeps 3 of 5, 3 to 7 keeps
 *       only 3 of 7. Members it adds are not yet sure to run.</li>
 *   <li>{@link Step.AwaitQuorum} makes that many members sure to run; it cannot wait for more than the
 *       StatefulSet holds.</li>
 *   <li>{@link Step.RollMembers} restarts members one at a time: while one is down, the others sure to run
 *       must still be a majority of the StatefulSet's size.</li>
 * </ul>
 * The membership commands an engine runs ({@link Step.ExecOnLeader}) are its own; the kit takes the quorum
 * to be the StatefulSet's size after them. The steps also keep the order every step list keeps, restores and
 * rebuilds included ({@link StepOrder}).
 */
public abstract class ReplicaChangeRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected ReplicaChangeRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("changes the size of a running quorum, when offered, without passing through a state without a"
            + " majority")
    void changesTheSizeOfARunningQuorumWithoutLosingAMajority() {
        assumeOffered(Capability.REPLICA_CHANGE);
        List<String> unsafe = new ArrayList<>();
        for (int from : QUORUM_SIZES) {
            for (int to : QUORUM_SIZES) {
                HaSpec current = spec(from);
                ReplicaChangePlan change;
                try {
                    change = provider().planReplicaChange(current, to);
                } catch (SpecValidationException refused) {
                    assertThat(refused.violations()).as("why %d -> %d is refused", from, to)
                            .extracting(Violation::field).contains("replicas");
                    continue;
                }
                assertThat(change.fromReplicas()).as("fromReplicas of %d -> %d", from, to).isEqualTo(from);
                assertThat(change.toReplicas()).as("toReplicas of %d -> %d", from, to).isEqualTo(to);
                unsafe.addAll(walk(change));
            }
        }
        assertThat(unsafe).as("states without a majority of running members").isEmpty();
    }

    @Test
    @DisplayName("changes the size of a running quorum, when offered, with its steps in the order every step list"
            + " keeps: checks first, no journal wiped while its member may run, no member left stopped")
    void changesTheSizeWithStepsInTheSharedOrder() {
        assumeOffered(Capability.REPLICA_CHANGE);
        List<String> broken = new ArrayList<>();
        for (int from : QUORUM_SIZES) {
            for (int to : QUORUM_SIZES) {
                try {
                    StepOrder.broken(provider().planReplicaChange(spec(from), to).steps())
                            .forEach(problem -> broken.add(from + " -> " + to + ", " + problem));
                } catch (SpecValidationException refused) {
                    // a refused change has no steps; the requirement above checks that it names replicas
                }
            }
        }
        assertThat(broken).as("steps out of the shared order").isEmpty();
    }

    /** What goes wrong along the steps of {@code change}, in words; empty when every state keeps a majority. */
    private static List<String> walk(ReplicaChangePlan change) {
        String label = change.fromReplicas() + " -> " + change.toReplicas() + ", step ";
        List<String> problems = new ArrayList<>();
        int size = change.fromReplicas();
        int sureToRun = change.fromReplicas();
        List<Step> steps = change.steps();
        for (int index = 0; index < steps.size(); index++) {
            Step step = steps.get(index);
            String where = label + (index + 1) + " (" + step.getClass().getSimpleName() + ")";
            if (step instanceof Step.Apply) {
                int target = change.toReplicas();
                int common = Math.min(sureToRun, target);
                int larger = Math.max(size, target);
                if (common < majority(larger)) {
                    problems.add(where + ": only " + common + " members are sure to run from " + size + " to "
                            + target + " members, fewer than a majority of " + larger);
                }
                size = target;
                sureToRun = common;
            } else if (step instanceof Step.AwaitQuorum await) {
                if (await.members() > size) {
                    problems.add(where + ": waits for " + await.members() + " members of a StatefulSet of " + size);
                }
                sureToRun = Math.max(sureToRun, Math.min(await.members(), size));
            } else if (step instanceof Step.RollMembers roll && !roll.members().isEmpty()
                    && sureToRun - 1 < majority(size)) {
                problems.add(where + ": restarting one member leaves " + (sureToRun - 1) + " sure to run, fewer"
                        + " than a majority of " + size);
            }
        }
        if (size != change.toReplicas()) {
            problems.add(label.replace(", step ", "") + ": no step applies the new size");
        }
        return problems;
    }

    private static int majority(int members) {
        return members / 2 + 1;
    }
}
