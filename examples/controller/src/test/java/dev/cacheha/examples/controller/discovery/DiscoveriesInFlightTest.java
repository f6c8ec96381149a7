package dev.cacheha.examples.controller.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's one pool of leader discoveries, asked by the runtimes' and the backups' reconcilers: one bound
 * in all and one per namespace whoever asks, and each caller's resources woken through that caller's own event
 * source.
 */
class DiscoveriesInFlightTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final Duration INLINE_WAIT = Duration.ofMillis(20);
    private static final LeaderStatus NO_QUORUM = LeaderStatus.fromAnswers(List.of(), "test", Duration.ZERO);

    /** Released at the end of each test, so that no discovery thread outlives it. */
    private final CountDownLatch membersAnswer = new CountDownLatch(1);
    private final AtomicInteger started = new AtomicInteger();

    @AfterEach
    void releaseTheMembers() {
        membersAnswer.countDown();
    }

    /** A discovery that answers once the test lets the members answer. */
    private LeaderDiscovery hanging() {
        return () -> {
            started.incrementAndGet();
            try {
                membersAnswer.await(BUDGET.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return NO_QUORUM;
        };
    }

    private static <P extends HasMetadata> P named(P resource, String namespace, String name) {
        resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(name + "-uid")
                .build());
        return resource;
    }

    /** The resources {@code caller}'s event source woke. */
    private static Set<ResourceID> woken(DiscoveriesInFlight.Caller<?> caller) {
        Set<ResourceID> woken = ConcurrentHashMap.newKeySet();
        caller.eventSource().setEventHandler(event -> woken.add(event.getRelatedCustomResourceID()));
        // As the framework does once the controller runs: an event source that does not run wakes no one.
        caller.eventSource().start();
        return woken;
    }

    @Test
    void aTenantsBackupsAndRuntimesShareOneSlotPerNamespaceAndEachIsWokenThroughItsOwnCaller() {
        // Given one pool of two slots, one per namespace, asked by the runtimes and the backups
        DiscoveriesInFlight pool = new DiscoveriesInFlight(2, 1, INLINE_WAIT);
        DiscoveriesInFlight.Caller<CacheRuntime> runtimes = pool.caller("runtimes");
        DiscoveriesInFlight.Caller<CacheRuntimeBackup> backups = pool.caller("backups");
        Set<ResourceID> runtimesWoken = woken(runtimes);
        Set<ResourceID> backupsWoken = woken(backups);
        CacheRuntime demo = named(new CacheRuntime(), "sales", "demo");
        CacheRuntimeBackup nightly = named(new CacheRuntimeBackup(), "sales", "nightly");
        CacheRuntimeBackup other = named(new CacheRuntimeBackup(), "data", "other");
        CacheRuntime third = named(new CacheRuntime(), "ops", "third");

        // When runtime sales/demo's discovery hangs and backup sales/nightly asks for one
        assertThat(runtimes.answer(demo, "demo-uid/3", hanging())).isEmpty();
        Optional<LeaderStatus> nightlyAnswer = backups.answer(nightly, "nightly-uid", hanging());

        // Then the backup waits in line: namespace sales has used its one slot, whichever reconciler took it
        assertThat(nightlyAnswer).isEmpty();
        Eventually.within(BUDGET, "the runtime's discovery started", () -> started.get() == 1 ? true : null);
        assertThat(pool.running()).isEqualTo(1);

        // When a backup of another namespace asks, it starts; and then the pool is full for every namespace
        assertThat(backups.answer(other, "other-uid", hanging())).isEmpty();
        assertThat(runtimes.answer(third, "third-uid/3", hanging())).isEmpty();
        Eventually.within(BUDGET, "the other backup's discovery started", () -> started.get() == 2 ? true : null);
        assertThat(pool.running()).isEqualTo(2);

        // When the members answer
        membersAnswer.countDown();

        // Then each resource is woken through its own reconciler's event source: the runtimes whose discovery ended
        // or who may start one now through the runtimes', the backups through the backups'
        Eventually.within(BUDGET, "every waiter woken", () -> runtimesWoken.size() == 2 && backupsWoken.size() == 2
                ? true : null);
        assertThat(runtimesWoken).containsExactlyInAnyOrder(ResourceID.fromResource(demo),
                ResourceID.fromResource(third));
        assertThat(backupsWoken).containsExactlyInAnyOrder(ResourceID.fromResource(nightly),
                ResourceID.fromResource(other));
        // And each woken runtime takes its answer once
        assertThat(runtimes.answer(demo, "demo-uid/3", hanging())).contains(NO_QUORUM);
        assertThat(pool.held("demo-uid/")).isZero();
    }

    @Test
    void aForgottenDiscoveryRunsOutLeavingNothingHeldAndWakingNoOne() {
        // Given a backup whose discovery hangs, left running by its reconcile
        DiscoveriesInFlight pool = new DiscoveriesInFlight(2, 1, INLINE_WAIT);
        DiscoveriesInFlight.Caller<CacheRuntimeBackup> backups = pool.caller("backups");
        Set<ResourceID> woken = woken(backups);
        CacheRuntimeBackup nightly = named(new CacheRuntimeBackup(), "sales", "nightly");
        assertThat(backups.answer(nightly, "nightly-uid", hanging())).isEmpty();
        assertThat(pool.held("nightly-uid")).isEqualTo(1);

        // When the backup is deleted (its reconciler forgets it) and then its discovery ends
        backups.forget("nightly-uid");
        membersAnswer.countDown();

        // Then its slot is free again, nothing is held for it, and no one was woken for it
        Eventually.within(BUDGET, "the discovery's end", () -> pool.running() == 0 ? true : null);
        assertThat(pool.held("nightly-uid")).isZero();
        assertThat(woken).isEmpty();
    }
}
