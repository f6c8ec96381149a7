package dev.cacheha.toolkit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The engine reads one answer; the toolkit asks, bounds, checks whom a follower names and judges agreement. */
class HttpRoleDiscoveryTest {

    private static final List<Member> MEMBERS = IntStream.range(0, 3)
            .mapToObj(i -> new Member(i, "farm", "goose-" + i, "goose-" + i + ".farm"))
            .toList();

    /** Goose answers {@code LEADER}, or {@code FOLLOWER <pod of its leader>}. */
    private static final HttpRoleDiscovery GOOSE = new HttpRoleDiscovery("/role", (asked, body, members) ->
            body.equals("LEADER") ? MemberFanOut.Reading.of(Role.LEADER, "")
                    : body.startsWith("FOLLOWER ") ? members.stream()
                            .filter(member -> member.podName().equals(body.substring("FOLLOWER ".length())))
                            .findFirst().map(leader -> MemberFanOut.Reading.followerOf(leader, ""))
                            .orElse(MemberFanOut.Reading.of(Role.FOLLOWER, ""))
                    : MemberFanOut.Reading.of(Role.UNKNOWN, "says " + body));

    private static LeaderStatus discover(HttpRoleDiscovery discovery, Map<Integer, MemberProbe.Response> answers) {
        MemberProbe probe = (member, port, path, deadline) -> answers.containsKey(member.ordinal())
                ? CompletableFuture.completedFuture(answers.get(member.ordinal()))
                : new CompletableFuture<>();
        return discovery.of(MEMBERS, 7000, new ClusterAccess(probe, (member, container, argv, deadline) -> {
            throw new AssertionError("no exec");
        }, Duration.ofMillis(300))).discover();
    }

    private static MemberProbe.Response ok(String body) {
        return new MemberProbe.Response(200, body);
    }

    @Test
    void givenALeaderWhoseFollowersNameItWhenDiscoveredThenItLeadsAHealthyQuorum() {
        LeaderStatus status = discover(GOOSE, Map.of(0, ok("FOLLOWER goose-1"), 1, ok("LEADER"),
                2, ok("FOLLOWER goose-1")));

        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.leader()).contains(MEMBERS.get(1));
    }

    @Test
    void givenTheReadingWhenEachMemberAnswersThenItIsHandedTheMemberThatGaveTheAnswer() {
        Map<Member, String> handed = new ConcurrentHashMap<>();
        HttpRoleDiscovery recording = new HttpRoleDiscovery("/role", (asked, body, members) -> {
            handed.put(asked, body);
            return MemberFanOut.Reading.of(Role.FOLLOWER, "");
        });

        discover(recording, Map.of(0, ok("zero"), 1, ok("one"), 2, ok("two")));

        assertThat(handed).containsExactlyInAnyOrderEntriesOf(Map.of(MEMBERS.get(0), "zero", MEMBERS.get(1), "one",
                MEMBERS.get(2), "two"));
    }

    @Test
    void givenAFollowerThatNamesItselfAsLeaderWhenDiscoveredThenItsWordCountsForNoOne() {
        HttpRoleDiscovery selfNaming = new HttpRoleDiscovery("/role", (asked, body, members) -> body.equals("LEADER")
                ? MemberFanOut.Reading.of(Role.LEADER, "") : MemberFanOut.Reading.followerOf(asked, ""));

        LeaderStatus status = discover(selfNaming, Map.of(0, ok("LEADER"), 1, ok("FOLLOWER"), 2, ok("FOLLOWER")));

        assertThat(status.members()).filteredOn(answer -> answer.role() == Role.FOLLOWER)
                .allSatisfy(answer -> {
                    assertThat(answer.follows()).isEmpty();
                    assertThat(answer.detail()).contains("not another member of this quorum");
                });
        assertThat(status.leader()).contains(MEMBERS.get(0));
    }

    @Test
    void givenAnErrorPageAndASilentMemberWhenDiscoveredThenTheyAreUnknownAndUnreachableWithoutBeingRead() {
        LeaderStatus status = discover(GOOSE, Map.of(0, ok("LEADER"), 1, new MemberProbe.Response(503, "LEADER")));

        assertThat(status.members()).extracting(MemberAnswer::role)
                .containsExactly(Role.LEADER, Role.UNKNOWN, Role.UNREACHABLE);
        assertThat(status.members().get(1).detail()).startsWith("HTTP 503");
    }
}
