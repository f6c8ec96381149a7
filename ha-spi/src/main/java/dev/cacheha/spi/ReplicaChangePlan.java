package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The ordered steps that take a running quorum from one size to another without ever losing a majority.
 * A controller runs the steps front to back and stops at the first that fails.
 *
 * @param fromReplicas the current number of masters
 * @param toReplicas the number of masters afterwards
 * @param target the plan for the new size; {@link Step.Apply} steps apply objects from it
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

    /** One step of a replica change. Every step says in words what it does and why. */
    public sealed interface Step {

        /** What the step does and why, for logs and events. */
        String description();

        /**
         * Apply the target plan's objects (create or update).
         *
         * @param description what applying them achieves at this point
         */
        record Apply(String description) implements Step {
            public Apply {
                requireNonNull(description, "description");
            }
        }

        /**
         * Wait until {@code members} members answer and one of them leads.
         *
         * @param members how many members must answer
         * @param description why the wait is needed
         */
        record AwaitQuorum(int members, String description) implements Step {
            public AwaitQuorum {
                requireNonNull(description, "description");
            }
        }

        /**
         * Restart these members one at a time, waiting for a healthy quorum after each, and restart the
         * member that leads at that moment last, so the quorum changes leader at most once.
         *
         * @param members the members to restart
         * @param description why they must restart
         */
        record RollMembers(List<Member> members, String description) implements Step {
            public RollMembers {
                members = List.copyOf(members);
                requireNonNull(description, "description");
            }
        }

        /**
         * Delete these claims in the runtime's namespace if they exist; a claim that does not exist is fine.
         * A grow step uses it for claims that an earlier scale-down kept ({@code whenScaled: Retain}): they
         * hold the journal of a member that was removed from the quorum, and a new member must not start on it.
         *
         * @param claimNames the claims' names
         * @param description why they must go
         */
        record DeleteClaims(List<String> claimNames, String description) implements Step {
            public DeleteClaims {
                claimNames = List.copyOf(claimNames);
                requireNonNull(description, "description");
            }
        }

        /**
         * Run a command in the container of the member that leads when the step runs.
         *
         * @param container the container to run it in
         * @param argv the command, as an argument vector
         * @param description what it does
         */
        record ExecOnLeader(String container, List<String> argv, String description) implements Step {
            public ExecOnLeader {
                requireNonNull(container, "container");
                argv = List.copyOf(argv);
                requireNonNull(description, "description");
            }
        }
    }
}
