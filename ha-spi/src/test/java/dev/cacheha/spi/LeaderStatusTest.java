package dev.cacheha.spi;

import static dev.cacheha.spi.LeaderStatus.Role.FOLLOWER;
import static dev.cacheha.spi.LeaderStatus.Role.LEADER;
import static dev.cacheha.spi.LeaderStatus.Role.UNKNOWN;
import static dev.cacheha.spi.LeaderStatus.Role.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How a quorum's health and leader are judged from its members' answers, and what a status may claim. */
class LeaderStatusTest {

    private static final Duration ELAPSED = Duration.ofMillis(12);

    private static Member member(int ordinal) {
        return new Member(ordinal, "fluid", "cache-master-" + ordinal,
                "cache-master-" + ordinal + ".cache-master.fluid.svc.cluster.local");
    }

    private static MemberAnswer answer(int ordinal, Role role) {
        return new MemberAnswer(member(ordinal), role, "GET /metrics/json/", Duration.ofMillis(3), "");
    }

    /** One answer per role, members numbered from 0 in the order given. */
    private static List<MemberAnswer> answers(Role... roles) {
        return IntStream.range(0, roles.length).mapToObj(i -> answer(i, roles[i])).toList();
    }

    /** A follower of member {@code leader}, as an engine that tells whom it follows reports it. */
    private static MemberAnswer following(int ordinal, int leader) {
        return new MemberAnswer(member(ordinal), FOLLOWER, "GET /webui", Duration.ofMillis(3), "",
                Optional.of(member(leader)));
    }

    /** A follower naming a leader that is no member, as an engine's discovery reports it. */
    private static MemberAnswer followingUnknown(int ordinal) {
        return MemberAnswer.followerOfUnknown(member(ordinal), "GET /webui", Duration.ofMillis(3), "",
                "leaderId new-leader.example_19200");
    }

    private static LeaderStatus judge(Role... roles) {
        return LeaderStatus.fromAnswers(answers(roles), "http", ELAPSED);
    }

    @Test
    void oneLeaderWithEveryMemberAnsweringIsHealthy() {
        // Given a leader and two followers
        // When the answers are judged
        LeaderStatus status = judge(FOLLOWER, LEADER, FOLLOWER);

        // Then the quorum is healthy and the leader is named
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.leader()).contains(member(1));
        assertThat(status.method()).isEqualTo("http");
        assertThat(status.elapsed()).isEqualTo(ELAPSED);
        assertThat(status.members()).isEqualTo(answers(FOLLOWER, LEADER, FOLLOWER));
    }

    @Test
    void aSingleMasterThatLeadsIsHealthy() {
        assertThat(judge(LEADER).health()).isEqualTo(Health.HEALTHY);
    }

    @Test
    void oneLeaderWithABareMajorityAnsweringIsDegradedAndStillNamesTheLeader() {
        // Given a leader, a follower, and a member that did not answer, and one that answered nonsense
        LeaderStatus threeOfFive = judge(LEADER, FOLLOWER, UNREACHABLE, FOLLOWER, UNKNOWN);
        LeaderStatus twoOfThree = judge(UNREACHABLE, FOLLOWER, LEADER);

        // Then the quorum is degraded, the leader named
        assertThat(threeOfFive.health()).isEqualTo(Health.DEGRADED);
        assertThat(threeOfFive.leader()).contains(member(0));
        assertThat(twoOfThree.health()).isEqualTo(Health.DEGRADED);
        assertThat(twoOfThree.leader()).contains(member(2));
    }

    @Test
    void noLeaderMeansNoQuorumEvenWhenEveryMemberAnswers() {
        LeaderStatus status = judge(FOLLOWER, FOLLOWER, FOLLOWER);

        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
    }

    @Test
    void aLeaderThatFewerThanAMajorityAnswerWithIsNotNamed() {
        // Given a member that says it leads while only it and one other of five answer
        LeaderStatus status = judge(LEADER, FOLLOWER, UNREACHABLE, UNREACHABLE, UNKNOWN);

        // Then there is no quorum, and no leader is named, though its answer is reported
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
        assertThat(status.membersWithRole(LEADER)).containsExactly(member(0));
    }

    @Test
    void aLoneAnsweringLeaderOfThreeIsNotNamed() {
        assertThat(judge(UNREACHABLE, LEADER, UNREACHABLE).health()).isEqualTo(Health.NO_QUORUM);
    }

    @Test
    void noAnswersAtAllIsNoQuorum() {
        LeaderStatus status = LeaderStatus.fromAnswers(List.of(), "http", ELAPSED);

        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
        assertThat(status.members()).isEmpty();
    }

    @Test
    void twoLeadersAreUnknownWithBothListedAndNeitherPicked() {
        // Given two members that each say they lead, every member answering
        LeaderStatus status = judge(LEADER, FOLLOWER, LEADER);

        // Then nothing can be concluded: health unknown, no leader, both leaders reported
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.leader()).isEmpty();
        assertThat(status.membersWithRole(LEADER)).containsExactly(member(0), member(2));
    }

    @Test
    void membersWithRoleListsEachRoleByOrdinal() {
        LeaderStatus status = judge(FOLLOWER, LEADER, UNREACHABLE, FOLLOWER, UNKNOWN);

        assertThat(status.membersWithRole(FOLLOWER)).containsExactly(member(0), member(3));
        assertThat(status.membersWithRole(UNREACHABLE)).containsExactly(member(2));
        assertThat(status.membersWithRole(UNKNOWN)).containsExactly(member(4));
    }

    @Test
    void answersArriveInAnyOrderButAreKeptByOrdinal() {
        // Given answers in the order they completed, not by ordinal
        List<MemberAnswer> completionOrder = List.of(answer(2, FOLLOWER), answer(0, LEADER), answer(1, FOLLOWER));

        // When they are judged
        LeaderStatus status = LeaderStatus.fromAnswers(completionOrder, "http", ELAPSED);

        // Then the status lists them by ordinal, so equal quorums give equal statuses
        assertThat(status.members()).isEqualTo(answers(LEADER, FOLLOWER, FOLLOWER));
        assertThat(status).isEqualTo(judge(LEADER, FOLLOWER, FOLLOWER));
    }

    @Test
    void twoAnswersForOneMemberAreRefusedBecauseTheyWouldCountTwiceTowardsAMajority() {
        List<MemberAnswer> doubled = List.of(answer(0, LEADER), answer(0, FOLLOWER), answer(1, UNREACHABLE));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> LeaderStatus.fromAnswers(doubled, "http", ELAPSED))
                .withMessageContaining("an ordinal answers twice");
    }

    @Test
    void theMemberListIsCopiedAndRefusesChanges() {
        List<MemberAnswer> answers = new ArrayList<>(answers(LEADER, FOLLOWER, FOLLOWER));
        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        answers.remove(0);

        assertThat(status.members()).hasSize(3);
        assertThatThrownBy(() -> status.members().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Health.class, names = {"NO_QUORUM", "UNKNOWN"})
    void aStatusWithoutQuorumOrWithContradictionsCannotNameALeader(Health health) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LeaderStatus(Optional.of(member(0)), health, answers(LEADER, FOLLOWER, FOLLOWER),
                        "http", ELAPSED))
                .withMessageContaining("a leader is named exactly when health is HEALTHY or DEGRADED");
    }

    @ParameterizedTest
    @EnumSource(value = Health.class, names = {"HEALTHY", "DEGRADED"})
    void aStatusWithQuorumMustNameALeader(Health health) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LeaderStatus(Optional.empty(), health, answers(LEADER, FOLLOWER, FOLLOWER),
                        "http", ELAPSED))
                .withMessageContaining("leader is Optional.empty");
    }

    @Test
    void theNamedLeaderMustBeAMemberThatAnsweredLeader() {
        // Given a status naming a member that answered FOLLOWER, and one naming a member that is not in the list
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LeaderStatus(Optional.of(member(1)), Health.HEALTHY,
                        answers(LEADER, FOLLOWER, FOLLOWER), "http", ELAPSED))
                .withMessage("leader cache-master-1 is not a member that answered LEADER");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LeaderStatus(Optional.of(member(7)), Health.HEALTHY,
                        answers(LEADER, FOLLOWER, FOLLOWER), "http", ELAPSED))
                .withMessage("leader cache-master-7 is not a member that answered LEADER");
    }

    @Test
    void aStaleLeaderWhoseOnlyAnsweringFollowerNamesAnotherIsNeverNamed() {
        // Given the real leader 2 out of the controller's reach, a paused old leader 0 that still says LEADER,
        // and follower 1 that follows 2
        List<MemberAnswer> answers = List.of(answer(0, LEADER), following(1, 2), answer(2, UNREACHABLE));

        // When the answers are judged
        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        // Then no leader is named: the contradiction is UNKNOWN, with who dissents in the reason
        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.reason()).isEqualTo("cache-master-0 says it leads, but only 1 of 3 members stand behind it,"
                + " 2 needed; cache-master-1 follows cache-master-2; no role from cache-master-2");
    }

    @Test
    void aLeaderWithAMajorityBehindItIsNamedDegradedWhenAFollowerStillNamesTheDeadLeader() {
        // Given five members right after a failover: 1 leads, 2 and 3 follow it, 4 still names the dead 0
        List<MemberAnswer> answers = List.of(answer(0, UNREACHABLE), answer(1, LEADER), following(2, 1),
                following(3, 1), following(4, 0));

        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        assertThat(status.leader()).contains(member(1));
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.reason()).isEqualTo("3 of 5 members stand behind cache-master-1;"
                + " cache-master-4 follows cache-master-0; no role from cache-master-0");
    }

    @Test
    void theNewLeaderIsUnknownWhileTheFollowersStillNameTheDeadOne() {
        // Given three members a moment after leader 0 died: 1 already says LEADER, 2 still follows 0
        List<MemberAnswer> answers = List.of(answer(0, UNREACHABLE), answer(1, LEADER), following(2, 0));

        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        // Then neither the dead leader nor the new one is named until a majority agrees
        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
    }

    @Test
    void followersThatAllNameALeaderThatDoesNotAnswerAreUnknownNotNoQuorum() {
        // Given the leader 0 silent and both followers still naming it
        List<MemberAnswer> answers = List.of(answer(0, UNREACHABLE), following(1, 0), following(2, 0));

        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        // Then nothing can be concluded: it may have died (election pending) or lead out of this controller's reach
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.leader()).isEmpty();
        assertThat(status.reason()).startsWith("2 followers name cache-master-0 as leader, which did not say it leads");
    }

    @Test
    void everyFollowerNamingTheClaimantIsHealthyWithNoReason() {
        List<MemberAnswer> answers = List.of(following(0, 1), answer(1, LEADER), following(2, 1));

        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.leader()).contains(member(1));
        assertThat(status.reason()).isEmpty();
    }

    @Test
    void followersNamingALeaderThatIsNoMemberDissentSoTheClaimantIsUnknown() {
        // Given member 0 claiming to lead and both followers naming an address that is no member
        List<MemberAnswer> answers = List.of(answer(0, LEADER), followingUnknown(1), followingUnknown(2));

        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        // Then their word counts against the claimant: no leader, UNKNOWN, with who named what
        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.reason()).isEqualTo("cache-master-0 says it leads, but only 1 of 3 members stand behind it,"
                + " 2 needed; cache-master-1 names leader leaderId new-leader.example_19200, no member,"
                + " cache-master-2 names leader leaderId new-leader.example_19200, no member");
    }

    @Test
    void oneFollowerNamingNoMemberLeavesTheClaimantDegradedWithTheDissentInTheReason() {
        List<MemberAnswer> answers = List.of(answer(0, LEADER), following(1, 0), followingUnknown(2));

        LeaderStatus status = LeaderStatus.fromAnswers(answers, "http", ELAPSED);

        assertThat(status.leader()).contains(member(0));
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.reason()).isEqualTo("2 of 3 members stand behind cache-master-0;"
                + " cache-master-2 names leader leaderId new-leader.example_19200, no member");
    }

    @Test
    void aLeaderThatIsNoMemberIsNamedOnlyByAFollowerAndNeverTogetherWithAMember() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MemberAnswer(member(0), LEADER, "GET", ELAPSED,
                "", Optional.empty(), Optional.of("x"))).withMessageContaining("only a FOLLOWER");
        assertThatIllegalArgumentException().isThrownBy(() -> new MemberAnswer(member(0), FOLLOWER, "GET", ELAPSED,
                "", Optional.of(member(1)), Optional.of("x"))).withMessageContaining("at once");
    }

    @Test
    void onlyAFollowerNamesWhomItFollows() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MemberAnswer(member(0), LEADER, "GET", ELAPSED, "", Optional.of(member(1))))
                .withMessage("only a FOLLOWER names whom it follows, but cache-master-0 is LEADER and names"
                        + " cache-master-1");
    }

    @Test
    void aMemberHasNoNegativeOrdinal() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Member(-1, "fluid", "pod", "host"))
                .withMessage("ordinal must not be negative: -1");
    }
}
