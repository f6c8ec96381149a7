package dev.cacheha.alluxio.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The command a shrink runs on the leader to take a stopped member out of the raft configuration, run on three real
 * Alluxio 2.9.6 masters, twice. A controller records a step as done only after its command returned, so a
 * controller that dies in between runs the command again on its retry: the second run must succeed and change
 * nothing, or the retried shrink would fail on every attempt. Alluxio sets the configuration to its current peers
 * minus the named one, which for a member already removed is the configuration it has; this test proves the
 * outcome rather than trusting that reading of the source.
 */
@Tag("real-quorum")
class QuorumRemovalOnRealQuorumTest {

    // Seen: 66-104 s at load averages of 35-74 on two cores; a quiet machine elects in 8-13 s.
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration ELECTION = Duration.ofSeconds(120);
    /** One CLI JVM: 0.8-3 s, much longer beside other builds; the retries are for a leader that just changed. */
    private static final Duration CLI = Duration.ofSeconds(60);
    private static final Duration RETRIES = Duration.ofSeconds(90);

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final HaSpec spec = HaSpec.builder("shrink", "cache").replicas(3).build();
    private final LeaderCommand onLeader = new LeaderCommand(ELECTION, CLI, RETRIES);

    @Test
    void removingAStoppedMemberTwiceSucceedsBothTimesAndLeavesTheOthersAQuorumThatTakesWrites() {
        try (LocalAlluxioQuorum quorum = LocalAlluxioQuorum.start(spec,
                AlluxioClasspath.fromResource(getClass().getClassLoader()))) {
            // Given a healthy quorum of three whose follower member has been stopped, as a shrink stops it first
            LeaderStatus healthy = quorum.await(status -> status.health() == Health.HEALTHY, "three answering",
                    STARTUP);
            Member stopped = healthy.membersWithRole(Role.FOLLOWER).get(0);
            quorum.kill(stopped.ordinal());
            quorum.await(status -> status.leader().isPresent() && roleOf(status, stopped) == Role.UNREACHABLE,
                    "a leader with " + stopped.podName() + " down", ELECTION);
            List<String> removal = removalOf(quorum, stopped);

            // When the provider's removal command runs on the leader, and then once more as a retry would run it
            LeaderCommand.Outcome firstRun = onLeader.run(quorum, removal);
            LeaderCommand.Outcome secondRun = onLeader.run(quorum, removal);
            PodExec.Result first = firstRun.result();
            PodExec.Result second = secondRun.result();
            System.out.printf("[removal] %s removed from the MASTER quorum: first run exit %d after %d attempt(s),"
                    + " second run exit %d after %d attempt(s)%n", stopped.podName(), first.exitCode(),
                    firstRun.attempts(), second.exitCode(), secondRun.attempts());

            // Then both exit 0, and Alluxio's own table has two members, none of them the removed one
            assertThat(first.exitCode()).as("first removal: %s", first).isZero();
            assertThat(second.exitCode()).as("second removal of the same member: %s", second).isZero();
            String table = onLeader.run(quorum, List.of("alluxio", "fsadmin", "journal", "quorum", "info", "-domain",
                    "MASTER")).result().stdout();
            String removedAddress = AlluxioNames.of(spec).host(stopped.ordinal()) + ":"
                    + AlluxioPorts.of(spec).journal();
            assertThat(table).containsPattern("Quorum size\\s*:\\s*2\\b").doesNotContain(removedAddress);

            // And the two remaining members still elect a leader that takes a metadata write
            PodExec.Result write = onLeader.run(quorum, List.of("alluxio", "fs", "mkdir", "/after-removal")).result();
            assertThat(write.exitCode()).as("write after the removal: %s", write).isZero();
        }
    }

    /**
     * The removal a shrink from five to three runs for its member 3, aimed at {@code stopped}'s journal address as
     * this machine's masters listen on it: the provider's own argv, not one written here.
     */
    private List<String> removalOf(LocalAlluxioQuorum quorum, Member stopped) {
        ReplicaChangePlan shrink = provider.planReplicaChange(spec.withReplicas(5), 3);
        Step.ExecOnLeader planned = shrink.steps().stream()
                .filter(Step.ExecOnLeader.class::isInstance).map(Step.ExecOnLeader.class::cast)
                .filter(step -> step.argv().contains("MASTER"))
                .findFirst().orElseThrow(() -> new AssertionError("a shrink runs no removal on the leader: " + shrink));
        List<String> argv = new ArrayList<>(planned.argv());
        int address = argv.indexOf("-address") + 1;
        assertThat(address).as("the removal names the member by -address: %s", argv).isPositive();
        int journalPort = AlluxioPorts.of(spec).journal();
        argv.set(address, "localhost:" + quorum.mapping().localPort(stopped.ordinal(), journalPort));
        return argv;
    }

    private static Role roleOf(LeaderStatus status, Member member) {
        return status.members().stream().filter(answer -> answer.member().equals(member))
                .map(LeaderStatus.MemberAnswer::role).findFirst().orElseThrow();
    }
}
