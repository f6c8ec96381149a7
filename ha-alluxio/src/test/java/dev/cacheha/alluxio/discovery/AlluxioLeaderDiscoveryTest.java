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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Discovery's judgement of what members say, and its time bounds, against scripted members. */
class AlluxioLeaderDiscoveryTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final String LEADER = RecordedOutputs.read("webui-overview-leader.json");
    private static final String FOLLOWER = RecordedOutputs.read("webui-overview-follower.json");

    @Test
    void theLeaderIsTheMemberThatSaysSoItselfNotTheOneFollowersName() {
        // Given followers that still name demo-master-1 (the recorded answers), while demo-master-2 says LEADER
        FakeCluster cluster = new FakeCluster().http(0, ok(FOLLOWER)).http(1, ok(FOLLOWER)).http(2, ok(LEADER));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then
        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-2");
        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.method()).isEqualTo("http GET :19999/api/v1/master/webui_overview on every member");
    }

    @Test
    void twoMembersSayingLeaderIsUnknownAndNeitherIsPicked() {
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(FOLLOWER)).http(2, ok(LEADER));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.leader()).isEmpty();
        assertThat(status.membersWithRole(Role.LEADER)).hasSize(2);
    }

    @Test
    void aSilentMemberIsUnreachableAfterTheDeadlineAndDelaysNothingBeyondIt() {
        // Given a member whose probe never completes
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, silence()).http(2, ok(FOLLOWER));

        // When
        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        // Then
        assertThat(status.elapsed()).isLessThan(DEADLINE.multipliedBy(12).dividedBy(10));
        assertThat(status.members().get(1).role()).isEqualTo(Role.UNREACHABLE);
        assertThat(status.members().get(1).detail()).isEqualTo("no answer within 400 ms");
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
    }

    @Test
    void aProbeThatThrowsOrReturnsNothingIsAnUnreachableMemberNotAnException() {
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(2, ok(FOLLOWER));
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
        assertThat(status.method()).startsWith("exec `alluxio fsadmin journal quorum info -domain MASTER` in demo-master-");
    }

    @Test
    void aQuorumLeaderThatIsNotAConfiguredMemberIsNeverNamed() {
        FakeCluster cluster = everyPodRuns(argv -> printed(0, RecordedOutputs.read("quorum-info-healthy.txt")
                .replace("Quorum leader\t: demo-master-1.", "Quorum leader\t: intruder-1.")));

        LeaderStatus status = cluster.discovery(DEADLINE).discover();

        assertThat(status.leader()).isEmpty();
        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.membersWithRole(Role.LEADER)).isEmpty();
        assertThat(status.method()).contains("intruder-1.demo-master.cache.svc.cluster.local:19200 is not a configured");
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

        // Then
        assertThat(status.elapsed()).isLessThan(DEADLINE.multipliedBy(3).plusMillis(200));
        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.membersWithRole(Role.UNREACHABLE)).hasSize(3);
        assertThat(status.method()).contains("no member told its role");
    }

    @Test
    void theProviderHandsOutThisDiscovery() {
        FakeCluster cluster = new FakeCluster().http(0, ok(LEADER)).http(1, ok(FOLLOWER)).http(2, ok(FOLLOWER));

        LeaderStatus status = new AlluxioHighAvailabilityProvider()
                .leaderDiscovery(FakeCluster.SPEC, cluster.access(DEADLINE)).discover();

        assertThat(status.leader()).map(m -> m.podName()).contains("demo-master-0");
    }

    private static FakeCluster everyPodRuns(Function<List<String>, CompletableFuture<PodExec.Result>> run) {
        FakeCluster cluster = new FakeCluster();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            cluster.exec(ordinal, run);
        }
        return cluster;
    }
}
