package dev.cacheha.alluxio.discovery;

import static dev.cacheha.alluxio.discovery.FakeCluster.ok;
import static dev.cacheha.alluxio.discovery.FakeCluster.printed;
import static dev.cacheha.alluxio.discovery.FakeCluster.silence;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery's judgement of what members say, and its time bounds, against scripted members. */
class AlluxioLeaderDiscoveryTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final String LEADER = RecordedOutputs.read("webui-overview-leader.json");
    /** The recorded follower's answer: it follows demo-master-1. */
    private static final String FOLLOWER = RecordedOutputs.read("webui-overview-follower.json");
    private static final String RECORDED_LEADER_ID =
            "\"leaderId\":\"demo-master-1.demo-master.cache.svc.cluster.local_19200\"";

    /** The recorded follower's answer, following member {@code ordinal}. */
    private static String followerOf(int ordinal) {
        assertThat(FOLLOWER).contains(RECORDED_LEADER_ID);
        return FOLLOWER.replace(RECORDED_LEADER_ID,
                RECORDED_LEADER_ID.replace("demo-master-1", "demo-master-" + ordinal));
    }

    @Test
    void theLeaderIsTheMemberThatSaysSoItselfWithTheFollowersNamingIt() {
        // Given two followers naming demo-master-2, which says LEADER
        FakeCluster cluster = new FakeCluster().http(0, ok(followerOf(2))).http(1, ok(followerOf(2)))
                .http(2, ok(LEADER));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then
        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-2");
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.members().get(0).follows()).map(m -> m.podName()).contains("demo-master-2");
        assertThat(status.method()).isEqualTo("http GET :19999/api/v1/master/webui_overview on every member");
    }

    @Test
    void aStaleLeaderIsNotNamedWhenTheOnlyFollowerThatAnswersFollowsAnUnreachableMember() {
        // Given a paused old leader 0 that still says LEADER, the real leader 2 out of the controller's reach,
        // and follower 1 that follows 2
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(followerOf(2)));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then no leader is named, and the reason says who contradicts the claim
        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.reason()).contains("demo-master-1 follows demo-master-2");
    }

    @Test
    void aNewLeaderIsUnknownWhileTheOtherFollowerStillNamesTheDeadOne() {
        // Given leader 1 just killed (refused), 2 already saying LEADER, and 0 still following the dead 1
        FakeCluster cluster = new FakeCluster().http(0, ok(followerOf(1))).http(2, ok(LEADER));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.membersWithRole(Role.LEADER)).extracting(m -> m.podName()).containsExactly("demo-master-2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"leaderId\":\"new-leader.example_19200\"", "\"leaderId\":\"localhost_19200\"",
        "\"leaderId\":\"no-port-here\"", "\"leaderId\":17",
        "\"leaderId\":\"demo-master-0.demo-master.cache.svc.cluster.local_19200\",\"x\":{\"leaderId\":\"b_1\"}"})
    void followersWhoseLeaderIdNamesNoOneMemberDissentSoTheClaimantIsUnknown(String leaderId) {
        // Given member 0 saying LEADER and both followers naming, in leaderId, a leader that is no one member:
        // unknown, unreadable, not a string, or two different ones
        String naming = FOLLOWER.replace(RECORDED_LEADER_ID, leaderId);
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(naming)).http(2, ok(naming));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then their word counts against the claimant: UNKNOWN, no leader, each dissent in the reason
        assertThat(status.health()).as(status.reason()).isEqualTo(Health.UNKNOWN);
        assertThat(status.leader()).isEmpty();
        assertThat(status.reason()).contains("demo-master-1 names leader", "demo-master-2 names leader", "no member");
        assertThat(status.members().get(1).unknownLeader()).isPresent();
    }

    @Test
    void oneFollowerNamingNoMemberLeavesTheLeaderDegradedAndSaysWhy() {
        String foreign = FOLLOWER.replace(RECORDED_LEADER_ID, "\"leaderId\":\"localhost_19200\"");
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(foreign)).http(2, ok(followerOf(0)));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-0");
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.reason()).contains("demo-master-1 names leader leaderId localhost_19200, no member");
        assertThat(status.members().get(1).detail())
                .isEqualTo("leaderId localhost_19200 is not a configured journal address");
    }

    @Test
    void anEmptyLeaderIdAsWrittenDuringAnElectionNamesNoLeaderAndIsNoDissent() {
        // Given (as measured on 2.9.6) a follower still answering leaderId "" while 0 already says LEADER
        String electing = FOLLOWER.replace(RECORDED_LEADER_ID, "\"leaderId\":\"\"");
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(electing)).http(2, ok(followerOf(0)));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-0");
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.members().get(1).follows()).isEmpty();
        assertThat(status.members().get(1).unknownLeader()).isEmpty();
    }

    @Test
    void twoMembersSayingLeaderIsUnknownAndNeitherIsPicked() {
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(followerOf(0))).http(2, ok(LEADER));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.leader()).isEmpty();
        assertThat(status.membersWithRole(Role.LEADER)).hasSize(2);
    }

    @Test
    void aSilentMemberIsUnreachableAfterTheDeadlineAndDelaysNothingBeyondIt() {
        // Given a member whose probe never completes, and the cost of a discovery without one, measured now
        Duration unhindered = new FakeCluster().http(0, ok(LEADER)).http(1, ok(followerOf(0)))
                .http(2, ok(followerOf(0))).discovery(DEADLINE).discover().elapsed();
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, silence()).http(2, ok(followerOf(0)));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then it waited one deadline, and beyond it no more than four times the work of an unhindered discovery
        assertThat(status.elapsed()).isGreaterThanOrEqualTo(DEADLINE)
                .isLessThan(DEADLINE.plus(unhindered.multipliedBy(4)).plusMillis(100));
        assertThat(status.members().get(1).role()).isEqualTo(Role.UNREACHABLE);
        assertThat(status.members().get(1).detail()).isEqualTo("no answer within 400 ms");
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
    }

    @Test
    void aProbeThatThrowsOrReturnsNothingIsAnUnreachableMemberNotAnException() {
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(2, ok(followerOf(0)));
        var access = cluster.access(DEADLINE);
        var throwing = new dev.cacheha.spi.ClusterAccess((member, port, path, deadline) -> {
            if (member.ordinal() == 1) {
                throw new IllegalStateException("port-forward broke");
            }
            return member.ordinal() == 2 ? null : access.probe().get(member, port, path, deadline);
        }, access.exec(), DEADLINE);

        LeaderStatus status = new AlluxioLeaderDiscovery(FakeCluster.SPEC, throwing).discover();

        assertThat(status.members()).extracting(LeaderStatus.MemberAnswer::role)
                .containsExactly(Role.LEADER, Role.UNREACHABLE, Role.UNREACHABLE);
        assertThat(status.members().get(1).detail()).contains("port-forward broke");
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
    }

    @Test
    void withoutHttpTheJournalQuorumTableGivesEveryMembersState() {
        // Given no HTTP, and pods whose CLI prints the table recorded after demo-master-0 was killed
        FakeCluster cluster = everyPodRuns(argv -> argv.contains("fsadmin")
                ? printed(0, RecordedOutputs.read("quorum-info-one-unavailable.txt"))
                : printed(1, ""));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then
        assertThat(status.members()).extracting(LeaderStatus.MemberAnswer::role)
                .containsExactly(Role.UNREACHABLE, Role.LEADER, Role.FOLLOWER);
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.method())
                .startsWith("exec `alluxio fsadmin journal quorum info -domain MASTER` in demo-master-");
    }

    @Test
    void aQuorumLeaderThatIsNotAConfiguredMemberIsNeverNamed() {
        FakeCluster cluster = everyPodRuns(argv -> printed(0, RecordedOutputs.read("quorum-info-healthy.txt")
                .replace("Quorum leader\t: demo-master-1.", "Quorum leader\t: intruder-1.")));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.membersWithRole(Role.LEADER)).isEmpty();
        assertThat(status.method())
                .contains("intruder-1.demo-master.cache.svc.cluster.local:19200 is not a configured");
    }

    @Test
    void whenQuorumInfoFailsMasterInfoNamesTheLeaderAndLeavesStandbysUnknown() {
        FakeCluster cluster = everyPodRuns(argv -> argv.contains("fsadmin")
                ? printed(255, RecordedOutputs.read("quorum-info-no-quorum.txt"))
                : printed(0, RecordedOutputs.read("master-info.txt")));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-1");
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.membersWithRole(Role.UNKNOWN)).hasSize(2);
    }

    @Test
    void aSingleMastersMasterInfoNamesNoLeaderBecauseTheClientOnlyEchoesItsAddress() {
        // Given one master whose web port is refused, whose quorum table fails, and whose `fs masterInfo`
        // echoes the one configured address, as the Alluxio client does without asking the master
        FakeCluster cluster = new FakeCluster().exec(0, argv -> argv.contains("fsadmin")
                ? printed(255, RecordedOutputs.read("quorum-info-no-quorum.txt"))
                : printed(0, "Current leader master: demo-master-0.demo-master.cache.svc.cluster.local:19998\n"
                        + "All masters: [demo-master-0.demo-master.cache.svc.cluster.local:19998]\n"));
        HaSpec single = FakeCluster.SPEC.withReplicas(1);

        // When discovery runs
        LeaderStatus status = new AlluxioLeaderDiscovery(single, cluster.access(DEADLINE)).discover();

        // Then nothing is concluded from the echo: no leader, health UNKNOWN, and the reason is given
        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.members()).singleElement()
                .satisfies(answer -> assertThat(answer.detail()).contains("echoes the configured address"));
    }

    @Test
    void masterInfoWithoutALeaderIsNoQuorum() {
        FakeCluster cluster = everyPodRuns(argv -> argv.contains("fsadmin")
                ? printed(255, RecordedOutputs.read("quorum-info-no-quorum.txt"))
                : printed(0, RecordedOutputs.read("master-info-no-quorum.txt")));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
        assertThat(status.members()).allMatch(a -> a.detail().equals("fs masterInfo found no leader"));
    }

    @Test
    void membersThatAnswerNothingAnywhereAreNoQuorumWithinThreeDeadlines() {
        // Given pods that hang on HTTP and on every command
        FakeCluster cluster = everyPodRuns(argv -> silence());
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            cluster.http(ordinal, silence());
        }

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then one deadline for HTTP and the fallback's two command deadlines (one per command in flight at a
        // time), and little more: a 4x slowdown of the work around the waits still fits the margin
        assertThat(status.elapsed()).isLessThan(DEADLINE.multipliedBy(4));
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.membersWithRole(Role.UNREACHABLE)).hasSize(3);
        assertThat(status.method()).contains("no member told its role");
    }

    @Test
    void theProviderHandsOutThisDiscovery() {
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(followerOf(0)))
                .http(2, ok(followerOf(0)));

        LeaderStatus status = new AlluxioHighAvailabilityProvider()
                .leaderDiscovery(FakeCluster.SPEC, cluster.access(DEADLINE)).discover();

        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-0");
    }

    @Test
    void theFallbackCommandCarriesATimeoutSoItDiesInThePodToo() {
        // Given no HTTP, and pods that record each command and print the healthy quorum table
        List<List<String>> argvs = new CopyOnWriteArrayList<>();
        FakeCluster cluster = everyPodRuns(argv -> {
            argvs.add(argv);
            return printed(0, RecordedOutputs.read("quorum-info-healthy.txt"));
        });

        // When the provider's discovery runs, with its production command deadline
        LeaderStatus status = new AlluxioHighAvailabilityProvider()
                .leaderDiscovery(FakeCluster.SPEC, cluster.access(DEADLINE)).discover();

        // Then one command ran, killed by the pod 2 s before the 30 s the controller waits
        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-1");
        assertThat(argvs).containsExactly(List.of("timeout", "-s", "KILL", "28",
                "alluxio", "fsadmin", "journal", "quorum", "info", "-domain", "MASTER"));
    }

    @Test
    void aRuntimeNeverHasTwoFallbackCommandsRunningEvenWhenTwoDiscoveriesNeedOne() throws Exception {
        // Given no HTTP, and pods whose commands run 1 s and then fail, counted while they run
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        FakeCluster cluster = everyPodRuns(argv -> {
            started.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                running.decrementAndGet();
                return new PodExec.Result(1, "", "busy pod");
            }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
        });
        Duration commandDeadline = Duration.ofSeconds(3);

        // When two discoveries of the runtime start together
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Callable<LeaderStatus> discover = () -> {
                go.await();
                return new AlluxioLeaderDiscovery(FakeCluster.SPEC, cluster.access(DEADLINE), commandDeadline)
                        .discover();
            };
            Future<LeaderStatus> first = callers.submit(discover);
            Future<LeaderStatus> second = callers.submit(discover);
            go.countDown();
            List<String> methods = List.of(first.get(30, TimeUnit.SECONDS).method(),
                    second.get(30, TimeUnit.SECONDS).method());

            // Then commands ran one at a time (quorum info, then masterInfo), and the other discovery said why
            // it started none
            assertThat(mostAtOnce).hasValue(1);
            assertThat(started).hasValue(2);
            assertThat(methods)
                    .anySatisfy(method -> assertThat(method).contains("is still running; no other is started"));
        } finally {
            callers.shutdownNow();
        }
    }

    private static FakeCluster everyPodRuns(Function<List<String>, CompletableFuture<PodExec.Result>> run) {
        FakeCluster cluster = new FakeCluster();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            cluster.exec(ordinal, run);
        }
        return cluster;
    }
}
