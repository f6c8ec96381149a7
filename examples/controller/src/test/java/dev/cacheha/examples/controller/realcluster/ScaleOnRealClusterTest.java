package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ScaleFigures;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.LeaderStatus.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19's scale figures on the real control plane: many three-master Alluxio runtimes created at once, their
 * pods and claims made by the real StatefulSet controller on kwok's nodes; the time until every one is Ready, the
 * controller's requests per runtime until then by verb, the requests of a full resync (target: no write, no GET),
 * and the heap the controller holds. {@code mvn verify} runs {@value #SMOKE_RUNTIMES}; the benchmark is the same
 * test with {@code -Dcacheha.benchmark.realRuntimes=1000} (docs/benchmarks.md).
 */
@ExtendWith(RealClusterExtension.class)
class ScaleOnRealClusterTest {

    /** Waits until each of {@code names} has returned from a reconcile after this call. */
    private static void awaitAReconcileOfEvery(ControllerOnRealCluster controller, List<String> names) {
        Map<String, Double> before = ScaleFigures.successfulReconciles(controller.registry());
        Await.until("a resync of every runtime", RESYNC.multipliedBy(2).plus(BUDGET), () -> {
            Map<String, Double> now = ScaleFigures.successfulReconciles(controller.registry());
            return names.stream().allMatch(name -> now.getOrDefault(name, 0.0) > before.getOrDefault(name, 0.0));
        }, () -> "");
    }

    private static final int SMOKE_RUNTIMES = 20;
    private static final Pattern RUNTIME_NAME = Pattern.compile("rt-\\d{4}");
    private static final int RUNTIMES = Integer.getInteger("cacheha.benchmark.realRuntimes", SMOKE_RUNTIMES);
    /** JOSDK's maximum interval between two reconciles of one runtime: the periodic full resync. */
    private static final Duration RESYNC = Duration.ofSeconds(Math.max(20, RUNTIMES / 10));
    /** Generous for a loaded machine: three seconds per runtime, never less than the default budget. */
    private static final Duration BUDGET = Duration.ofSeconds(Math.max(Await.DEFAULT_BUDGET.toSeconds(),
            RUNTIMES * 3L));

    @Test
    void manyRuntimesBecomeReadyOnTheRealControlPlaneAndAFullResyncSendsNoWriteAndNoGet(RealCluster cluster) {
        // Given the controller with a periodic resync, and every member of every runtime answering once Ready
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.prepare(cluster, "scale",
                TestEngine.ALLUXIO, RESYNC)) {
            List<String> names = IntStream.range(0, RUNTIMES).mapToObj(i -> String.format("rt-%04d", i)).toList();
            names.forEach(name -> IntStream.range(0, 3).forEach(ordinal -> controller.quorum()
                    .set(name + "-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER)));
            long heapBefore = ScaleFigures.heapAfterGc();
            controller.start();
            controller.requests().sinceLastCall();

            // When every runtime is created at once
            long started = System.nanoTime();
            names.forEach(name -> controller.admin().resource(Runtimes.runtime(controller.namespace(), name,
                    "alluxio", 3)).create());
            Await.until(RUNTIMES + " runtimes Ready", BUDGET, () -> controller.admin().resources(CacheRuntime.class)
                            .inNamespace(controller.namespace()).list().getItems().stream()
                            .filter(ScaleOnRealClusterTest::ready).count() == RUNTIMES,
                    () -> notReady(controller));
            Duration toReady = Duration.ofNanos(System.nanoTime() - started);
            String loadWhenReady = loadAverage();
            // The reconcile that wrote a runtime's Ready notes it in an Event after the write seen above: one round
            // of reconciles lets every such reconcile return, its requests counted with the runtime's way to Ready
            awaitAReconcileOfEvery(controller, names);
            List<ControllerRequests.Request> untilReady = controller.requests().sinceLastCall();
            Map<String, Long> untilReadyByVerb = byVerb(untilReady);

            // And every runtime is reconciled once more by the periodic resync
            long resyncStarted = System.nanoTime();
            awaitAReconcileOfEvery(controller, names);
            Duration resync = Duration.ofNanos(System.nanoTime() - resyncStarted);
            List<ControllerRequests.Request> ofResync = controller.requests().sinceLastCall().stream()
                    .filter(request -> !request.verb().equals("watch")).toList();
            // An informer whose watch ended lists its kind again: a read of the informer, not of a reconcile.
            List<ControllerRequests.Request> relists = ofResync.stream()
                    .filter(request -> request.verb().equals("list")).toList();
            List<ControllerRequests.Request> byReconciles = ofResync.stream()
                    .filter(request -> !request.verb().equals("list")).toList();

            // And the controller's heap is what stopping it frees
            long heapWithController = ScaleFigures.heapAfterGc();
            controller.stop();
            controller.registry().clear();
            long heapWithoutController = ScaleFigures.heapAfterGc();

            System.out.printf("real-cluster scale: %d runtimes Ready in %.1f s (%.2f runtimes/s); controller"
                            + " requests until Ready %s = %.1f per runtime (%s per runtime); full resync within %.1f"
                            + " s: %d writes, %d GETs (target 0 and 0), besides %d informer relists; controller heap"
                            + " %.1f MiB (%.1f KiB per runtime); load average when Ready: %s%n",
                    RUNTIMES, toReady.toMillis() / 1000.0, RUNTIMES / (toReady.toMillis() / 1000.0),
                    untilReadyByVerb, untilReady.size() / (double) RUNTIMES, perRuntime(untilReadyByVerb),
                    resync.toMillis() / 1000.0, byReconciles.stream().filter(ControllerRequests.Request::writes)
                            .count(), byReconciles.stream().filter(r -> r.verb().equals("get")).count(),
                    relists.size(), (heapWithController - heapWithoutController) / 1024.0 / 1024.0,
                    (heapWithController - heapWithoutController) / 1024.0 / RUNTIMES, loadWhenReady);
            System.out.printf("real-cluster scale: JVM heap after GC %.1f MiB before the runtimes%n",
                    heapBefore / 1024.0 / 1024.0);

            System.out.println("real-cluster scale: requests until Ready by kind " + byKind(untilReady));
            Map<String, List<ControllerRequests.Request>> byRuntime = untilReady.stream()
                    .collect(Collectors.groupingBy(ScaleOnRealClusterTest::runtimeOf, TreeMap::new,
                            Collectors.toList()));
            Map<String, Long> usual = byRuntime.values().stream().map(ScaleOnRealClusterTest::byKind)
                    .collect(Collectors.groupingBy(kinds -> kinds, Collectors.counting())).entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            System.out.println("real-cluster scale: the usual runtime's requests until Ready " + usual);
            byRuntime.entrySet().stream().filter(runtime -> runtime.getKey().equals("rt-0000")
                            || !byKind(runtime.getValue()).equals(usual)).limit(4).forEach(runtime -> {
                System.out.println("real-cluster scale: " + runtime.getKey() + "'s requests until Ready, in order:");
                runtime.getValue().forEach(request -> System.out.println("  " + request.verb() + " "
                        + request.path() + " " + request.body().substring(0, Math.min(400,
                        request.body().length()))));
            });
            System.out.println("real-cluster scale: resync writes by kind " + byKind(byReconciles));
            // Then the resync sent nothing: no write, no GET
            assertThat(byReconciles).isEmpty();
            // And until Ready each runtime cost one create per object it owns, and no GET: reads are the informers'
            assertThat(untilReadyByVerb.getOrDefault("get", 0L)).isZero();
            // (Events, which tell each runtime's story in kubectl describe, are created besides)
            long owned = controller.objectsControlledBy(controller.runtime("rt-0000").getMetadata().getUid()).size();
            assertThat(untilReady.stream().filter(request -> request.verb().equals("create")
                            && !request.path().contains("/events")).count())
                    .isEqualTo(RUNTIMES * owned);
            // And the usual runtime cost besides: the cleanup finalizer, two status writes and two Events (Starting,
            // Ready) and one role label per member; a quorum whose answers change while it forms may cost one more
            long besides = 1 + 2 + 2 + 3;
            assertThat(usual.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(owned + besides);
            assertThat((long) untilReady.size()).isLessThanOrEqualTo(RUNTIMES * (owned + besides + 1));
        }
    }

    /** How many runtimes are not Ready, and the status of the first of them. */
    private static String notReady(ControllerOnRealCluster controller) {
        List<CacheRuntime> waiting = controller.admin().resources(CacheRuntime.class)
                .inNamespace(controller.namespace()).list().getItems().stream().filter(runtime -> !ready(runtime))
                .toList();
        if (waiting.isEmpty()) {
            return "every runtime Ready";
        }
        String first = waiting.get(0).getMetadata().getName();
        return waiting.size() + " not Ready; " + first + ": " + waiting.get(0).getStatus() + "; its pods: "
                + controller.describePods(first);
    }

    private static Map<String, Long> byVerb(List<ControllerRequests.Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(ControllerRequests.Request::verb, TreeMap::new,
                Collectors.counting()));
    }

    /** The runtime a request is about: the first runtime name in its path or body. */
    private static String runtimeOf(ControllerRequests.Request request) {
        Matcher name = RUNTIME_NAME.matcher(request.path() + " " + request.body());
        return name.find() ? name.group() : "(none)";
    }

    /** The requests counted by verb and path, with namespace and runtime names folded into one. */
    private static Map<String, Long> byKind(List<ControllerRequests.Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(r -> r.verb() + " " + r.path()
                        .replaceAll("\\?.*", "").replaceAll("/namespaces/[^/]+/", "/ns/")
                        .replaceAll("rt-\\d+[-.\\w]*", "rt-N"),
                TreeMap::new, Collectors.counting()));
    }

    private static Map<String, String> perRuntime(Map<String, Long> byVerb) {
        Map<String, String> per = new TreeMap<>();
        byVerb.forEach((verb, count) -> per.put(verb, String.format("%.2f", count / (double) RUNTIMES)));
        return per;
    }

    private static boolean ready(CacheRuntime runtime) {
        return runtime.getStatus() != null && runtime.getStatus().getConditions() != null
                && runtime.getStatus().getConditions().stream().anyMatch(condition ->
                condition.getType().equals("Ready") && condition.getStatus().equals("True"));
    }

    /** The machine's load averages over 1, 5 and 15 minutes. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException unreadable) {
            return "(unknown: " + unreadable.getMessage() + ")";
        }
    }
}
