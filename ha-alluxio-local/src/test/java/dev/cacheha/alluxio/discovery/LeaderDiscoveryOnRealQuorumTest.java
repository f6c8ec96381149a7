package dev.cacheha.alluxio.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.alluxio.local.OneQuorumPerClass;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import dev.cacheha.toolkit.QuorumNames;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leader discovery against three real Alluxio 2.9.6 masters, started from the provider's plan by
 * {@link LocalAlluxioQuorum}. One quorum serves every test, in order, to keep the whole class within a few
 * minutes on a small machine; each test leaves the quorum in the state the next one names.
 */
@Tag("real-quorum")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderDiscoveryOnRealQuorumTest {

    private static final Duration PROBE_DEADLINE = ClusterAccess.DEFAULT_DEADLINE;
    /**
     * Budgets, not expectations: launch to leader takes 8-13 s on a quiet 2-core machine and was seen at 84 s at
     * a load average of 41; a budget only ends a wait that would otherwise never end.
     */
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration FAILOVER = Duration.ofSeconds(120);
    /** A restarted master replays its journal before it answers: 4-16 s quiet, over 2 min seen at load 60. */
    private static final Duration REJOIN = Duration.ofSeconds(240);
    private static final Duration CLI = Duration.ofSeconds(60);
    /** Discoveries right after a failover, each a few milliseconds: the followers have just named the leader. */
    private static final int SETTLED_POLLS = 30;

    /** Started by the first test or @BeforeAll below, closed after the last test. */
    @RegisterExtension
    static final OneQuorumPerClass QUORUM = new OneQuorumPerClass();

    private final HaSpec spec = HaSpec.builder("demo", "cache").replicas(3).build();
    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final QuorumNames names = AlluxioNames.of(spec);
    private final AlluxioPorts ports = AlluxioPorts.of(spec);
    private LocalAlluxioQuorum quorum;
    private int killedLeader = -1;

    @Test
    @Order(1)
    void threeMastersConfiguredFromThePlanElectALeaderWithinTheStartupBudget() throws IOException {
        // Given the provider's plan for three masters
        HaPlan plan = provider.plan(spec);

        // When they are started as real Alluxio JVMs on loopback
        long start = System.nanoTime();
        quorum = QUORUM.start(spec);
        LeaderStatus elected = quorum.awaitLeader(STARTUP);
        Duration election = Duration.ofNanos(System.nanoTime() - start);
        LeaderStatus healthy = quorum.await(s -> s.health() == Health.HEALTHY, "all three answering", STARTUP);
        log("leader elected %d ms after launch (%s), all three answering after %d ms", election.toMillis(),
                elected.leader().orElseThrow().podName(), Duration.ofNanos(System.nanoTime() - start).toMillis());

        // Then one of them leads (awaitLeader throws at the end of the budget), every member runs every property
        // of the plan, and the only changes are the loopback addresses, ports and directories
        assertThat(healthy.membersWithRole(Role.FOLLOWER)).hasSize(2);
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            Properties site = new Properties();
            try (InputStream in = Files.newInputStream(quorum.siteProperties(ordinal))) {
                site.load(in);
            }
            assertThat(site.stringPropertyNames()).containsAll(plan.properties().keySet());
            assertThat(site.getProperty("alluxio.master.journal.type")).isEqualTo("EMBEDDED");
            assertThat(site.getProperty("alluxio.standby.master.web.enabled")).isEqualTo("true");
            assertThat(site.getProperty("alluxio.master.embedded.journal.addresses").split(","))
                    .hasSize(3)
                    .allMatch(address -> address.startsWith("localhost:"));
            assertThat(site.values()).noneMatch(value -> value.toString().contains(".svc.cluster.local"));
        }
    }

    @Test
    @Order(2)
    void discoveryNamesTheLeaderThatAlluxiosOwnCliReports() {
        // Given a running quorum, once every member answers (a cold member may miss its first deadline)
        // When discovery asks every member over HTTP, and Alluxio's CLI is asked too
        LeaderStatus status = running().await(s -> s.health() == Health.HEALTHY, "every member answering", FAILOVER);
        PodExec.Result masterInfo = quorum.alluxio(1, CLI, "fs", "masterInfo");
        Duration slowestMember = slowestAnswer(status);
        log("http discovery took %d ms (slowest member %d ms); `alluxio fs masterInfo` said: %s",
                status.elapsed().toMillis(), slowestMember.toMillis(), masterInfo.stdout().strip());

        // Then both name the same master, and discovery added little to its slowest member's answer (normally a
        // few ms; the margin holds a 4x slowdown many times over)
        Member leader = status.leader().orElseThrow();
        HostPort leaderRpc = names.addresses(ports.rpc()).get(leader.ordinal());
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.method()).startsWith("http");
        assertThat(status.elapsed()).isLessThan(slowestMember.plusMillis(200));
        assertThat(masterInfo.exitCode()).isZero();
        assertThat(masterInfo.stdout())
                .contains("Current leader master: " + leaderRpc.host() + "/<unresolved>:" + leaderRpc.port());
    }

    @Test
    @Order(3)
    void withoutHttpTheJournalQuorumInfoFallbackFindsTheSameLeader() {
        // Given a controller whose HTTP probes all fail, but which can exec into the pods, and the time one CLI
        // call takes here (a JVM start), measured now
        Member httpLeader = running().await(s -> s.health() == Health.HEALTHY, "every member answering", FAILOVER)
                .leader().orElseThrow();
        List<Long> cliMillis = new ArrayList<>();
        for (int call = 0; call < 3; call++) {
            long start = System.nanoTime();
            quorum.alluxio(call, CLI, "fsadmin", "journal", "quorum", "info", "-domain", "MASTER");
            cliMillis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
        ClusterAccess execOnly = new ClusterAccess(refusingProbe(), quorum.exec(), PROBE_DEADLINE);

        // When discovery runs (again, should a command miss its deadline on a busy machine)
        LeaderStatus status = untilAnswered(() -> provider.leaderDiscovery(spec, execOnly).discover());
        log("CLI call (`alluxio fsadmin journal quorum info`, a JVM start) took %s ms; the fallback's command"
                + " deadline is %d s; exec fallback took %d ms: %s", cliMillis,
                ExecFallback.COMMAND_DEADLINE.toSeconds(), status.elapsed().toMillis(), status.method());

        // Then Alluxio's journal table names the same leader, and both followers as AVAILABLE
        assertThat(status.leader()).contains(httpLeader);
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.method()).contains("fsadmin journal quorum info -domain MASTER");
        assertThat(status.membersWithRole(Role.FOLLOWER)).hasSize(2);
    }

    @Test
    @Order(4)
    void whenQuorumInfoFailsFsMasterInfoStillNamesTheLeader() {
        // Given a controller without HTTP, whose `fsadmin` commands fail
        Member httpLeader = running().await(s -> s.health() == Health.HEALTHY, "every member answering", FAILOVER)
                .leader().orElseThrow();
        PodExec exec = quorum.exec();
        PodExec noFsadmin = (member, container, argv, deadline) -> argv.contains("fsadmin")
                ? CompletableFuture.completedFuture(new PodExec.Result(1, "", "fsadmin: command not found"))
                : exec.exec(member, container, argv, deadline);

        // When discovery runs
        LeaderStatus status = untilAnswered(() -> provider.leaderDiscovery(spec,
                new ClusterAccess(refusingProbe(), noFsadmin, PROBE_DEADLINE)).discover());
        log("exec fallback (fs masterInfo) took %d ms: %s", status.elapsed().toMillis(), status.method());

        // Then `fs masterInfo` names the same leader; it cannot tell the standbys' state
        assertThat(status.leader()).contains(httpLeader);
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.method()).contains("fs masterInfo");
        assertThat(status.membersWithRole(Role.UNKNOWN)).hasSize(2);
    }

    @Test
    @Order(5)
    void aFrozenFollowerIsUnreachableAfterOneDeadlineAndDelaysNothingElse() {
        // Given a follower frozen with SIGSTOP: its sockets accept connections and never answer; and the time a
        // discovery takes without it, measured now
        LeaderStatus before = running().await(s -> s.health() == Health.HEALTHY, "every member answering", FAILOVER);
        Member frozen = before.membersWithRole(Role.FOLLOWER).get(0);
        quorum.suspend(frozen.ordinal());
        LeaderStatus status;
        try {
            // When discovery runs (again, while another member missed the deadline on a busy machine)
            status = discoverUntil(s -> answeredExcept(s, frozen), "the members that are not frozen answering");
        } finally {
            quorum.resume(frozen.ordinal());
        }
        log("with %s frozen, discovery took %d ms (%d ms with all answering)", frozen.podName(),
                status.elapsed().toMillis(), before.elapsed().toMillis());

        // Then it is UNREACHABLE, the leader is still named, and the answer came one deadline later than an
        // unhindered one, within a margin that a 4x slowdown meets
        assertThat(status.elapsed()).isGreaterThanOrEqualTo(PROBE_DEADLINE)
                .isLessThan(PROBE_DEADLINE.plus(margin(before)));
        assertThat(roleOf(status, frozen)).isEqualTo(Role.UNREACHABLE);
        assertThat(status.leader()).isEqualTo(before.leader());
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        quorum.await(s -> s.health() == Health.HEALTHY, "the thawed follower answering again", FAILOVER);
    }

    @Test
    @Order(6)
    void aFrozenLeaderStillClaimingToLeadIsNeverNamedWhenTheNewLeaderIsOutOfReach() {
        // Given the leader's own answer, and that leader frozen with SIGSTOP until another is elected
        LeaderStatus before = running().await(s -> s.health() == Health.HEALTHY, "every member answering", FAILOVER);
        Member stale = before.leader().orElseThrow();
        MemberProbe.Response staleClaim = quorum.probe()
                .get(stale, ports.web(), WebOverview.PATH, PROBE_DEADLINE).join();
        assertThat(WebOverview.read(staleClaim).role()).isEqualTo(Role.LEADER);
        quorum.suspend(stale.ordinal());
        LeaderStatus status;
        LeaderStatus elected;
        try {
            elected = quorum.await(s -> s.leader().filter(m -> !m.equals(stale)).isPresent()
                    && s.health() == Health.DEGRADED, "a leader other than the frozen " + stale.podName(), FAILOVER);
            Member newLeader = elected.leader().orElseThrow();
            // When the controller still hears the frozen leader's claim (its last answer, as a paused process that
            // believes it leads gives it), cannot reach the new leader, and hears the remaining follower
            MemberProbe partitioned = (member, port, path, deadline) -> member.equals(stale)
                    ? CompletableFuture.completedFuture(staleClaim)
                    : member.equals(newLeader)
                            ? CompletableFuture.failedFuture(new ConnectException("unreachable from the controller"))
                            : quorum.probe().get(member, port, path, deadline);
            ClusterAccess access = new ClusterAccess(partitioned, PodExec.unavailable(), PROBE_DEADLINE);
            status = discoverUntil(() -> provider.leaderDiscovery(spec, access).discover(),
                    s -> answeredExcept(s, newLeader), "the frozen leader's claim and the follower's answer");
        } finally {
            quorum.resume(stale.ordinal());
        }
        Member newLeader = elected.leader().orElseThrow();
        Member follower = elected.membersWithRole(Role.FOLLOWER).get(0);
        log("frozen leader %s replaced by %s; with the new leader out of reach, discovery said %s: %s",
                stale.podName(), newLeader.podName(), status.health(), status.reason());

        // Then the stale claim is not taken: the follower that answers follows the new leader
        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.membersWithRole(Role.LEADER)).containsExactly(stale);
        assertThat(status.reason()).contains(follower.podName() + " follows " + newLeader.podName());
        quorum.await(s -> s.health() == Health.HEALTHY && roleOf(s, stale) == Role.FOLLOWER,
                "the thawed old leader following", FAILOVER);
    }

    @Test
    @Order(7)
    void killingTheLeaderElectsANewOneAndKeepsTheMetadata() {
        // Given a directory created through the quorum, and its leader
        Member oldLeader = running().discover(PROBE_DEADLINE).leader().orElseThrow();
        int cliMember = (oldLeader.ordinal() + 1) % 3;
        PodExec.Result mkdir = quorum.alluxio(cliMember, CLI, "fs", "mkdir", "/survives-failover");
        assertThat(mkdir.exitCode()).as(mkdir.toString()).isZero();

        // When the leader is killed with SIGKILL
        quorum.kill(oldLeader.ordinal());
        killedLeader = oldLeader.ordinal();
        long killedAt = System.nanoTime();
        LeaderStatus after = quorum.await(
                s -> s.leader().isPresent() && !s.leader().get().equals(oldLeader), "a new leader", FAILOVER);
        log("new leader %s discovered %d ms after kill -9 of %s", after.leader().orElseThrow().podName(),
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), oldLeader.podName());

        // Then another member leads, the old one is unreachable, and the directory is still there
        assertThat(after.health()).isEqualTo(Health.DEGRADED);
        assertThat(roleOf(after, oldLeader)).isEqualTo(Role.UNREACHABLE);
        // and the settled quorum stays DEGRADED under the strict leaderId rule: no follower names a non-member
        List<LeaderStatus> settled = new ArrayList<>();
        for (int poll = 0; poll < SETTLED_POLLS; poll++) {
            settled.add(running().discover(PROBE_DEADLINE));
        }
        assertThat(settled).as("discoveries after the new leader was named")
                .allSatisfy(status -> assertThat(status.health()).as(status.reason()).isEqualTo(Health.DEGRADED));
        PodExec.Result ls = quorum.alluxio(cliMember, CLI, "fs", "ls", "/");
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        assertThat(ls.stdout()).contains("/survives-failover");
    }

    @Test
    @Order(8)
    void aMemberThatAcceptsAndNeverRepliesDelaysTheAnswerByOneDeadlineAtMost() throws IOException {
        // Given the killed master's web port taken by a server that accepts connections and never replies
        assertThat(killedLeader).as("the previous test killed the leader").isNotNegative();
        int webPort = quorum.mapping().localPorts(killedLeader).web();
        Member silent = quorum.member(killedLeader);
        LeaderStatus status;
        LeaderStatus unhindered = quorum.await(s -> s.leader().isPresent(), "a leader", FAILOVER);
        try (SilentServer server = new SilentServer(webPort)) {
            // When discovery runs (again, while a live member missed the deadline on a busy machine)
            status = discoverUntil(s -> answeredExcept(s, silent), "the live members answering");
            log("with a silent server for %s, discovery took %d ms (%d ms without it; %d connection(s) held)",
                    silent.podName(), status.elapsed().toMillis(), unhindered.elapsed().toMillis(), server.accepted());
            assertThat(server.accepted()).isPositive();
        }

        // Then that member is UNREACHABLE after its deadline, and the answer came one deadline later than an
        // unhindered one, within a margin that a 4x slowdown meets
        assertThat(status.elapsed()).isGreaterThanOrEqualTo(PROBE_DEADLINE)
                .isLessThan(PROBE_DEADLINE.plus(margin(unhindered)));
        assertThat(roleOf(status, silent)).isEqualTo(Role.UNREACHABLE);
        assertThat(detailOf(status, silent)).contains("no answer within");
        assertThat(status.leader()).isPresent();
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
    }

    @Test
    @Order(9)
    void theKilledLeaderRestartedRejoinsAsAFollower() {
        // Given the master killed earlier
        assertThat(killedLeader).as("an earlier test killed the leader").isNotNegative();
        Member restarted = quorum.member(killedLeader);

        // When it is started again with its journal
        long restartedAt = System.nanoTime();
        quorum.restart(killedLeader);
        LeaderStatus status = quorum.await(s -> roleOf(s, restarted) == Role.FOLLOWER && s.health() == Health.HEALTHY,
                restarted.podName() + " answering FOLLOWER", REJOIN);
        log("%s rejoined as FOLLOWER %d ms after restart", restarted.podName(),
                Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());

        // Then it follows the leader elected without it
        assertThat(status.leader()).isPresent().get().isNotEqualTo(restarted);
    }

    @Test
    @Order(10)
    void twoOfThreeMastersKilledIsNoQuorumWithinTwoDeadlines() {
        // Given a quorum whose leader and one follower are killed
        LeaderStatus before = running().await(s -> s.health() == Health.HEALTHY, "every member answering", REJOIN);
        Member leader = before.leader().orElseThrow();
        Member follower = before.membersWithRole(Role.FOLLOWER).get(0);
        Member survivor = before.membersWithRole(Role.FOLLOWER).get(1);
        quorum.kill(leader.ordinal());
        quorum.kill(follower.ordinal());

        // When discovery runs over HTTP (again, while the survivor missed its deadline on a busy machine: the
        // CLI fallback would then take its own deadlines, which is not what this test measures)
        ClusterAccess httpOnly = new ClusterAccess(quorum.probe(), PodExec.unavailable(), PROBE_DEADLINE);
        LeaderStatus status = discoverUntil(() -> provider.leaderDiscovery(spec, httpOnly).discover(),
                s -> roleOf(s, survivor) == Role.FOLLOWER, survivor.podName() + " answering");
        log("with two of three killed, discovery took %d ms: %s (%s)", status.elapsed().toMillis(), status.health(),
                status.reason());

        // Then there is no quorum and no leader is named, and the dead members cost no deadline: they refuse
        assertThat(status.elapsed()).isLessThan(times(PROBE_DEADLINE, 2));
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
        assertThat(roleOf(status, leader)).isEqualTo(Role.UNREACHABLE);
        assertThat(roleOf(status, follower)).isEqualTo(Role.UNREACHABLE);
        assertThat(detailOf(status, leader)).doesNotContain("no answer within");
    }

    @Test
    @Order(11)
    void closingTheQuorumLeavesNoAlluxioProcessAndNoDirectory() {
        // Given the quorum of the tests above
        Path root = running().root();

        // When it is closed
        quorum.close();

        // Then no JVM it started runs any more and its directory is gone
        assertThat(LocalAlluxioQuorum.runningProcesses())
                .noneMatch(process -> process.info().commandLine().orElse("").contains(root.toString()));
        assertThat(root).doesNotExist();
    }

    private LocalAlluxioQuorum running() {
        assertThat(quorum).as("the quorum started by the first test").isNotNull();
        return quorum;
    }

    /**
     * How much longer than one deadline a discovery with one hung member may take: four times what an unhindered
     * one took in this run, and at least half a second for timers that fire late on a loaded machine.
     */
    private static Duration margin(LeaderStatus unhindered) {
        Duration four = unhindered.elapsed().multipliedBy(4);
        return four.compareTo(Duration.ofMillis(500)) > 0 ? four : Duration.ofMillis(500);
    }

    private static Duration slowestAnswer(LeaderStatus status) {
        return status.members().stream().map(LeaderStatus.MemberAnswer::latency).max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    /** Whether every member but {@code except} told its role. */
    private static boolean answeredExcept(LeaderStatus status, Member except) {
        return status.members().stream()
                .allMatch(a -> a.member().equals(except) || a.role() == Role.LEADER || a.role() == Role.FOLLOWER);
    }

    /** The provider's discovery with the probe deadline until {@code condition} holds. */
    private LeaderStatus discoverUntil(Predicate<LeaderStatus> condition, String what) {
        return discoverUntil(() -> quorum.discover(PROBE_DEADLINE), condition, what);
    }

    /** {@code discovery} until {@code condition} holds, within the failover budget. */
    private static LeaderStatus discoverUntil(Supplier<LeaderStatus> discovery, Predicate<LeaderStatus> condition,
            String what) {
        long end = System.nanoTime() + FAILOVER.toNanos();
        LeaderStatus last;
        do {
            last = discovery.get();
            if (condition.test(last)) {
                return last;
            }
        } while (System.nanoTime() < end);
        throw new AssertionError("no status with " + what + " within " + FAILOVER + "; last: " + last);
    }

    /**
     * {@code discovery} until no fallback command missed its deadline (the controller stopped waiting, or the
     * pod's {@code timeout} killed it: exit 137), within the failover budget. Seen at a load average of 60: CLI
     * calls of 17-23 s, and one killed by the pod at 28 s.
     */
    private static LeaderStatus untilAnswered(Supplier<LeaderStatus> discovery) {
        return discoverUntil(discovery, status -> !status.method().contains("did not finish within")
                && !status.method().contains("exited 137"), "a fallback command that finished");
    }

    private static MemberProbe refusingProbe() {
        return (member, port, path, deadline) ->
                CompletableFuture.failedFuture(new ConnectException("Connection refused (HTTP disabled by the test)"));
    }

    private static Role roleOf(LeaderStatus status, Member member) {
        return status.members().stream().filter(a -> a.member().equals(member)).findFirst().orElseThrow().role();
    }

    private static String detailOf(LeaderStatus status, Member member) {
        return status.members().stream().filter(a -> a.member().equals(member)).findFirst().orElseThrow().detail();
    }

    private static Duration times(Duration duration, double factor) {
        return Duration.ofNanos((long) (duration.toNanos() * factor));
    }

    private static void log(String format, Object... args) {
        System.out.printf("[real-quorum] " + format + "%n", args);
    }

    /** Accepts every connection on a loopback port and never writes a byte; closes them all when closed. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        SilentServer(int port) throws IOException {
            socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket accepted = socket.accept();
                        synchronized (held) {
                            held.add(accepted);
                        }
                    }
                } catch (IOException closed) {
                    // close() closed the server socket: the loop is over.
                }
            }, "silent server on " + port);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int accepted() {
            synchronized (held) {
                return held.size();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
            try {
                acceptor.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
