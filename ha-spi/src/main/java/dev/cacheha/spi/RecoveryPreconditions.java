package dev.cacheha.spi;

import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * When a backup, a restore or a member rebuild may be planned, judged the same way for every engine, as
 * {@link LeaderStatus#fromAnswers} judges health. Each method returns every reason to refuse, each naming the
 * input it concerns ({@code status.health}, {@code ordinal}, {@code backup.runtime}...); an empty list means go.
 * Providers throw them as an {@link OperationRefusedException}.
 */
public final class RecoveryPreconditions {

    private RecoveryPreconditions() {}

    /**
     * Why a backup of the quorum of {@code plan} may not run now: it runs on the leader and nowhere else, so
     * {@code status} must be about these members and name a leader (HEALTHY or DEGRADED). Under NO_QUORUM no
     * member can serve a consistent view, and under UNKNOWN two members claim to lead and either may be stale.
     */
    public static List<Violation> backupRefusals(HaPlan plan, LeaderStatus status) {
        return backupRefusals(plan.members(), status);
    }

    /**
     * {@link #backupRefusals(HaPlan, LeaderStatus)} for a quorum of {@code members}, for a provider that knows
     * its members without rendering a whole plan.
     */
    public static List<Violation> backupRefusals(List<Member> members, LeaderStatus status) {
        List<Violation> reasons = new ArrayList<>(sameMembers(members, status));
        if (status.leader().isEmpty()) {
            reasons.add(new Violation("status.health", "is " + status.health() + ": a backup runs only on the"
                    + " member discovery names leader, and this status names none"
                    + (status.health() == Health.UNKNOWN
                            ? " (members " + ordinals(status.membersWithRole(Role.LEADER)) + " all claim to lead)"
                            : "")));
        }
        return reasons;
    }

    /**
     * Why member {@code ordinal} of the quorum of {@code plan} may not be rebuilt now. Rebuilding stops it and
     * deletes its journal, so the other members must be a majority of the whole quorum on their own, with a
     * leader among them; the member itself must not lead, since stopping it would cost an election at least.
     */
    public static List<Violation> rebuildRefusals(HaPlan plan, LeaderStatus status, int ordinal) {
        return rebuildRefusals(plan.members(), status, ordinal);
    }

    /**
     * {@link #rebuildRefusals(HaPlan, LeaderStatus, int)} for a quorum of {@code members}, for a provider that
     * knows its members without rendering a whole plan.
     */
    public static List<Violation> rebuildRefusals(List<Member> members, LeaderStatus status, int ordinal) {
        List<Violation> reasons = new ArrayList<>();
        int size = members.size();
        if (ordinal < 0 || ordinal >= size) {
            reasons.add(new Violation("ordinal", ordinal + " is not a member of this quorum of " + size
                    + " (ordinals 0.." + (size - 1) + ")"));
            return reasons;
        }
        List<Violation> mismatch = sameMembers(members, status);
        if (!mismatch.isEmpty()) {
            return mismatch;
        }
        int majority = size / 2 + 1;
        List<Member> othersAnswering = status.members().stream()
                .filter(answer -> answer.member().ordinal() != ordinal)
                .filter(answer -> answer.role() == Role.LEADER || answer.role() == Role.FOLLOWER)
                .map(MemberAnswer::member)
                .toList();
        if (status.health() != Health.HEALTHY && status.health() != Health.DEGRADED) {
            reasons.add(new Violation("status.health", "is " + status.health() + ": a member is rebuilt from the"
                    + " leader, and this status names none; restore the quorum from a backup instead"));
        } else if (status.leader().orElseThrow().ordinal() == ordinal) {
            reasons.add(new Violation("ordinal", "member " + ordinal + " leads: deleting its journal would stop"
                    + " the leader; let another member take over (restart member " + ordinal
                    + ") and rebuild it once it follows"));
        }
        if (othersAnswering.size() < majority) {
            reasons.add(new Violation("status.members", "without member " + ordinal + " only "
                    + othersAnswering.size() + " member(s) " + ordinals(othersAnswering) + " answer, fewer than"
                    + " the majority of " + majority + " of " + size + ": rebuilding it would cost the quorum;"
                    + " bring the other members back first"));
        }
        return reasons;
    }

    /**
     * Why {@code backup} may not be restored into the runtime of {@code spec} by {@code engine}'s provider: a
     * backup of another engine, namespace or runtime is foreign, and restoring it would replace this runtime's
     * metadata with another's.
     */
    public static List<Violation> restoreRefusals(String engine, HaSpec spec, Backup backup) {
        List<Violation> reasons = new ArrayList<>();
        if (!backup.engine().equals(engine)) {
            reasons.add(new Violation("backup.engine", "is " + backup.engine() + ", not " + engine
                    + ": a foreign backup is never restored"));
        }
        if (!backup.namespace().equals(spec.namespace())) {
            reasons.add(new Violation("backup.namespace", "is " + backup.namespace() + ", not "
                    + spec.namespace() + ": a foreign backup is never restored"));
        }
        if (!backup.runtime().equals(spec.name())) {
            reasons.add(new Violation("backup.runtime", "is " + backup.runtime() + ", not " + spec.name()
                    + ": a foreign backup is never restored"));
        }
        return reasons;
    }

    private static List<Violation> sameMembers(List<Member> members, LeaderStatus status) {
        List<Member> answered = status.members().stream().map(MemberAnswer::member).toList();
        if (answered.equals(members)) {
            return List.of();
        }
        return List.of(new Violation("status.members", "are " + podNames(answered) + ", not the members of this"
                + " runtime " + podNames(members) + ": the status is of another quorum or size"));
    }

    private static List<Integer> ordinals(List<Member> members) {
        return members.stream().map(Member::ordinal).toList();
    }

    private static List<String> podNames(List<Member> members) {
        return members.stream().map(Member::podName).toList();
    }
}
