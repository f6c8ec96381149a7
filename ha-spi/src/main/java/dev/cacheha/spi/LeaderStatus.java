package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a {@link LeaderDiscovery} learned: the leader, if there is exactly one that a majority stands behind,
 * the quorum's health, why, and every member's own answer.
 *
 * <p>Build it with {@link #fromAnswers(List, String, Duration)}, which applies the rules below, so every
 * provider judges health the same way. A member "answered" when its role is {@link Role#LEADER} or
 * {@link Role#FOLLOWER}. A follower "stands behind" a claimant when it names the claimant as its leader or names
 * none ({@link MemberAnswer#follows()} empty: the engine does not tell); it "dissents" when it names another
 * member. The claimant stands behind itself.
 * <ul>
 *   <li>{@link Health#HEALTHY}: exactly one member says it leads, every member answered and none dissents;</li>
 *   <li>{@link Health#DEGRADED}: exactly one member says it leads and a majority of all members stands behind
 *       it, but some member did not answer or dissents;</li>
 *   <li>{@link Health#NO_QUORUM}: nobody leads by any answer, or too few members answered for anyone to lead;
 *       no leader is named;</li>
 *   <li>{@link Health#UNKNOWN}: the answers contradict each other: more than one member says it leads; or the
 *       one that says so has no majority behind it while some follower names another member (a paused or
 *       partitioned old leader keeps saying LEADER until it hears of the new term); or no member says it leads
 *       while a majority names the same member, which did not answer LEADER (it just died and the election is
 *       pending, or it leads and is unreachable from here). No leader is named.</li>
 * </ul>
 * The rules never name a leader that fewer than a majority stand behind, so a stale claimant is never named;
 * right after a failover, while followers still name the dead leader, the answer is UNKNOWN until they follow
 * the new one.
 *
 * @param leader the leading member, present only when health is HEALTHY or DEGRADED
 * @param health the quorum's health
 * @param members every member's answer, one per member; kept sorted by ordinal whatever order they came in
 * @param method how the answer was obtained overall (for example {@code http} or {@code exec})
 * @param elapsed how long discovery took
 * @param reason why the health is what it is, in a sentence (who dissents, who is silent); empty when HEALTHY
 */
public record LeaderStatus(Optional<Member> leader, Health health, List<MemberAnswer> members, String method,
        Duration elapsed, String reason) {

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
        requireNonNull(reason, "reason");
        boolean leaderAllowed = health == Health.HEALTHY || health == Health.DEGRADED;
        if (leader.isPresent() != leaderAllowed) {
            throw new IllegalArgumentException("a leader is named exactly when health is HEALTHY or DEGRADED,"
                    + " but health is " + health + " and leader is " + leader);
        }
        if (leader.isPresent()) {
            Member named = leader.get();
            if (members.stream().noneMatch(a -> a.member().equals(named) && a.role() == Role.LEADER)) {
                throw new IllegalArgumentException(
                        "leader " + named.podName() + " is not a member that answered LEADER");
            }
        }
    }

    /** A status without a stated reason, for providers that judge health themselves. */
    public LeaderStatus(Optional<Member> leader, Health health, List<MemberAnswer> members, String method,
            Duration elapsed) {
        this(leader, health, members, method, elapsed, "");
    }

    /**
     * Judges a quorum from its members' answers by the rules in the class comment.
     *
     * @param answers one answer per configured member, in any order
     * @param method how the answers were obtained
     * @param elapsed how long it took
     */
    public static LeaderStatus fromAnswers(List<MemberAnswer> answers, String method, Duration elapsed) {
        Judgement judgement = Judgement.of(answers);
        return new LeaderStatus(judgement.leader(), judgement.health(), answers, method, elapsed, judgement.reason());
    }

    /** The outcome of the rules, before it is put into a status. */
    private record Judgement(Optional<Member> leader, Health health, String reason) {

        static Judgement of(List<MemberAnswer> answers) {
            List<MemberAnswer> claimants = answers.stream().filter(a -> a.role() == Role.LEADER).toList();
            List<MemberAnswer> followers = answers.stream().filter(a -> a.role() == Role.FOLLOWER).toList();
            int majority = answers.size() / 2 + 1;
            String silent = silent(answers);
            if (claimants.size() > 1) {
                return new Judgement(Optional.empty(), Health.UNKNOWN, claimants.size() + " members say they lead: "
                        + names(claimants.stream().map(MemberAnswer::member).toList()));
            }
            if (claimants.isEmpty()) {
                return withoutClaimant(followers, majority, silent);
            }
            Member claimant = claimants.get(0).member();
            List<MemberAnswer> dissenters = followers.stream()
                    .filter(a -> a.follows().filter(named -> !named.equals(claimant)).isPresent()
                            || a.unknownLeader().isPresent())
                    .toList();
            int behind = 1 + followers.size() - dissenters.size();
            String dissent = dissenters.stream()
                    .map(a -> a.member().podName() + a.follows().map(named -> " follows " + named.podName())
                            .orElseGet(() -> " names leader " + a.unknownLeader().orElseThrow() + ", no member"))
                    .collect(Collectors.joining(", "));
            if (behind < majority) {
                Health health = dissenters.isEmpty() ? Health.NO_QUORUM : Health.UNKNOWN;
                return new Judgement(Optional.empty(), health, claimant.podName() + " says it leads, but only "
                        + behind + " of " + answers.size() + " members stand behind it, " + majority + " needed"
                        + join(dissent, silent));
            }
            if (dissenters.isEmpty() && silent.isEmpty()) {
                return new Judgement(Optional.of(claimant), Health.HEALTHY, "");
            }
            return new Judgement(Optional.of(claimant), Health.DEGRADED, behind + " of " + answers.size()
                    + " members stand behind " + claimant.podName() + join(dissent, silent));
        }

        private static Judgement withoutClaimant(List<MemberAnswer> followers, int majority, String silent) {
            Map<Member, Long> named = followers.stream().flatMap(a -> a.follows().stream())
                    .collect(Collectors.groupingBy(m -> m, Collectors.counting()));
            Optional<Member> absent = named.entrySet().stream()
                    .filter(entry -> entry.getValue() >= majority)
                    .map(Map.Entry::getKey)
                    .findFirst();
            if (absent.isPresent()) {
                return new Judgement(Optional.empty(), Health.UNKNOWN, named.get(absent.get()) + " followers name "
                        + absent.get().podName() + " as leader, which did not say it leads (just died, with an"
                        + " election pending, or unreachable from here)" + join("", silent));
            }
            return new Judgement(Optional.empty(), Health.NO_QUORUM, "no member says it leads"
                    + (followers.size() < majority ? "; only " + followers.size() + " answered, " + majority
                            + " needed" : "") + join("", silent));
        }

        private static String silent(List<MemberAnswer> answers) {
            List<Member> silent = answers.stream()
                    .filter(a -> a.role() != Role.LEADER && a.role() != Role.FOLLOWER)
                    .map(MemberAnswer::member)
                    .toList();
            return silent.isEmpty() ? "" : "no role from " + names(silent);
        }

        private static String names(List<Member> members) {
            return members.stream().sorted(Comparator.comparingInt(Member::ordinal)).map(Member::podName)
                    .collect(Collectors.joining(", "));
        }

        private static String join(String first, String second) {
            String both = Stream.of(first, second).filter(part -> !part.isEmpty()).collect(Collectors.joining("; "));
            return both.isEmpty() ? "" : "; " + both;
        }
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
     * @param follows for a {@link Role#FOLLOWER}, the member it names as its leader; empty when the engine does
     *     not tell, and for every other role
     * @param unknownLeader for a {@link Role#FOLLOWER} that names a leader which is no member, what it names,
     *     short and printable: an unreadable or ambiguous leader, or another address. Such a follower dissents
     *     from any claimant. Empty otherwise, and whenever {@code follows} is present
     */
    public record MemberAnswer(Member member, Role role, String method, Duration latency, String detail,
            Optional<Member> follows, Optional<String> unknownLeader) {
        public MemberAnswer {
            requireNonNull(member, "member");
            requireNonNull(role, "role");
            requireNonNull(method, "method");
            requireNonNull(latency, "latency");
            requireNonNull(detail, "detail");
            requireNonNull(follows, "follows");
            requireNonNull(unknownLeader, "unknownLeader");
            if ((follows.isPresent() || unknownLeader.isPresent()) && role != Role.FOLLOWER) {
                throw new IllegalArgumentException("only a FOLLOWER names whom it follows, but " + member.podName()
                        + " is " + role + " and names " + follows.map(Member::podName).orElseGet(unknownLeader::get));
            }
            if (follows.isPresent() && unknownLeader.isPresent()) {
                throw new IllegalArgumentException(member.podName() + " follows " + follows.get().podName()
                        + " and names no member (" + unknownLeader.get() + ") at once");
            }
        }

        /** An answer that names a member as leader, or none ({@code follows} empty). */
        public MemberAnswer(Member member, Role role, String method, Duration latency, String detail,
                Optional<Member> follows) {
            this(member, role, method, latency, detail, follows, Optional.empty());
        }

        /** An answer that names no leader, for roles other than FOLLOWER and engines that do not tell. */
        public MemberAnswer(Member member, Role role, String method, Duration latency, String detail) {
            this(member, role, method, latency, detail, Optional.empty(), Optional.empty());
        }

        /** A FOLLOWER's answer that names {@code unknown} as its leader, which is no member: it dissents. */
        public static MemberAnswer followerOfUnknown(Member member, String method, Duration latency, String detail,
                String unknown) {
            return new MemberAnswer(member, Role.FOLLOWER, method, latency, detail, Optional.empty(),
                    Optional.of(unknown));
        }
    }
}
