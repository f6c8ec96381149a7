package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a plan that changes a running quorum: a {@link ReplicaChangePlan}, a {@link RestorePlan} or a
 * {@link MemberRebuildPlan}, one vocabulary for all of them. A controller runs a plan's steps front to back, one
 * runner for every plan, and records after each step which one comes next; it stops at the first step that fails
 * or has to wait, and a retry resumes at the recorded step.
 *
 * <p><b>Every step is idempotent</b>: the controller may have run the recorded step (or part of it) before it
 * stopped, so running it again must end in the same state and never undo what it did. Each type says why it is.
 * A step that has to wait says so to the controller, which looks again later; waiting is never an error.
 *
 * <p>Order matters and the conformance kit checks it for every plan: a {@link CheckOnMember} comes before any
 * step that stops a member or deletes data, so a refusal there leaves everything as it was; a journal is wiped
 * only while its member is stopped; a plan leaves no member stopped.
 */
public sealed interface Step {

    /** What the step does and why, for logs, events and the status. */
    String description();

    /**
     * Run a command that must exit 0 before anything is changed, such as checking that a backup is there; a
     * non-zero exit refuses the whole plan. Idempotent: it only reads.
     *
     * @param member the member whose container runs it
     * @param container the container
     * @param argv the command, as an argument vector; it must not change anything
     * @param timeout how long it may run
     * @param description what it checks
     */
    record CheckOnMember(Member member, String container, List<String> argv, Duration timeout, String description)
            implements Step {
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
     * Stop these members and wait until none of them runs (delete their pods with the StatefulSet scaled down, or
     * with the controller holding them back). Idempotent: stopping a stopped member changes nothing.
     *
     * @param members the members to stop
     * @param description why
     */
    record StopMembers(List<Member> members, String description) implements Step {
        public StopMembers {
            members = List.copyOf(members);
            requireNonNull(description, "description");
        }
    }

    /**
     * Delete the journal of a member that no longer runs, so that it starts freshly formatted. Idempotent: a
     * journal that is gone already is fine, and a retry cannot reach a fresh journal, because a member stays
     * stopped until a later {@link StartMembers}.
     *
     * @param member the member, which a {@link StopMembers} step before this one stopped
     * @param claim the member's journal claim, to delete (the StatefulSet makes an empty one), or empty when the
     *     journal lives in a volume that went with the pod
     * @param description why
     */
    record WipeJournal(Member member, Optional<String> claim, String description) implements Step {
        public WipeJournal {
            requireNonNull(member, "member");
            requireNonNull(claim, "claim");
            requireNonNull(description, "description");
        }
    }

    /**
     * Delete these claims in the runtime's namespace if they exist, for members that do not run: a grow uses it
     * for claims that an earlier scale-down kept ({@code whenScaled: Retain}), which hold the journal of a member
     * removed from the quorum, on which a new member must not start. Idempotent: a claim that does not exist is
     * fine.
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
     * Apply a plan's objects (create or update). Idempotent: applying the same objects again changes nothing.
     *
     * @param plan the plan to apply
     * @param resize whether the StatefulSet takes the plan's member count now, starting or stopping members (a
     *     replica change), or keeps the count it runs with, so that members a {@link StopMembers} stopped start
     *     only at a later {@link StartMembers} (a restore)
     * @param description what applying it achieves
     */
    record Apply(HaPlan plan, boolean resize, String description) implements Step {
        public Apply {
            requireNonNull(plan, "plan");
            requireNonNull(description, "description");
        }
    }

    /**
     * Start these members again (scale the StatefulSet back, or let it recreate their pods). Idempotent: starting
     * a running member changes nothing.
     *
     * @param members the members to start
     * @param description why
     */
    record StartMembers(List<Member> members, String description) implements Step {
        public StartMembers {
            members = List.copyOf(members);
            requireNonNull(description, "description");
        }
    }

    /**
     * Restart these members one at a time, waiting for a healthy quorum after each, the member that leads at that
     * moment last, so the quorum changes leader at most once. Idempotent: a member whose pod already runs the
     * current configuration is not restarted again.
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
     * Run a command in the container of the member that leads when the step runs; a non-zero exit fails the
     * step. Idempotent only as far as the command is, so the provider must choose one that ends in the same
     * state when run again (removing a member the configuration no longer has must succeed); a controller also
     * never starts the same step's command twice while the first runs.
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
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("a command on the leader needs argv, but it is empty");
            }
        }
    }

    /**
     * Wait until {@code members} members answer and one of them leads. Idempotent: it only waits.
     *
     * @param members how many members must answer
     * @param description why the wait is needed
     */
    record AwaitQuorum(int members, String description) implements Step {
        public AwaitQuorum {
            requireNonNull(description, "description");
            if (members < 1) {
                throw new IllegalArgumentException("a quorum has at least one member: " + members);
            }
        }
    }

    /**
     * Wait until {@code member} answers {@code role} by its own account, with one leader in the quorum.
     * Idempotent: it only waits.
     *
     * @param member the member
     * @param role the role it must answer
     * @param description why
     */
    record AwaitRole(Member member, LeaderStatus.Role role, String description) implements Step {
        public AwaitRole {
            requireNonNull(member, "member");
            requireNonNull(role, "role");
            requireNonNull(description, "description");
        }
    }
}
