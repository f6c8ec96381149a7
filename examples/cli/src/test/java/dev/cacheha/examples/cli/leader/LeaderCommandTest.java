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
import java.util.stream.IntStream;
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
    void followersNamingALeaderThatIsNoMemberAreUnknownAndExitFour() throws IOException {
        // Given member 0 saying LEADER while both followers name new-leader.example_19200, no member's journal
        List<String> members = start("new-leader.example_19200", LEADER, FOLLOWER, FOLLOWER);

        // When
        CacheHaRun run = leader(members);

        // Then the followers' word counts against the claimant: UNKNOWN, exit 4, and each follower's row says why
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.UNKNOWN);
        assertThat(run.out()).startsWith("leader: none").contains("health: UNKNOWN");
        assertThat(run.out().lines().filter(line -> line.contains(
                "FOLLOWER") && line.endsWith("leaderId new-leader.example_19200 is not a configured journal address")))
                .hasSize(2);
    }

    @Test
    void followersNamingTheLeadersRealJournalAddressBackIt() throws IOException {
        // Given followers naming member 2 by its real journal address, in any case
        List<String> members = start("LOCALHOST_19202", FOLLOWER, FOLLOWER, LEADER);

        CacheHaRun run = leader(members);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("health: HEALTHY");
    }

    @Test
    void membersThatCannotBeToldApartByTheirJournalAddressAreBadInput() {
        // Given three members on one host and no --journal: each journal would be 127.0.0.1:19200
        CacheHaRun sameHost = CacheHaRun.of("leader", "--engine", "alluxio", "--member", "127.0.0.1:1",
                "--member", "127.0.0.1:2", "--member", "127.0.0.1:3");
        CacheHaRun tooFew = CacheHaRun.of("leader", "--engine", "alluxio", "--member", "127.0.0.1:1",
                "--journal", "a:1", "--journal", "b:1");

        assertBadInput(sameHost, "--member[1]: member 1's journal address 127.0.0.1:19200 is member 0's too",
                "--member[2]", "--journal HOST:PORT");
        assertBadInput(tooFew, "--journal: 2 journal addresses for 1 members");
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

    /**
     * Fakes on loopback; member i's journal is {@code localhost:1920i} (see {@link #leader}), and every member
     * names the one LEADER's journal as its leader, or "" (no leader known) when there is not exactly one.
     */
    private List<String> start(Behaviour... behaviours) throws IOException {
        List<Integer> leaders = IntStream.range(0, behaviours.length).filter(i -> behaviours[i] == LEADER)
                .boxed().toList();
        return start(leaders.size() == 1 ? journal(leaders.get(0)).replace(':', '_') : "", behaviours);
    }

    private List<String> start(String leaderId, Behaviour... behaviours) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (Behaviour behaviour : behaviours) {
            FakeAlluxioMaster master = FakeAlluxioMaster.start(behaviour, leaderId);
            masters.add(master);
            addresses.add(master.address());
        }
        return addresses;
    }

    private static String journal(int ordinal) {
        return "localhost:" + (19200 + ordinal);
    }

    /** Runs {@code cache-ha leader} for {@code members}, member i's journal at {@link #journal}(i). */
    private static CacheHaRun leader(List<String> members, String... more) {
        List<String> args = new ArrayList<>(List.of("leader", "--engine", "alluxio"));
        for (int i = 0; i < members.size(); i++) {
            args.addAll(List.of("--member", members.get(i), "--journal", journal(i)));
        }
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
