package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link LeaderDiscovery} learned: the leader, if there is exactly one that a majority stands behind,
 * the quorum's health, and every member's own answer.
 *
 * <p>Build it with {@link #fromAnswers(List, String, Duration)}, which applies the rules below, so every
 * provider judges health the same way:
 * <ul>
 *   <li>{@link Health#HEALTHY}: exactly one member says it leads and every member answered;</li>
 *   <li>{@link Health#DEGRADED}: exactly one member says it leads and a majority answered;</li>
 *   <li>{@link Health#NO_QUORUM}: no member leads, or fewer than a majority answered; no leader is named;</li>
 *   <li>{@link Health#UNKNOWN}: more than one member says it leads; all are reported, none is picked.</li>
 * </ul>
 * A member "answered" when its role is {@link Role#LEADER} or {@link Role#FOLLOWER}.
 *
 * @param leader the leading member, present only when health is HEALTHY or DEGRADED
 * @param health the quorum's health
 * @param members every member's answer, one per member; kept sorted by ordinal whatever order they came in
 * @param method how the answer was obtained overall (for example {@code http} or {@code exec})
 * @param elapsed how long discovery took
 */
public record LeaderStatus(
        Optional<Member> leader, Health health, List<MemberAnswer> members, String method, Duration elapsed) {

    public LeaderStatus {
        requireNonNull(leader, "leader");
        requireNonNull(health, "health");
        members = List.copyOf(members).stream()
                .sorted(Comparator.comparingInt(answer -> answer.member().ordinal()))
                .toList();
        if (members.stream().map(a -> a.member().ordinal()).distinct().count() != members.size()) {
            throw new IllegalArgumentException("one answer per member, but an ordinal answers twice: " + members);
        }
        requireNonNull(method, "method");
        requireNonNull(elapsed, "elapsed");
        boolean leaderAllowed = health == Health.HEALTHY || health == Health.DEGRADED;
        if (leader.isPresent() != leaderAllowed) {
            throw new IllegalArgumentException("a leader is named exactly when health is HEALTHY or DEGRADED,"
                    + " but health is " + health + " and leader is " + leader);
        }
        if (leader.isPresent()) {
            Member named = leader.get();
            if (members.stream().noneMatch(a -> a.member().equals(named) && a.role() == Role.LEADER)) {
                throw new IllegalArgumentException("leader " + named.podName() + " is not a member that answered LEADER");
            }
        }
    }

    /**
     * Judges a quorum from its members' answers by the rules in the class comment.
     *
     * @param answers one answer per configured member, in any order
     * @param method how the answers were obtained
     * @param elapsed how long it took
     */
    public static LeaderStatus fromAnswers(List<MemberAnswer> answers, String method, Duration elapsed) {
        List<MemberAnswer> leaders = answers.stream().filter(a -> a.role() == Role.LEADER).toList();
        long answered = answers.stream().filter(a -> a.role() == Role.LEADER || a.role() == Role.FOLLOWER).count();
        int majority = answers.size() / 2 + 1;
        Health health;
        if (leaders.size() > 1) {
            health = Health.UNKNOWN;
        } else if (leaders.isEmpty() || answered < majority) {
            health = Health.NO_QUORUM;
        } else if (answered == answers.size()) {
            health = Health.HEALTHY;
        } else {
            health = Health.DEGRADED;
        }
        Optional<Member> leader = health == Health.HEALTHY || health == Health.DEGRADED
                ? Optional.of(leaders.get(0).member())
                : Optional.empty();
        return new LeaderStatus(leader, health, answers, method, elapsed);
    }

    /** The members whose role is {@code role}. */
    public List<Member> membersWithRole(Role role) {
        return members.stream().filter(a -> a.role() == role).map(MemberAnswer::member).toList();
    }

    /** The health of a quorum. */
    public enum Health {
        /** One leader; every member answered. */
        HEALTHY,
        /** One leader; a majority, not all, answered. Writes go on; one more loss may stop them. */
        DEGRADED,
        /** No leader, or too few members answered for one to be elected. Writes stop. */
        NO_QUORUM,
        /** The answers contradict each other (for example two leaders); nothing can be concluded. */
        UNKNOWN
    }

    /** What a member is, by its own account. */
    public enum Role {
        /** It says it leads. */
        LEADER,
        /** It says it follows. */
        FOLLOWER,
        /** It could not be reached in time, refused, or reset the connection. */
        UNREACHABLE,
        /** It answered, but not in a form that tells its role. */
        UNKNOWN
    }

    /**
     * One member's answer.
     *
     * @param member the member
     * @param role its role, by its own account
     * @param method how it was asked (for example {@code GET /metrics/json/})
     * @param latency how long the answer took
     * @param detail a short human-readable note: the error, or unrecognised text, or empty
     */
    public record MemberAnswer(Member member, Role role, String method, Duration latency, String detail) {
        public MemberAnswer {
            requireNonNull(member, "member");
            requireNonNull(role, "role");
            requireNonNull(method, "method");
            requireNonNull(latency, "latency");
            requireNonNull(detail, "detail");
        }
    }
}
