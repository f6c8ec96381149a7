package dev.cacheha.toolkit.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MemberFanOutTest {

    private static final Duration DEADLINE = Duration.ofMillis(300);
    /** Generous for a busy machine, yet far below what a sequential or unbounded fan-out would take. */
    private static final Duration BUDGET = Duration.ofMillis(2_500);

    private static final List<Member> MEMBERS = IntStream.range(0, 3)
            .mapToObj(i -> new Member(i, "farm", "goose-" + i, "goose-" + i + ".farm"))
            .toList();

    private static MemberFanOut.Reading read(String role) {
        return MemberFanOut.Reading.of(Role.valueOf(role), "");
    }

    @Test
    void aLeaderAndTwoFollowersAreHealthy() {
        LeaderStatus status = new MemberFanOut(MEMBERS, DEADLINE).discover("ask",
                member -> CompletableFuture.completedFuture(member.ordinal() == 1 ? "LEADER" : "FOLLOWER"),
                MemberFanOutTest::read);

        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.leader()).contains(MEMBERS.get(1));
    }

    @Test
    void aSilentMemberIsUnreachableWithinTheDeadline() {
        long start = System.nanoTime();
        LeaderStatus status = new MemberFanOut(MEMBERS, DEADLINE).discover("ask",
                member -> member.ordinal() == 2 ? new CompletableFuture<>()
                        : CompletableFuture.completedFuture(member.ordinal() == 0 ? "LEADER" : "FOLLOWER"),
                MemberFanOutTest::read);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET);
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.members().get(2).role()).isEqualTo(Role.UNREACHABLE);
        assertThat(status.members().get(2).detail()).isEqualTo("no answer within 300 ms");
    }

    @Test
    void aCallThatBlocksBeforeReturningItsFutureCannotPushAnyAnswerPastTheDeadline() {
        // Given a port whose every call blocks for far longer than the deadline before it returns a future
        long start = System.nanoTime();
        LeaderStatus status = new MemberFanOut(MEMBERS, DEADLINE).discover("ask", member -> {
            sleep(Duration.ofSeconds(5));
            return CompletableFuture.completedFuture("LEADER");
        }, MemberFanOutTest::read);

        // Then discovery still ends within the budget, every member unreachable
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET);
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.members()).extracting(MemberAnswer::role).containsOnly(Role.UNREACHABLE);
    }

    @Test
    void aThrowingCallANullFutureAndAnUnreadableAnswerBecomeAnswers() {
        LeaderStatus status = new MemberFanOut(MEMBERS, DEADLINE).discover("ask", member -> switch (member.ordinal()) {
            case 0 -> throw new IllegalStateException("refused\nforged line");
            case 1 -> null;
            default -> CompletableFuture.completedFuture("GARBAGE");
        }, MemberFanOutTest::read);

        assertThat(status.members()).extracting(MemberAnswer::role)
                .containsExactly(Role.UNREACHABLE, Role.UNREACHABLE, Role.UNKNOWN);
        assertThat(status.members().get(0).detail()).isEqualTo("IllegalStateException: refused\\u000aforged line");
        assertThat(status.members().get(1).detail()).contains("no future");
        assertThat(status.members().get(2).detail()).startsWith("could not read the answer");
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
    }

    @Test
    void boundedFailsASilentCallAtTheDeadline() {
        CompletableFuture<String> silent = MemberFanOut.bounded(CompletableFuture::new, DEADLINE);

        assertThat(silent).failsWithin(BUDGET);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
