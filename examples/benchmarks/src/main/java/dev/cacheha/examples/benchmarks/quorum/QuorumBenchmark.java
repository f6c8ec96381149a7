package dev.cacheha.examples.benchmarks.quorum;

import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.alluxio.local.LoopbackMapping;
import dev.cacheha.examples.benchmarks.report.BenchmarkReport.QuorumSection;
import dev.cacheha.examples.benchmarks.report.Comparison;
import dev.cacheha.examples.benchmarks.report.Comparison.Measured;
import dev.cacheha.examples.benchmarks.report.Distribution;
import dev.cacheha.examples.benchmarks.report.Machine;
import dev.cacheha.examples.benchmarks.report.Target;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Leader discovery, failover detection and a silent member, measured on three real Alluxio 2.9.6 masters
 * started by {@link LocalAlluxioQuorum}, each next to its baseline in the same run:
 * <ul>
 *   <li>discovery against its floor, the same GETs sent to every member at once by a bare JDK client, and
 *       against the same GETs through the launcher's probe: what the provider and the probe add;</li>
 *   <li>discovery against {@code alluxio fs masterInfo} and {@code alluxio fsadmin journal quorum info} run as
 *       processes, which is what a controller without cache-ha execs into a pod;</li>
 *   <li>after a SIGKILL of the leader, the time until our discovery names the new leader against the time until
 *       Alluxio's own client, in a child JVM ({@link AlluxioClientWatch}), does;</li>
 *   <li>with one member replaced by a {@link SilentServer}, discovery's latency against its probe deadline.</li>
 * </ul>
 */
public final class QuorumBenchmark {

    /** The quorum measured: the smallest that survives the loss of a member. */
    static final HaSpec SPEC = HaSpec.builder("bench", "benchmarks").replicas(3).build();

    /** A budget: launch to HEALTHY took 9 s on a quiet machine and over 2 min at a load average of 60. */
    private static final Duration STARTUP = Duration.ofSeconds(300);
    private static final Duration CLI_DEADLINE = Duration.ofSeconds(60);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Every 2.9.6 page that tells a member's own role: the one discovery reads ({@code masterRole}), and the
     * metrics pages ({@code Master.RoleId}, {@code Master_RoleId}). Which is cheapest, raw, at each member.
     */
    /** The page the Alluxio provider's discovery reads on every member. */
    private static final String DISCOVERY_PATH = "/api/v1/master/webui_overview";
    private static final List<String> ROLE_PATHS =
            List.of(DISCOVERY_PATH, "/metrics/json/", "/metrics/prometheus/");
    private static final List<String> MASTER_INFO = List.of("fs", "masterInfo");
    private static final List<String> QUORUM_INFO =
            List.of("fsadmin", "journal", "quorum", "info", "-domain", "MASTER");

    private final QuorumSettings settings;
    private final LocalAlluxioQuorum quorum;
    private final LeaderDiscovery discovery;
    private final List<String> observations = new ArrayList<>();

    private QuorumBenchmark(QuorumSettings settings, LocalAlluxioQuorum quorum) {
        this.settings = settings;
        this.quorum = quorum;
        this.discovery = HighAvailabilityProviders.load().get("alluxio")
                .leaderDiscovery(SPEC, quorum.access(settings.probeDeadline()));
    }

    /** Starts a quorum, measures everything, and stops the quorum whatever happened. */
    public static QuorumSection run(QuorumSettings settings, AlluxioClasspath classpath) {
        String loadBefore = Machine.loadAverage();
        try (LocalAlluxioQuorum quorum = LocalAlluxioQuorum.start(SPEC, classpath)) {
            long start = System.nanoTime();
            awaitHealthy(quorum, "the first election");
            QuorumBenchmark benchmark = new QuorumBenchmark(settings, quorum);
            benchmark.observe("load average (1/5/15 min) just before the masters started: %s", loadBefore);
            benchmark.observe("all three masters answered %d ms after launch", millisSince(start));
            List<Comparison> comparisons = new ArrayList<>(benchmark.discoveryVersusCli());
            comparisons.addAll(benchmark.failoverDetection(classpath));
            comparisons.add(benchmark.silentMember());
            return new QuorumSection(setup(settings), comparisons, benchmark.observations);
        }
    }

    private static String setup(QuorumSettings settings) {
        return "Three real Alluxio 2.9.6 masters, each a separate JVM started by `LocalAlluxioQuorum` from the "
                + "provider's plan for `" + SPEC.namespace() + "/" + SPEC.name() + "` (loopback ports, election "
                + "timeouts 750-1500 ms). Our side is the provider's `LeaderDiscovery` from the SPI registry, "
                + "reaching the members through the launcher's loopback `MemberProbe`. The CLI baselines are run "
                + "through the launcher's `PodExec` (one JVM per call, as `alluxio` in a pod), rotating over the "
                + "members; their time is the whole call, JVM start included, because that is what a controller "
                + "waits for. Alluxio's client is `MasterInquireClient.Factory.create` (a "
                + "`PollingMasterInquireClient` for three rpc addresses, Alluxio's default retry policy) in a child "
                + "JVM on Alluxio's classpath, polling with the same pause as ours. " + settings.describe() + ".";
    }

    private List<Comparison> discoveryVersusCli() {
        List<Integer> webPorts = IntStream.range(0, SPEC.replicas())
                .mapToObj(ordinal -> quorum.mapping().localPorts(ordinal).web()).toList();
        RawFanOut raw = new RawFanOut(settings.probeDeadline());
        List<Member> members = quorum.plan().members();
        int webPort = AlluxioPorts.of(SPEC).web();
        for (int i = 0; i < settings.warmUpCalls(); i++) {
            discovery.discover();
            raw.once(webPorts, DISCOVERY_PATH);
            probeFanOut(members, webPort);
        }
        int withLeader = 0;
        List<Duration> ours = new ArrayList<>();
        List<Duration> floor = new ArrayList<>();
        List<Duration> throughProbe = new ArrayList<>();
        List<Duration> leaderAnswers = new ArrayList<>();
        List<Duration> followerAnswers = new ArrayList<>();
        for (int call = 0; call < settings.discoveryCalls(); call++) {
            // Interleaved, the order turning every call, so that the three see the same load.
            if (call % 2 == 0) {
                floor.add(raw.once(webPorts, DISCOVERY_PATH));
            }
            long start = System.nanoTime();
            LeaderStatus status = discovery.discover();
            ours.add(Duration.ofNanos(System.nanoTime() - start));
            throughProbe.add(probeFanOut(members, webPort));
            if (call % 2 == 1) {
                floor.add(raw.once(webPorts, DISCOVERY_PATH));
            }
            withLeader += status.leader().isPresent() ? 1 : 0;
            for (LeaderStatus.MemberAnswer answer : status.members()) {
                (answer.role() == Role.LEADER ? leaderAnswers : followerAnswers).add(answer.latency());
            }
        }
        observe("discovery named a leader in %d of %d calls on the healthy quorum; inside those calls, the "
                + "leader's own HTTP answer took %s, a follower's %s (min / p50 / p99)", withLeader, ours.size(),
                spread(leaderAnswers), spread(followerAnswers));
        observe("where a discovery call's time goes, interleaved in the same run (min / p50 / p99): the raw fan-out"
                + " (bare JDK client, local ports, bodies not read) %s; the same three GETs through the launcher's"
                + " probe (the HTTP probe plus the loopback address rewriting of each body, which a cluster does not"
                + " have) %s; the provider's whole discovery %s; raw requests that failed or timed out (counted at"
                + " their deadline, as discovery counts a silent member): %d", spread(floor), spread(throughProbe),
                spread(ours), raw.failures());
        Member leader = discovery.discover().leader().orElseThrow();
        Member follower = discovery.discover().membersWithRole(Role.FOLLOWER).get(0);
        for (String path : ROLE_PATHS) {
            observe("one raw GET %s took %s at the leader and %s at a follower (%d calls each; min / p50 / p99)",
                    path, spread(rawSingles(raw, leader, path)), spread(rawSingles(raw, follower, path)),
                    settings.discoveryCalls() / 2);
        }
        Measured discoveryFigures = new Measured("our discovery, HTTP to every member at once",
                Distribution.ofDurations(ours));
        return List.of(
                Comparison.relativeCost("leader discovery vs the raw fan-out floor", discoveryFigures,
                        new Measured("the same GETs to every member at once, bare JDK client",
                                Distribution.ofDurations(floor)),
                        Optional.of(Target.atMost(1.2))),
                Comparison.speedup("leader discovery vs `alluxio fs masterInfo`", discoveryFigures,
                        new Measured("`alluxio fs masterInfo`, a process per call", cliTimes(MASTER_INFO,
                                "Current leader master:")),
                        Optional.of(Target.atLeast(100))),
                Comparison.speedup("leader discovery vs `alluxio fsadmin journal quorum info -domain MASTER`",
                        discoveryFigures,
                        new Measured("`alluxio fsadmin journal quorum info -domain MASTER`, a process per call",
                                cliTimes(QUORUM_INFO, "Quorum leader")),
                        Optional.empty()));
    }

    /** The same GET as discovery's, to every member at once through the launcher's probe, bodies read. */
    private Duration probeFanOut(List<Member> members, int webPort) {
        long start = System.nanoTime();
        List<CompletableFuture<MemberProbe.Response>> answers = members.stream()
                .map(member -> quorum.probe().get(member, webPort, DISCOVERY_PATH, settings.probeDeadline())
                        .exceptionally(failure -> null))
                .toList();
        answers.forEach(CompletableFuture::join);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private List<Duration> rawSingles(RawFanOut raw, Member member, String path) {
        int port = quorum.mapping().localPorts(member.ordinal()).web();
        raw.single(port, path);
        return IntStream.range(0, settings.discoveryCalls() / 2).mapToObj(i -> raw.single(port, path)).toList();
    }

    private Distribution cliTimes(List<String> command, String leaderLine) {
        String[] args = command.toArray(String[]::new);
        quorum.alluxio(0, CLI_DEADLINE, args);
        List<Duration> times = new ArrayList<>();
        int withLeader = 0;
        for (int call = 0; call < settings.cliCalls(); call++) {
            long start = System.nanoTime();
            PodExec.Result result = quorum.alluxio(call % SPEC.replicas(), CLI_DEADLINE, args);
            times.add(Duration.ofNanos(System.nanoTime() - start));
            withLeader += result.exitCode() == 0 && result.stdout().contains(leaderLine) ? 1 : 0;
        }
        observe("`alluxio %s` exited 0 and named a leader in %d of %d calls", String.join(" ", command), withLeader,
                times.size());
        return Distribution.ofDurations(times);
    }

    private List<Comparison> failoverDetection(AlluxioClasspath classpath) {
        List<String> rpcAddresses = IntStream.range(0, SPEC.replicas())
                .mapToObj(ordinal -> LoopbackMapping.LOOPBACK_HOST + ":" + quorum.mapping().localPorts(ordinal).rpc())
                .toList();
        List<Duration> ours = new ArrayList<>();
        List<Duration> theirs = new ArrayList<>();
        List<Duration> formerRule = new ArrayList<>();
        try (AlluxioClientWatch alluxioClient = AlluxioClientWatch.start(classpath, rpcAddresses,
                settings.pollPause(), quorum.root().resolve("alluxio-client-watch"))) {
            observe("Alluxio's client in the child JVM is `%s`", alluxioClient.awaitReady(STARTUP));
            for (int round = 1; round <= settings.failoverRounds(); round++) {
                Member killed = awaitHealthy(quorum, "round " + round).leader().orElseThrow();
                String killedRpc = rpcAddresses.get(killed.ordinal());
                awaitCondition(() -> alluxioClient.currentPrimary().equals(killedRpc),
                        "Alluxio's client to name " + killedRpc + " before round " + round);
                alluxioClient.forgetSightings();

                long killedAt = System.nanoTime();
                quorum.kill(killed.ordinal());
                int polls = 0;
                LeaderStatus status;
                Duration formerTook = null;
                do {
                    LockSupport.parkNanos(settings.pollPause().toNanos());
                    status = discovery.discover();
                    polls++;
                    if (formerTook == null && namesAnotherLeader(underFormerRule(status), killed)) {
                        formerTook = Duration.ofNanos(System.nanoTime() - killedAt);
                    }
                    if (System.nanoTime() - killedAt > FAILOVER_TIMEOUT.toNanos()) {
                        throw new IllegalStateException("our discovery named no new leader within " + FAILOVER_TIMEOUT
                                + " of killing " + killed.podName() + "; last status: " + status);
                    }
                } while (!namesAnotherLeader(status, killed));
                Duration oursTook = Duration.ofNanos(System.nanoTime() - killedAt);
                // The former rule judges the same answers: it names a leader no later than the strict one.
                formerRule.add(formerTook == null ? oursTook : formerTook);
                Member elected = status.leader().orElseThrow();
                AlluxioClientWatch.Sighting sighting = alluxioClient
                        .awaitPrimary(primary -> !primary.equals(killedRpc)
                                && !primary.equals(AlluxioClientWatch.NO_PRIMARY), FAILOVER_TIMEOUT)
                        .orElseThrow(() -> new IllegalStateException("Alluxio's client named no new primary within "
                                + FAILOVER_TIMEOUT + " of killing " + killed.podName()));
                Duration theirsTook = Duration.ofNanos(sighting.seenAt() - killedAt);
                ours.add(oursTook);
                theirs.add(theirsTook);
                observe("failover round %d: killed %s; our discovery named %s after %d ms (%d polls); Alluxio's "
                        + "client named %s after %d ms%s", round, killed.podName(), elected.podName(),
                        oursTook.toMillis(), polls, sighting.primary(), theirsTook.toMillis(),
                        rpcAddresses.get(elected.ordinal()).equals(sighting.primary()) ? "" : " (a different master)");
                quorum.restart(killed.ordinal());
            }
        }
        return List.of(Comparison.relativeCost("failover detection after SIGKILL of the leader",
                new Measured("our discovery, polled", Distribution.ofDurations(ours)),
                new Measured("Alluxio's `PollingMasterInquireClient`, child JVM", Distribution.ofDurations(theirs)),
                Optional.of(Target.atMost(1.2))),
                Comparison.relativeCost("failover detection: strict leaderId rule vs the former rule, same polls",
                        new Measured("a follower naming no member dissents", Distribution.ofDurations(ours)),
                        new Measured("such a follower backs the claimant (former rule)",
                                Distribution.ofDurations(formerRule)),
                        Optional.of(Target.atMost(1.2))));
    }

    private static boolean namesAnotherLeader(LeaderStatus status, Member killed) {
        return status.leader().filter(leader -> !leader.equals(killed)).isPresent();
    }

    /**
     * {@code status}'s answers judged as before a follower naming no member dissented: such a follower named no
     * leader and so backed any claimant.
     */
    private static LeaderStatus underFormerRule(LeaderStatus status) {
        List<MemberAnswer> answers = status.members().stream()
                .map(answer -> new MemberAnswer(answer.member(), answer.role(), answer.method(), answer.latency(),
                        answer.detail(), answer.follows()))
                .toList();
        return LeaderStatus.fromAnswers(answers, status.method(), status.elapsed());
    }

    private Comparison silentMember() {
        Member replaced = awaitHealthy(quorum, "the silent member run").membersWithRole(Role.FOLLOWER).get(0);
        quorum.kill(replaced.ordinal());
        List<Duration> ours = new ArrayList<>();
        int asExpected = 0;
        try (SilentServer silent = SilentServer.listen(LoopbackMapping.LOOPBACK_HOST,
                quorum.mapping().localPorts(replaced.ordinal()).web())) {
            discovery.discover();
            for (int call = 0; call < settings.silentMemberCalls(); call++) {
                long start = System.nanoTime();
                LeaderStatus status = discovery.discover();
                ours.add(Duration.ofNanos(System.nanoTime() - start));
                asExpected += status.health() == Health.DEGRADED
                        && status.membersWithRole(Role.UNREACHABLE).equals(List.of(replaced)) ? 1 : 0;
            }
            observe("with %s killed and its web port served by a silent server (%d connections accepted, none "
                    + "answered), discovery answered DEGRADED with exactly that member UNREACHABLE in %d of %d calls",
                    replaced.podName(), silent.acceptedConnections(), asExpected, ours.size());
        }
        double deadline = Distribution.millis(settings.probeDeadline());
        return Comparison.relativeCost("discovery with one member silent vs its probe deadline",
                new Measured("our discovery", Distribution.ofDurations(ours)),
                new Measured("the probe deadline", Distribution.constant("ms", deadline)),
                Optional.of(Target.atMost(1.2)));
    }

    private static String spread(List<Duration> durations) {
        if (durations.isEmpty()) {
            return "nothing (no such answers)";
        }
        Distribution values = Distribution.ofDurations(durations);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", values.min(), values.median(), values.p99());
    }

    private static LeaderStatus awaitHealthy(LocalAlluxioQuorum quorum, String before) {
        return quorum.await(status -> status.health() == Health.HEALTHY, "all members answering before " + before,
                STARTUP);
    }

    private void awaitCondition(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + FAILOVER_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + FAILOVER_TIMEOUT + " waiting for " + what);
            }
            LockSupport.parkNanos(settings.pollPause().toNanos());
        }
    }

    private void observe(String format, Object... args) {
        String observation = String.format(Locale.ROOT, format, args);
        System.out.println("[quorum] " + observation);
        observations.add(observation);
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
