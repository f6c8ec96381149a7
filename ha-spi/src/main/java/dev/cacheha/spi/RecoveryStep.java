package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a {@link RestorePlan} or a {@link MemberRebuildPlan}. A controller runs the steps front to back
 * and stops at the first that fails; a failed {@link CheckOnMember} comes before any step that stops a member
 * or deletes a journal, so a refusal there leaves everything as it was. Every step says in words what it does
 * and why.
 */
public sealed interface RecoveryStep {

    /** What the step does and why, for logs and events. */
    String description();

    /**
     * Run a command that must exit 0 before anything is changed, such as checking that a backup is there.
     *
     * @param member the member whose container runs it
     * @param container the container
     * @param argv the command, as an argument vector
     * @param timeout how long it may run
     * @param description what it checks
     */
    record CheckOnMember(Member member, String container, List<String> argv, Duration timeout, String description)
            implements RecoveryStep {
        public CheckOnMember {
            requireNonNull(member, "member");
            requireNonNull(container, "container");
            argv = List.copyOf(argv);
            requireNonNull(timeout, "timeout");
            requireNonNull(description, "description");
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a check needs a command, but argv is empty");
            }
        }
    }

    /**
     * Stop these members and wait until none of them runs (delete their pods with the StatefulSet scaled down,
     * or with the controller holding them back).
     *
     * @param members the members to stop
     * @param description why
     */
    record StopMembers(List<Member> members, String description) implements RecoveryStep {
        public StopMembers {
            members = List.copyOf(members);
            requireNonNull(description, "description");
        }
    }

    /**
     * Delete the journal of a member that no longer runs, so that it starts freshly formatted.
     *
     * @param member the member, which a {@link StopMembers} step before this one stopped
     * @param claim the member's journal claim, to delete (the StatefulSet makes an empty one), or empty when the
     *     journal lives in a volume that went with the pod
     * @param description why
     */
    record WipeJournal(Member member, Optional<String> claim, String description) implements RecoveryStep {
        public WipeJournal {
            requireNonNull(member, "member");
            requireNonNull(claim, "claim");
            requireNonNull(description, "description");
        }
    }

    /**
     * Apply a plan's objects (create or update), so that members started afterwards run with its properties.
     *
     * @param plan the plan to apply
     * @param description what applying it achieves
     */
    record Apply(HaPlan plan, String description) implements RecoveryStep {
        public Apply {
            requireNonNull(plan, "plan");
            requireNonNull(description, "description");
        }
    }

    /**
     * Start these members again (scale the StatefulSet back, or let it recreate their pods).
     *
     * @param members the members to start
     * @param description why
     */
    record StartMembers(List<Member> members, String description) implements RecoveryStep {
        public StartMembers {
            members = List.copyOf(members);
            requireNonNull(description, "description");
        }
    }

    /**
     * Wait until {@code member} answers {@code role} by its own account, with one leader in the quorum.
     *
     * @param member the member
     * @param role the role it must answer
     * @param description why
     */
    record AwaitRole(Member member, LeaderStatus.Role role, String description) implements RecoveryStep {
        public AwaitRole {
            requireNonNull(member, "member");
            requireNonNull(role, "role");
            requireNonNull(description, "description");
        }
    }

    /**
     * Wait until {@code members} members answer and one of them leads.
     *
     * @param members how many members must answer
     * @param description why
     */
    record AwaitQuorum(int members, String description) implements RecoveryStep {
        public AwaitQuorum {
            requireNonNull(description, "description");
            if (members < 1) {
                throw new IllegalArgumentException("a quorum has at least one member: " + members);
            }
        }
    }
}
