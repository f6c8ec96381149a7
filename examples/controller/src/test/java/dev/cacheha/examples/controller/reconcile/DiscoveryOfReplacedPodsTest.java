package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.follower;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.leader;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.silent;
import static dev.cacheha.examples.controller.reconcile.QuorumAnswers.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.LeaderStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A discovery outlives the reconcile that asked (it runs off the worker thread) and its answer goes to a later
 * reconcile: never to one that runs after a member's pod was replaced, since the old pod may have answered for it,
 * nor to one that runs after a member's pod turned Ready, which can be answered at once.
 */
class DiscoveryOfReplacedPodsTest {

    @Test
    void anAnswerAskedBeforeAMembersPodWasReplacedIsNotHandedToALaterReconcile() throws Exception {
        // Given a discovery asked while member 0's old pod ran, still running (it will say HEALTHY: the old pod
        // answered FOLLOWER, naming the leader, as it shut down)
        CacheRuntime runtime = new CacheRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").withUid("r").build());
        DiscoveriesInFlight.Caller<CacheRuntime> discoveries = new DiscoveriesInFlight(4, 4, Duration.ofMillis(500))
                .caller("runtimes");
        CountDownLatch oldPodAnswered = new CountDownLatch(1);
        LeaderStatus asked = status(follower(0, 2), follower(1, 2), leader(2));
        String before = RuntimeReconcile.discoveryKey("r/3/", pods(true, "old-0", "uid-1", "uid-2"));
        assertThat(discoveries.answer(runtime, before, () -> {
            try {
                oldPodAnswered.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return asked;
        })).isEmpty();

        // When member 0's pod has been replaced (a new UID, its master not started) and a reconcile asks
        LeaderStatus now = status(silent(0), follower(1, 2), leader(2));
        String after = RuntimeReconcile.discoveryKey("r/3/", pods(true, "new-0", "uid-1", "uid-2"));
        discoveries.forgetOthers("r/3/", after);
        Optional<LeaderStatus> answer = discoveries.answer(runtime, after, () -> now);
        oldPodAnswered.countDown();

        // Then it gets the answer of a discovery of the pods there now, not one that waits for the old answer
        assertThat(answer).contains(now);
    }

    @Test
    void aReconcileAfterTheMembersPodsTurnedReadyDoesNotWaitForADiscoveryAskedBefore() {
        // Given a discovery asked while no member's pod was Ready, still running (a command in a starting pod,
        // as Alluxio's CLI fallback is when no member serves HTTP yet)
        CacheRuntime runtime = new CacheRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").withUid("r").build());
        DiscoveriesInFlight.Caller<CacheRuntime> discoveries = new DiscoveriesInFlight(4, 4, Duration.ofMillis(500))
                .caller("runtimes");
        CountDownLatch commandEnded = new CountDownLatch(1);
        String starting = RuntimeReconcile.discoveryKey("r/3/", pods(false, "uid-0", "uid-1", "uid-2"));
        assertThat(discoveries.answer(runtime, starting, () -> {
            try {
                commandEnded.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status(silent(0), silent(1), silent(2));
        })).isEmpty();

        // When the same pods are Ready and a reconcile asks
        LeaderStatus serving = status(follower(0, 2), follower(1, 2), leader(2));
        String ready = RuntimeReconcile.discoveryKey("r/3/", pods(true, "uid-0", "uid-1", "uid-2"));
        discoveries.forgetOthers("r/3/", ready);
        Optional<LeaderStatus> answer = discoveries.answer(runtime, ready, () -> serving);
        commandEnded.countDown();

        // Then it gets the answer of the pods as they serve now, within the reconcile
        assertThat(answer).contains(serving);
    }

    private static List<Optional<Pod>> pods(boolean ready, String... uids) {
        return List.of(uids).stream().map(uid -> Optional.of(new PodBuilder().withNewMetadata().withUid(uid)
                .endMetadata().withNewStatus().addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus().build())).toList();
    }
}
