package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.MEMBERS;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.follower;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.leader;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.silent;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * When a rolling restart may restart its next member. On real Alluxio a restarted master answers FOLLOWER over
 * HTTP as soon as its web server runs, before it has heard from the leader; restarting the next follower then
 * left the leader alone in its raft group (docs/reliability.md, section 11).
 */
class MemberRollTest {

    @Test
    void aRestartedFollowerThatNamesNoLeaderYetHoldsTheNextRestart() {
        // Given member 0 restarted onto the new configuration, members 1 and 2 still on the old one, and a quorum
        // that answers HEALTHY: 2 leads, 1 follows it, and the restarted 0 answers FOLLOWER but names no leader
        LeaderStatus quorum = status(follower(0, -1), follower(1, 2), leader(2));
        assertThat(quorum.health()).isEqualTo(LeaderStatus.Health.HEALTHY);

        // When the roll takes its next step
        Optional<MemberRoll.Waiting> waiting = stepAfterRestartingMember0(quorum);

        // Then it restarts nothing, and waits (asking again, no pod event ends it) for 0 to follow the leader
        assertThat(waiting).contains(new MemberRoll.Waiting("every member to follow demo-master-2 before"
                + " restarting demo-master-1 (demo-master-0 name no leader or another)", false));
    }

    @Test
    void aSilentDueMemberWaitsWhileTheRestartedFollowerNamesNoLeaderYet() {
        // Given member 0 restarted onto the new configuration and answering FOLLOWER without naming a leader (the
        // leader has not heard from it yet), member 1 due and silent, member 2 due and leading: by answers alone 2
        // of 3 hold a majority with a leader, but only the leader itself stands in the raft majority
        LeaderStatus quorum = status(follower(0, -1), silent(1), leader(2));
        assertThat(quorum.leader()).contains(MEMBERS.get(2));

        // When the roll takes its next step
        Optional<MemberRoll.Waiting> waiting = stepAfterRestartingMember0(quorum);

        // Then it does not restart the silent member 1 (which would leave the leader without a follower it hears
        // from), and waits, asking again, for a HEALTHY quorum
        assertThat(waiting).contains(new MemberRoll.Waiting("a HEALTHY quorum before restarting demo-master-1"
                + " (now DEGRADED)", false));
    }

    @Test
    void aRestartTheCacheDoesNotShowYetHoldsTheNextOne() {
        // Given a roll that restarted member 0 (members 1 and 2 follow leader 2, all on the old configuration)
        List<String> deleted = new ArrayList<>();
        MemberRoll roll = rollDeletingInto(deleted);
        Function<Member, Optional<Pod>> cacheBeforeTheDelete = member -> Optional.of(pod(member, "old"));
        roll.step(MEMBERS.subList(0, 3), "new", cacheBeforeTheDelete,
                () -> status(follower(0, 2), follower(1, 2), leader(2)));
        assertThat(deleted).containsExactly("demo-master-0");

        // When it takes its next step while the pod cache still shows member 0's old pod running, with an answer
        // asked before the restart in which member 1 missed its deadline (the one exception, a silent member)
        Optional<MemberRoll.Waiting> waiting = roll.step(MEMBERS.subList(0, 3), "new", cacheBeforeTheDelete,
                () -> status(follower(0, 2), silent(1), leader(2)));

        // Then it restarts nothing more, and waits for the pod event that shows the restart
        assertThat(deleted).containsExactly("demo-master-0");
        assertThat(waiting).contains(new MemberRoll.Waiting("the pod cache to show the restart of demo-master-0",
                true));
    }

    @Test
    void aReplacedMemberWhosePodIsNotReadyHoldsTheNextRestartWhateverTheAnswersSay() {
        // Given member 0 restarted onto the new configuration, its new pod not Ready yet, and an answer that counts
        // it anyway (the leader's quorum list lags a restart): 2 leads, 0 and 1 follow it
        List<String> deleted = new ArrayList<>();
        MemberRoll roll = rollDeletingInto(deleted);
        Function<Member, Optional<Pod>> pods = member -> Optional.of(member.ordinal() == 0
                ? pod(member, "new", false) : pod(member, "old"));

        // When the roll takes its next step
        Optional<MemberRoll.Waiting> waiting = roll.step(MEMBERS.subList(0, 3), "new", pods,
                () -> status(follower(0, 2), follower(1, 2), leader(2)));

        // Then it restarts nothing, and waits for the pod event that makes member 0 Ready
        assertThat(deleted).isEmpty();
        assertThat(waiting).contains(new MemberRoll.Waiting("pod demo-master-0 to be Ready before restarting"
                + " demo-master-1", true));
    }

    @Test
    void aSilentMemberWhosePodIsNotReadyIsStillRestartedWhileEveryOtherPodIsReady() {
        // Given member 1 due and silent with a pod that is not Ready (its old configuration keeps it down), while
        // 0 and 2 run Ready and answer (0 follows the leader 2): the one exception may restart it
        List<String> deleted = new ArrayList<>();
        MemberRoll roll = rollDeletingInto(deleted);
        Function<Member, Optional<Pod>> pods = member -> Optional.of(member.ordinal() == 1
                ? pod(member, "old", false) : pod(member, member.ordinal() == 0 ? "new" : "old"));

        // When the roll takes its next step
        roll.step(MEMBERS.subList(0, 3), "new", pods, () -> status(follower(0, 2), silent(1), leader(2)));

        // Then it restarts the silent member: its own readiness does not hold its restart
        assertThat(deleted).containsExactly("demo-master-1");
    }

    @Test
    void onlyFollowersOfTheOneLeaderCountAsFollowingIt() {
        // Given followers naming the leader, naming another member, and naming no one
        LeaderStatus quorum = status(leader(0), follower(1, 0), follower(2, 1));

        // When asked who does not follow the leader, then it is the one naming another member
        assertThat(MemberRoll.notFollowingTheLeader(quorum)).containsExactly(MEMBERS.get(2));
    }

    @Test
    void anEngineThatNeverNamesLeadersHoldsNoRestart() {
        // Given an engine whose followers never say whom they follow
        LeaderStatus quorum = status(leader(0), follower(1, -1), follower(2, -1));

        // When asked who does not follow the leader, then no one: an answer is all there is to count
        assertThat(MemberRoll.notFollowingTheLeader(quorum)).isEmpty();
    }

    /**
     * The roll's step over members 0-2 when member 0 already runs the new configuration, with a client of no
     * server: a restart's DELETE would throw.
     */
    private static Optional<MemberRoll.Waiting> stepAfterRestartingMember0(LeaderStatus quorum) {
        try (KubernetesClient noServer = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestTimeout(1_000)
                        .build()).build()) {
            return new MemberRoll(new PreconditionedDelete(noServer)).step(MEMBERS.subList(0, 3), "new",
                    member -> Optional.of(pod(member, member.ordinal() == 0 ? "new" : "old")), () -> quorum);
        }
    }

    /** A roll whose restarts succeed and add the pod's name to {@code deleted}. */
    private static MemberRoll rollDeletingInto(List<String> deleted) {
        return new MemberRoll(pod -> {
            deleted.add(pod.getMetadata().getName());
            return PreconditionedDelete.Result.DELETED;
        });
    }

    private static Pod pod(Member member, String digest) {
        return pod(member, digest, true);
    }

    private static Pod pod(Member member, String digest, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(member.podName()).withNamespace("ns")
                .withUid("uid-" + member.ordinal()).withAnnotations(Map.of(ConfigDigest.ANNOTATION, digest))
                .endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build();
    }
}
