package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ScaleFigures;
import dev.cacheha.examples.controller.fake.ServerRequests.Request;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.LeaderStatus.Role;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's scale figures: many Alluxio runtimes created at once on the CRUD mock server, the time until every
 * one is Ready, the requests a full resync sends (none: every read comes from the informers, nothing changed;
 * an informer's own relist is counted apart), and the heap the controller holds. {@code mvn verify} runs
 * {@value #SMOKE_RUNTIMES} runtimes; the benchmark is the same test with {@code -Dcacheha.benchmark.runtimes=1000}
 * (see docs/benchmarks.md). It stays on the mock server only as the baseline docs/benchmarks.md sets the real
 * control plane's figures beside; what it asserts is proven on the real control plane by
 * {@code realcluster.ScaleOnRealClusterTest}.
 */
class SteadyStateAtScaleTest {

    private static final int SMOKE_RUNTIMES = 20;
    private static final int RUNTIMES = Integer.getInteger("cacheha.benchmark.runtimes", SMOKE_RUNTIMES);
    /** JOSDK's maximum interval between two reconciles of one runtime: the periodic full resync. */
    private static final Duration RESYNC = Duration.ofSeconds(Math.max(3, RUNTIMES / 20));
    /** Generous for a loaded machine: two seconds per runtime, never less than two minutes. */
    private static final Duration BUDGET = Duration.ofSeconds(Math.max(120, RUNTIMES * 2L));

    /** How often the test and the fake StatefulSet controller look, each look listing every runtime or pod. */
    private static final Duration POLL = Duration.ofMillis(Math.max(20, RUNTIMES * 2L));

    private ControllerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void manyRuntimesBecomeReadyAndAFullResyncSendsNoWriteAndNoGet() {
        // Given the operator with a periodic resync, and every member of every runtime answering
        harness = new ControllerHarness(TestEngine.ALLUXIO, RESYNC, POLL);
        List<String> names = IntStream.range(0, RUNTIMES).mapToObj(i -> String.format("rt-%04d", i)).toList();
        for (String name : names) {
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                harness.quorum().set(name + "-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER);
            }
        }
        long heapBefore = ScaleFigures.heapAfterGc();

        // When every runtime is created at once
        long started = System.nanoTime();
        names.forEach(this::create);
        int[] requestsToSteady = new int[1];
        Eventually.within(BUDGET, POLL, RUNTIMES + " runtimes Ready", () -> {
            requestsToSteady[0] += harness.requests().sinceLastCall().size();
            return harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(SteadyStateAtScaleTest::ready).count() == RUNTIMES ? true : null;
        });
        Duration toSteady = Duration.ofNanos(System.nanoTime() - started);
        // The reconcile that wrote a runtime's Ready notes it in an Event after the write seen above: one round of
        // reconciles lets every such reconcile return, its requests counted with the runtime's way to Ready
        awaitAReconcileOfEvery(names);
        requestsToSteady[0] += harness.requests().sinceLastCall().size();
        Map<String, Double> outcomesToSteady = reconcileOutcomes();

        // And every runtime is reconciled once more by the periodic resync
        long resyncStarted = System.nanoTime();
        awaitAReconcileOfEvery(names);
        Duration resync = Duration.ofNanos(System.nanoTime() - resyncStarted);
        Map<String, Double> outcomesOfResync = new TreeMap<>(reconcileOutcomes());
        outcomesToSteady.forEach((outcome, count) -> outcomesOfResync.merge(outcome, -count, Double::sum));
        List<Request> sent = harness.requests().sinceLastCall().stream()
                .filter(request -> !request.path().contains("watch=true")).toList();
        // An informer whose watch ended lists its kind again before it watches anew: a read of the informer, not
        // of a reconcile (both 1,000-runtime runs of docs/benchmarks.md saw one, of the runtimes, under the mock
        // server's load). Counted apart; a reconcile that listed would list once per runtime, which the bound
        // below refuses.
        List<Request> relists = sent.stream().filter(SteadyStateAtScaleTest::collectionList).toList();
        List<Request> byReconciles = sent.stream().filter(request -> !collectionList(request)).toList();
        long writes = byReconciles.stream().filter(Request::writes).count();
        long gets = byReconciles.size() - writes;

        // And the controller's heap is what stopping it frees (its meters cleared with it)
        long heapWithController = ScaleFigures.heapAfterGc();
        harness.stop();
        harness.registry().clear();
        long heapWithoutController = ScaleFigures.heapAfterGc();

        System.out.printf("steady-state benchmark: %d runtimes Ready in %.1f s (%d controller requests, %.1f"
                        + " runtimes/s); full resync of every runtime within %.1f s: %d writes, %d GETs (target 0"
                        + " and 0), besides %d informer relists %s; controller heap %.1f MiB (%.1f KiB per runtime);"
                        + " JVM heap after GC %.1f MiB (%.1f MiB before the runtimes)%n",
                RUNTIMES, toSteady.toMillis() / 1000.0, requestsToSteady[0],
                RUNTIMES / (toSteady.toMillis() / 1000.0), resync.toMillis() / 1000.0, writes, gets,
                relists.size(), relists,
                mib(heapWithController - heapWithoutController),
                (heapWithController - heapWithoutController) / 1024.0 / RUNTIMES, mib(heapWithController),
                mib(heapBefore));
        System.out.printf("steady-state benchmark: reconciles by outcome until every runtime was Ready: %s; during"
                + " the resync: %s%n", outcomesToSteady, outcomesOfResync);
        // Then the resync sent nothing: no write, no GET; at most one relist by each informer
        assertThat(byReconciles).isEmpty();
        assertThat(relists).doesNotHaveDuplicates()
                .hasSizeLessThanOrEqualTo(ClusterView.OWNED_KINDS.size() + ClusterView.READ_KINDS.size() + 1);
    }

    /** Waits until each of {@code names} has returned from a reconcile after this call. */
    private void awaitAReconcileOfEvery(List<String> names) {
        Map<String, Double> before = ScaleFigures.successfulReconciles(harness.registry());
        Eventually.within(RESYNC.multipliedBy(3).plus(BUDGET), POLL, "a resync of every runtime", () -> {
            Map<String, Double> now = ScaleFigures.successfulReconciles(harness.registry());
            return names.stream().allMatch(name -> now.getOrDefault(name, 0.0) > before.getOrDefault(name, 0.0))
                    ? true : null;
        });
    }

    /** Whether {@code request} lists a whole kind in a namespace (or cluster-wide), as an informer does. */
    private static boolean collectionList(Request request) {
        String[] segments = request.path().split("\\?")[0].split("/");
        return request.method().equals("GET") && (segments.length >= 3
                && segments[segments.length - 3].equals("namespaces") || !request.path().contains("/namespaces/"));
    }

    /** Creates a runtime; a 409 is a create the client retried after its answer was lost to a slow server. */
    private void create(String name) {
        try {
            harness.test().resource(Runtimes.runtime(NAMESPACE, name, "alluxio", 3)).create();
        } catch (KubernetesClientException refused) {
            if (refused.getCode() != HttpURLConnection.HTTP_CONFLICT || harness.runtime(name) == null) {
                throw refused;
            }
        }
    }

    private static boolean ready(CacheRuntime runtime) {
        return runtime.getStatus() != null && runtime.getStatus().getConditions() != null
                && runtime.getStatus().getConditions().stream().anyMatch(condition ->
                condition.getType().equals(RuntimeConditions.READY) && condition.getStatus().equals("True"));
    }

    /** The controller's count of reconciles by how they ended, outcomes that never happened left out. */
    private Map<String, Double> reconcileOutcomes() {
        Map<String, Double> counts = new TreeMap<>();
        harness.registry().find(ControllerMetrics.RECONCILE_OUTCOMES).counters().stream()
                .filter(counter -> counter.count() > 0)
                .forEach(counter -> counts.put(counter.getId().getTag("outcome"), counter.count()));
        return counts;
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }
}
