package dev.cacheha.alluxio.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ProcessResources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real Alluxio 2.9.6 masters started from the rendered pod spec ({@link RenderedQuorum}), with the rendered
 * probes run against them at their real numbers (no scaling). One quorum serves every test, in order; each
 * prints what it measured (the figures of docs/probes.md).
 */
@Tag("real-quorum")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RenderedPodsOnRealQuorumTest {

    private static final String WEB_PATH = "/api/v1/master/webui_overview";
    /** 100 directories with 99 below each: 10,000 inodes, loaded from the under-storage in one call. */
    private static final int PARENTS = 100;
    private static final int PER_PARENT = 100;
    private static final int INODES = PARENTS * PER_PARENT;
    private static final String SECRET_VALUE = "cache-ha-" + UUID.randomUUID();

    private static final long SCHEDULING_SLACK_MILLIS = 2_000;

    private final HaSpec spec = HaSpec.builder("demo", "cache")
            .replicas(3)
            // A 1Gi master renders -Xmx614m: three fit this machine, and the heap comes from the pod spec.
            .resources("master", ProcessResources.of(Map.of("cpu", "500m", "memory", "1Gi"),
                    Map.of("memory", "1Gi")))
            .secretProperty("s3a.secretKey", "s3-credentials", "secret-key")
            .build();
    private RenderedQuorum quorum;
    private final List<ServingWatch> watches = new ArrayList<>();
    private int killed = -1;

    @AfterAll
    void closeEverything() {
        watches.forEach(ServingWatch::close);
        if (quorum != null) {
            quorum.close();
        }
        assertThat(LocalAlluxioQuorum.runningProcesses()).noneMatch(process ->
                process.info().commandLine().orElse("").contains("cache-ha-rendered-"));
    }

    @Test
    @Order(1)
    void everyMemberIsReadyWithinTheStartupBudgetAndTheBudgetThenAllowsAMinorityOfDisruptions() {
        // Given the rendered pods of three masters, started as a kubelet would
        quorum = RenderedQuorum.start(spec, Map.of("s3-credentials", Map.of("secret-key", SECRET_VALUE)),
                AlluxioClasspath.fromResource(getClass().getClassLoader()));
        IntStream.range(0, 3).forEach(i -> watches.add(new ServingWatch(quorum.localWebPort(i), WEB_PATH,
                quorum.pod(i).masterStartNanos())));
        Probe startup = quorum.pod(0).masterContainer().getStartupProbe();
        long budget = startup.getInitialDelaySeconds() + (long) startup.getPeriodSeconds()
                * startup.getFailureThreshold()
                + quorum.pod(0).masterContainer().getReadinessProbe().getPeriodSeconds();

        // When the startup and readiness probes run at their rendered numbers
        awaitTrue(() -> quorum.readyPods() == 3, Duration.ofSeconds(budget), "all three Ready");

        // Then each was Ready within the startup budget, none failed liveness, and the budget allows exactly
        // replicas - majority = 1 disruption
        for (int i = 0; i < 3; i++) {
            RenderedPod pod = quorum.pod(i);
            long readyMillis = firstTransition(pod, KubeletProbes.Kind.READINESS, true);
            log("%s: serving (web answers) %d ms after process start, Ready %d ms after start", pod.podName(),
                    watches.get(i).millisToFirstAnswer(), readyMillis);
            assertThat(readyMillis).isLessThan(TimeUnit.SECONDS.toMillis(budget));
            assertThat(pod.probes().livenessFailures()).isEmpty();
        }
        PodDisruptionBudget pdb = quorum.plan().object(PodDisruptionBudget.class).orElseThrow();
        int allowed = quorum.readyPods() - pdb.getSpec().getMinAvailable().getIntVal();
        assertThat(allowed).isEqualTo(spec.replicas() - (spec.replicas() / 2 + 1)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aSecretPropertyReachesTheMasterWhileNoRenderedTextHoldsItsValue() throws Exception {
        // Given the running quorum whose spec took s3a.secretKey from a Secret
        LeaderStatus status = awaitLeader(Duration.ofSeconds(60));
        int leader = status.leader().orElseThrow().ordinal();

        // When the leader is asked for its configuration
        String config = get(quorum.localWebPort(leader), "/api/v1/master/webui_config");

        // Then it reports the key as set, and no rendered object or property file holds the value
        assertThat(config).contains("s3a.secretKey");
        log("webui_config entry: %s", excerpt(config, "s3a.secretKey"));
        for (HasMetadata object : quorum.plan().objects()) {
            assertThat(object.toString()).doesNotContain(SECRET_VALUE);
        }
        assertThat(quorum.plan().propertiesFile()).doesNotContain(SECRET_VALUE).doesNotContain("s3a.secretKey");
        // and the file the master read, in its in-memory conf volume, has it
        assertThat(Files.readString(quorum.pod(leader).volume("conf").resolve("alluxio-site.properties"),
                StandardCharsets.ISO_8859_1)).contains("s3a.secretKey=" + SECRET_VALUE);
    }

    @Test
    @Order(3)
    void aJournalOfTenThousandInodesIsWritten() throws IOException {
        // Given 10,000 directories in the shared under-storage (100 with 99 below each), which Alluxio does not
        // know yet
        long start = System.nanoTime();
        for (int parent = 0; parent < PARENTS; parent++) {
            for (int child = 1; child < PER_PARENT; child++) {
                Files.createDirectories(quorum.underStorage().resolve("inodes/p" + parent + "/d" + child));
            }
        }

        // When the leader loads their metadata: one call, each directory becomes an inode in the journal
        PodExec.Result result = onTheLeaderUntilItSucceeds(List.of("alluxio", "fs", "loadMetadata", "-R", "/inodes"),
                Duration.ofMinutes(5));
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        log("%d directories created in %d ms", INODES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        // Then they are all there
        PodExec.Result count = onTheLeaderUntilItSucceeds(List.of("alluxio", "fs", "count", "/inodes"),
                Duration.ofMinutes(2));
        assertThat(count.exitCode()).as(count.stdout() + count.stderr()).isZero();
        // (fs count leaves out the directory it counts)
        assertThat(count.stdout()).containsPattern("\\s" + INODES + "\\s");
    }

    @Test
    @Order(4)
    void killingTheLeaderNeverFailsTheLivenessOfASurvivor() {
        // Given the leader, and a fine watch of the survivors' web ports
        int leader = awaitLeader(Duration.ofSeconds(60)).leader().orElseThrow().ordinal();
        List<Integer> survivors = IntStream.range(0, 3).filter(i -> i != leader).boxed().toList();
        long kill = System.nanoTime();
        List<ServingWatch> election = survivors.stream()
                .map(i -> new ServingWatch(quorum.localWebPort(i), WEB_PATH, kill)).toList();
        watches.addAll(election);
        Probe liveness = quorum.pod(0).masterContainer().getLivenessProbe();
        long window = liveness.getPeriodSeconds() * (liveness.getFailureThreshold() + 1L)
                + liveness.getTimeoutSeconds();

        // When it is killed, and the survivors are watched for longer than liveness needs to fail
        quorum.pod(leader).kill();
        killed = leader;
        LeaderStatus next = awaitLeader(Duration.ofSeconds(90));
        long electedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - kill);
        sleepUntil(kill + TimeUnit.SECONDS.toNanos(window));

        // Then a survivor leads, and neither survivor's liveness failed
        assertThat(next.leader().orElseThrow().ordinal()).isNotEqualTo(leader);
        for (int i = 0; i < survivors.size(); i++) {
            RenderedPod pod = quorum.pod(survivors.get(i));
            log("%s after the leader's kill: longest time without a web answer %d ms (new leader named after %d ms)",
                    pod.podName(), election.get(i).longestSilenceMillis(), electedMillis);
            assertThat(pod.probes().livenessFailures()).as(pod.podName()).isEmpty();
            log("%s: slowest successful probe so far %d ms", pod.podName(), pod.probes().attempts().stream()
                    .filter(KubeletProbes.Attempt::succeeded).mapToLong(KubeletProbes.Attempt::elapsedNanos)
                    .max().orElse(0) / 1_000_000);
        }
    }

    @Test
    @Order(5)
    void aRestartedMemberReplaysItsJournalAndIsReadyWithinTheStartupBudget() {
        // Given the member killed as leader, its journal of 10,000 inodes in its volume
        RenderedPod pod = quorum.pod(killed);
        Probe startup = pod.masterContainer().getStartupProbe();
        long budget = startup.getInitialDelaySeconds() + (long) startup.getPeriodSeconds()
                * startup.getFailureThreshold();

        // When its master container restarts, as the kubelet restarts it
        pod.restartMaster();
        ServingWatch watch = new ServingWatch(quorum.localWebPort(killed), WEB_PATH, pod.masterStartNanos());
        watches.add(watch);
        awaitTrue(() -> pod.probes().isReady(), Duration.ofSeconds(budget + 10), pod.podName() + " Ready");

        // Then it serves and is Ready within the startup budget
        long readyMillis = firstTransition(pod, KubeletProbes.Kind.READINESS, true);
        log("%s restarted with a %d-inode journal: serving %d ms after process start, Ready %d ms after start",
                pod.podName(), INODES, watch.millisToFirstAnswer(), readyMillis);
        assertThat(readyMillis).isLessThan(TimeUnit.SECONDS.toMillis(budget));
        assertThat(pod.probes().livenessFailures()).isEmpty();
    }

    @Test
    @Order(6)
    void aFrozenMasterFailsLivenessWithinItsBudgetWhileTheOthersStayReady() {
        // Given a Ready quorum and one standby
        awaitTrue(() -> quorum.readyPods() == 3, Duration.ofSeconds(120), "all three Ready");
        int leader = awaitLeader(Duration.ofSeconds(60)).leader().orElseThrow().ordinal();
        int frozen = (leader + 1) % 3;
        RenderedPod pod = quorum.pod(frozen);
        Probe liveness = pod.masterContainer().getLivenessProbe();
        long budgetMillis = TimeUnit.SECONDS.toMillis(
                (long) liveness.getPeriodSeconds() * liveness.getFailureThreshold() + liveness.getTimeoutSeconds());

        // When it is frozen (SIGSTOP): its ports accept connections and nothing answers
        long stop = System.nanoTime();
        int before = pod.probes().livenessFailures().size();
        quorum.signal(frozen, "-STOP");
        boolean othersStayedReady = true;
        try {
            long deadline = stop + TimeUnit.MILLISECONDS.toNanos(budgetMillis + 5_000);
            while (System.nanoTime() < deadline && pod.probes().livenessFailures().size() == before) {
                for (int i = 0; i < 3; i++) {
                    othersStayedReady &= i == frozen || quorum.pod(i).probes().isReady();
                }
                sleepMillis(200);
            }
        } finally {
            quorum.signal(frozen, "-CONT");
        }

        // Then its liveness failed within period x threshold + timeout (the kubelet's bound: the last of the
        // failing attempts starts at most period x threshold after the freeze and fails after its timeout; a
        // little slack for threads of a loaded test machine), and the others stayed Ready
        List<Long> failures = pod.probes().livenessFailures();
        assertThat(failures).hasSizeGreaterThan(before);
        long failedMillis = TimeUnit.NANOSECONDS.toMillis(failures.get(before) - stop);
        log("%s frozen: liveness failed %d ms after SIGSTOP (budget %d ms)", pod.podName(), failedMillis,
                budgetMillis);
        assertThat(failedMillis).isLessThanOrEqualTo(budgetMillis + SCHEDULING_SLACK_MILLIS);
        assertThat(othersStayedReady).isTrue();
    }

    private LeaderStatus awaitLeader(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        LeaderStatus last;
        do {
            last = quorum.discover();
            if (last.leader().isPresent()) {
                return last;
            }
            sleepMillis(250);
        } while (System.nanoTime() < end);
        throw new IllegalStateException("no leader within " + timeout + ": " + last);
    }

    private static long firstTransition(RenderedPod pod, KubeletProbes.Kind kind, boolean passing) {
        return pod.probes().transitions().stream().filter(t -> t.kind() == kind && t.passing() == passing)
                .findFirst().map(t -> TimeUnit.NANOSECONDS.toMillis(t.atNanos() - pod.masterStartNanos()))
                .orElseThrow();
    }

    /**
     * Runs {@code argv} on whichever master leads, again while it fails, until it succeeds or {@code budget} is
     * spent; the last result either way. On a loaded machine a call can be cancelled mid-way (a gRPC CANCEL was
     * seen at a load of 23), and both commands used here are idempotent, so a failed one is simply asked again.
     */
    private PodExec.Result onTheLeaderUntilItSucceeds(List<String> argv, Duration budget) {
        long end = System.nanoTime() + budget.toNanos();
        while (true) {
            int leader = awaitLeader(Duration.ofSeconds(60)).leader().orElseThrow().ordinal();
            PodExec.Result result = join(quorum.exec().exec(quorum.plan().members().get(leader), "alluxio-master",
                    argv, budget));
            if (result.exitCode() == 0 || System.nanoTime() > end) {
                return result;
            }
            log("%s failed on member %d (exit %d), asking again: %s", String.join(" ", argv), leader,
                    result.exitCode(), result.stderr().lines().filter(line -> line.contains("Exception")).findFirst()
                            .orElse(""));
            sleepMillis(1_000);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("not " + what + " within " + timeout);
            }
            sleepMillis(200);
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String excerpt(String text, String around) {
        int at = text.indexOf(around);
        return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 120));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> future) {
        return future.join();
    }

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            sleepMillis(TimeUnit.NANOSECONDS.toMillis(wait));
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("[rendered-pods] " + format + "%n", args);
    }
}
