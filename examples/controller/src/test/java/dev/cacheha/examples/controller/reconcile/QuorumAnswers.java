package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Members {@code demo-master-0..4} and what they answer, for the tests of what the controller counts. */
final class QuorumAnswers {

    static final List<Member> MEMBERS = IntStream.range(0, 5)
            .mapToObj(ordinal -> new Member(ordinal, "ns", "demo-master-" + ordinal, "demo-master-" + ordinal + ".x"))
            .toList();

    private QuorumAnswers() {
    }

    static LeaderStatus status(MemberAnswer... answers) {
        return LeaderStatus.fromAnswers(List.of(answers), "test", Duration.ZERO);
    }

    static MemberAnswer leader(int ordinal) {
        return new MemberAnswer(MEMBERS.get(ordinal), Role.LEADER, "test", Duration.ZERO, "");
    }

    /** A member that did not answer in time. */
    static MemberAnswer silent(int ordinal) {
        return new MemberAnswer(MEMBERS.get(ordinal), Role.UNREACHABLE, "test", Duration.ZERO, "no answer");
    }

    /** A follower of member {@code leader}, or of no one named when it is negative. */
    static MemberAnswer follower(int ordinal, int leader) {
        return new MemberAnswer(MEMBERS.get(ordinal), Role.FOLLOWER, "test", Duration.ZERO, "",
                leader < 0 ? Optional.empty() : Optional.of(MEMBERS.get(leader)));
    }
}
