package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.follower;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.leader;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.LeaderStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What an {@code AwaitQuorum} step counts. On real Alluxio a new master the leader refused to add keeps answering
 * FOLLOWER over HTTP without ever hearing from the leader (docs/reliability.md, section 12), so a member that
 * answers is not yet a member of the raft configuration: when the engine tells whom followers follow, only
 * followers of the leader count.
 */
class AwaitQuorumTest {


    @Test
    void aGrowWaitsWhileANewMemberAnswersButNamesNoLeader() {
        // Given 5 members answering, one leader, and new member 4 following no one (it has not heard from it)
        LeaderStatus quorum = status(leader(0), follower(1, 0), follower(2, 0), follower(3, 0), follower(4, -1));

        // When the step waits for 5 members
        Optional<String> waiting = StepRunner.quorumWait(quorum, 5);

        // Then it keeps waiting and says that 3 of the 4 followers follow the leader
        assertThat(waiting).hasValueSatisfying(why -> assertThat(why)
                .contains("5 members to answer with one leader, each follower naming it")
                .contains("5 answer, 3 follow demo-master-0"));
    }

    @Test
    void theWaitEndsOnceEveryNewMemberFollowsTheLeader() {
        // Given every member naming the leader
        LeaderStatus quorum = status(leader(0), follower(1, 0), follower(2, 0), follower(3, 0), follower(4, 0));

        // When the step waits for 5 members, then it is done
        assertThat(StepRunner.quorumWait(quorum, 5)).isEmpty();
    }

    @Test
    void aFollowerOfAnotherMemberDoesNotCount() {
        // Given member 4 still naming a member that no longer leads
        LeaderStatus quorum = status(leader(0), follower(1, 0), follower(2, 0), follower(3, 0), follower(4, 1));

        // When the step waits for 5 members, then it keeps waiting
        assertThat(StepRunner.quorumWait(quorum, 5)).isPresent();
    }

    @Test
    void anEngineThatNeverNamesLeadersIsCountedByAnswersAlone() {
        // Given an engine whose followers never say whom they follow
        LeaderStatus quorum = status(leader(0), follower(1, -1), follower(2, -1));

        // When the step waits for 3 members, then every answer counts
        assertThat(StepRunner.quorumWait(quorum, 3)).isEmpty();
        assertThat(StepRunner.quorumWait(quorum, 4)).hasValueSatisfying(why -> assertThat(why)
                .isEqualTo("4 members to answer with one leader (3 answer, health HEALTHY)"));
    }

    @Test
    void noLeaderMeansWaiting() {
        // Given followers only, named after a leader that does not answer
        LeaderStatus quorum = status(follower(1, 0), follower(2, 0));

        // When the step waits for 2 members, then it keeps waiting
        assertThat(StepRunner.quorumWait(quorum, 2)).hasValueSatisfying(why -> assertThat(why)
                .contains("0 follow no single leader"));
    }
}
