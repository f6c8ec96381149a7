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
 * reconcile: never to one that runs after a member's pod was replaced, since the old pod may have answered for it.
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
        String before = RuntimeReconcile.discoveryKey("r/3/", pods("old-0", "uid-1", "uid-2"));
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
        String after = RuntimeReconcile.discoveryKey("r/3/", pods("new-0", "uid-1", "uid-2"));
        discoveries.forgetOthers("r/3/", after);
        Optional<LeaderStatus> answer = discoveries.answer(runtime, after, () -> now);
        oldPodAnswered.countDown();

        // Then it gets the answer of a discovery of the pods there now, not one that waits for the old answer
        assertThat(answer).contains(now);
    }

    private static List<Optional<Pod>> pods(String... uids) {
        return List.of(uids).stream().map(uid -> Optional.of(new PodBuilder().withNewMetadata().withUid(uid)
                .endMetadata().build())).toList();
    }
}
