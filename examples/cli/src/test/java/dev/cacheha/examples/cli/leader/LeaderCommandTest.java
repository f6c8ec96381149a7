package dev.cacheha.examples.cli.leader;

import static dev.cacheha.examples.cli.leader.FakeAlluxioMaster.Behaviour.FOLLOWER;
import static dev.cacheha.examples.cli.leader.FakeAlluxioMaster.Behaviour.HANG;
import static dev.cacheha.examples.cli.leader.FakeAlluxioMaster.Behaviour.LEADER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.examples.cli.leader.FakeAlluxioMaster.Behaviour;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderCommandTest {

    private final List<FakeAlluxioMaster> masters = new ArrayList<>();

    @AfterEach
    void stopMasters() throws InterruptedException {
        for (FakeAlluxioMaster master : masters) {
            master.close();
        }
    }

    @Test
    void aHealthyQuorumPrintsItsLeaderAndEveryMemberAndExitsZero() throws IOException {
        // Given
        List<String> members = start(FOLLOWER, LEADER, FOLLOWER);

        // When
        CacheHaRun run = leader(members);

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("leader: member 1 (" + members.get(1) + ")").contains("health: HEALTHY");
        assertThat(lines.get(1)).startsWith("MEMBER").contains("ADDRESS", "ROLE", "LATENCY", "METHOD");
        assertThat(lines.subList(2, lines.size())).hasSize(3).satisfiesExactly(
                row -> assertThat(row).startsWith("0").contains(members.get(0), "FOLLOWER", " ms"),
                row -> assertThat(row).startsWith("1").contains(members.get(1), "LEADER", " ms"),
                row -> assertThat(row).startsWith("2").contains(members.get(2), "FOLLOWER", " ms"));
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonNamesTheLeaderHealthAndEveryMember() throws IOException {
        // Given
        List<String> members = start(LEADER, FOLLOWER, FOLLOWER);

        // When
        CacheHaRun run = leader(members, "--json");

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode status = JsonMapper.builder().build().readTree(run.out());
        assertThat(status.get("engine").asText()).isEqualTo("alluxio");
        assertThat(status.get("health").asText()).isEqualTo("HEALTHY");
        assertThat(status.get("leader").get("ordinal").intValue()).isZero();
        assertThat(status.get("leader").get("address").asText()).isEqualTo(members.get(0));
        assertThat(status.get("members")).hasSize(3);
        assertThat(status.get("members").get(2).get("role").asText()).isEqualTo("FOLLOWER");
        assertThat(status.get("members").get(2).get("latencyMillis").isNumber()).isTrue();
    }

    @Test
    void aMemberThatIsDownLeavesAQuorumThatStillHasALeader() throws IOException {
        // Given the last member refuses connections
        List<String> members = new ArrayList<>(start(LEADER, FOLLOWER));
        members.add(refusedAddress());

        // When
        CacheHaRun run = leader(members);

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("health: DEGRADED");
        assertThat(run.out().lines().filter(line -> line.startsWith("2 "))).singleElement().asString()
                .contains("UNREACHABLE");
    }

    @Test
    void followersWithoutALeaderAreNoQuorumAndExitThree() throws IOException {
        // When
        CacheHaRun run = leader(start(FOLLOWER, FOLLOWER, FOLLOWER));

        // Then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.NO_QUORUM);
        assertThat(run.out()).startsWith("leader: none").contains("health: NO_QUORUM");
    }

    @Test
    void twoMembersClaimingToLeadAreUnknownAndExitFour() throws IOException {
        // When
        CacheHaRun run = leader(start(LEADER, FOLLOWER, LEADER));

        // Then
        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(run.out()).startsWith("leader: none").contains("health: UNKNOWN");
    }

    @Test
    void hungMembersAreUnreachableWithinTheTimeoutAndTheAnswerIsNoQuorum() throws IOException {
        // Given a leader whose two followers accept connections and never answer
        List<String> members = start(LEADER, HANG, HANG);

        // When
        long started = System.nanoTime();
        CacheHaRun run = leader(members, "--timeout", "300ms");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // Then
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.NO_QUORUM);
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(run.out().lines().filter(line -> line.contains("UNREACHABLE"))).hasSize(2);
    }

    @Test
    void anEvenNumberOfMembersIsBadInputWithAClearMessage() {
        // When
        CacheHaRun run = CacheHaRun.of("leader", "--engine", "alluxio", "--member", "127.0.0.1:1",
                "--member", "127.0.0.1:2");

        // Then
        assertBadInput(run, "--member: 2 members given; a raft quorum has an odd number of members");
    }

    @Test
    void everyBadAddressAndAnUnknownEngineAreReportedTogether() {
        // When
        CacheHaRun run = CacheHaRun.of("leader", "--engine", "zookeeper", "--member", "127.0.0.1",
                "--member", "host:port", "--member", "127.0.0.1:3");

        // Then
        assertBadInput(run, "--engine: \"zookeeper\" is not an installed engine; installed engines: alluxio, jindo",
                "--member[0]: \"127.0.0.1\" is not HOST:PORT", "--member[1]: \"host:port\" is not HOST:PORT");
    }

    @Test
    void missingMembersAndBadTimeoutsAreUsageErrors() {
        assertBadInput(CacheHaRun.of("leader", "--engine", "alluxio"), "--member");
        assertBadInput(CacheHaRun.of("leader", "--engine", "alluxio", "--member", "127.0.0.1:1", "--timeout", "0s"),
                "'0s' is not a positive duration");
    }

    private List<String> start(Behaviour... behaviours) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (Behaviour behaviour : behaviours) {
            FakeAlluxioMaster master = FakeAlluxioMaster.start(behaviour);
            masters.add(master);
            addresses.add(master.address());
        }
        return addresses;
    }

    private static CacheHaRun leader(List<String> members, String... more) {
        List<String> args = new ArrayList<>(List.of("leader", "--engine", "alluxio"));
        members.forEach(member -> args.addAll(List.of("--member", member)));
        args.addAll(List.of(more));
        return CacheHaRun.of(args.toArray(String[]::new));
    }

    /** A loopback address where nothing listens: the port was free a moment ago and is closed again. */
    private static String refusedAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static void assertBadInput(CacheHaRun run, String... messages) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(messages);
    }
}
