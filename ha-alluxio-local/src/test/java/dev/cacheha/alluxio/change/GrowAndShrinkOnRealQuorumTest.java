package dev.cacheha.alluxio.change;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.Step;
import dev.cacheha.toolkit.QuorumNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Alluxio provider's replica-change plans, 3 to 5 masters and back, run step by step on real Alluxio 2.9.6
 * masters the way the controller runs them: {@code Apply} rewrites every member's site file from the target plan
 * (the ConfigMap) and starts or stops members to the target size (the StatefulSet), {@code ExecOnLeader} runs the
 * command on the member discovery names leader, {@code AwaitQuorum} waits until that many members answer (and
 * here also until Alluxio's own {@code fsadmin journal quorum info} lists exactly them), and {@code RollMembers}
 * restarts the members one at a time, the leader last. At each end the quorum must list exactly the intended
 * members, and the files written before the change must still be there.
 *
 * <p>No command adds a member (Alluxio 2.9.6 has none): each new master adds itself when it starts, and the old
 * members learn the new configuration from the leader. That join races the new master's own election timer; with
 * the harness's 1.5 s timeouts it lost on a loaded machine (docs/reliability.md, section 11), so this test runs
 * the masters with Alluxio's default election timeouts, as a production runtime does.
 */
@Tag("real-quorum")
class GrowAndShrinkOnRealQuorumTest {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration ELECTION = Duration.ofSeconds(120);
    /** How long the plan's AwaitQuorum may take: a new member catches up from the leader first. */
    private static final Duration QUORUM = Duration.ofSeconds(180);
    private static final Duration CLI = Duration.ofSeconds(60);
    private static final Duration RETRIES = Duration.ofSeconds(90);
    private static final int FILES = 20;
    private static final Pattern QUORUM_ROW =
            Pattern.compile("(?m)^\\s*(AVAILABLE|UNAVAILABLE)\\s*\\|\\s*\\d+\\s*\\|\\s*(\\S+)\\s*$");

    /**
     * Alluxio's default election timeouts instead of the harness's 750 ms to 1.5 s. Ratis 2.4.1 gives a member being
     * added 3 x the maximum election timeout to answer the leader (LeaderStateImpl, "timeout for bootstrapping"):
     * 4.5 s with the harness's settings, which a freshly started JVM misses on a loaded machine; see
     * docs/reliability.md, "Growing and shrinking on real Alluxio".
     */
    private static final Map<String, String> DEFAULT_ELECTION_TIMEOUTS = Map.of(
            "alluxio.master.embedded.journal.election.timeout.min", "10s",
            "alluxio.master.embedded.journal.election.timeout.max", "20s");

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final LeaderCommand onLeader = new LeaderCommand(ELECTION, CLI, RETRIES);
    private final HaSpec three = HaSpec.builder("grow", "cache").replicas(3).build();
    private final HaSpec five = three.withReplicas(5);

    @Test
    void withAlluxiosTimeoutsGrowingThreeToFiveAddsBothNewMastersAndShrinkingBackLeavesTheFirstThree() {
        try (LocalAlluxioQuorum quorum = LocalAlluxioQuorum.prepare(five,
                AlluxioClasspath.fromResource(getClass().getClassLoader()))) {
            // Given three masters running the 3-member plan, holding files
            HaPlan small = provider.plan(three);
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                quorum.configure(ordinal, small);
            }
            quorum.changeProperties(DEFAULT_ELECTION_TIMEOUTS, Set.of());
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                quorum.restart(ordinal);
            }
            quorum.await(status -> status.leader().isPresent() && answering(status) == 3, "three answering",
                    STARTUP);
            quorum.createFiles(quorum.awaitLeader(ELECTION).leader().orElseThrow().ordinal(), "/before", FILES,
                    RETRIES);
            assertThat(members(quorum)).as("the quorum before the change").isEqualTo(journalAddresses(3));

            // When the provider's plan from 3 to 5 runs
            run(quorum, provider.planReplicaChange(three, 5));

            // Then Alluxio's quorum has exactly the five members, all available, and the files are there
            assertThat(members(quorum)).as("the quorum after growing").isEqualTo(journalAddresses(5));
            assertThat(files(quorum)).isEqualTo(FILES);

            // When the provider's plan from 5 back to 3 runs
            run(quorum, provider.planReplicaChange(five, 3));

            // Then Alluxio's quorum has exactly the three original members, and the files are there
            assertThat(members(quorum)).as("the quorum after shrinking").isEqualTo(journalAddresses(3));
            assertThat(files(quorum)).isEqualTo(FILES);
        }
    }

    /** Runs {@code change}'s steps in order, as the controller does. */
    private void run(LocalAlluxioQuorum quorum, ReplicaChangePlan change) {
        for (Step step : change.steps()) {
            System.out.printf("[%d->%d] %s%n", change.fromReplicas(), change.toReplicas(), step);
            if (step instanceof Step.DeleteClaims) {
                IntStream.range(change.fromReplicas(), change.toReplicas()).forEach(quorum::wipeJournal);
            } else if (step instanceof Step.Apply) {
                apply(quorum, change);
            } else if (step instanceof Step.ExecOnLeader exec) {
                execOnLeader(quorum, exec);
            } else if (step instanceof Step.AwaitQuorum await) {
                quorum.await(status -> status.leader().isPresent() && answering(status) >= await.members(),
                        await.members() + " answering", QUORUM);
                // Raft membership, not only answers: when growing, the old members still run their 3-member
                // lists here, so the new members can only be in the configuration because they joined it.
                assertThat(members(quorum)).as("the quorum once %d members answer", await.members())
                        .isEqualTo(journalAddresses(await.members()));
            } else if (step instanceof Step.RollMembers roll) {
                roll(quorum, roll.members(), change.toReplicas());
            } else {
                throw new AssertionError("a replica change plans no " + step);
            }
        }
    }

    /** The ConfigMap changes for every pod, the StatefulSet starts or stops members to the target size. */
    private static void apply(LocalAlluxioQuorum quorum, ReplicaChangePlan change) {
        for (int ordinal = 0; ordinal < change.toReplicas(); ordinal++) {
            quorum.configure(ordinal, change.target());
        }
        quorum.changeProperties(DEFAULT_ELECTION_TIMEOUTS, Set.of());
        for (int ordinal = 0; ordinal < Math.max(change.fromReplicas(), change.toReplicas()); ordinal++) {
            boolean kept = ordinal < change.toReplicas();
            if (kept && !quorum.isRunning(ordinal)) {
                quorum.restart(ordinal);
            } else if (!kept && quorum.isRunning(ordinal)) {
                quorum.kill(ordinal);
            }
        }
    }

    /**
     * The plan's command on the leader, its {@code -address} mapped to the local journal port. The job master's
     * domain is left out: the local masters run no job master (the Kubernetes end-to-end test covers it).
     */
    private void execOnLeader(LocalAlluxioQuorum quorum, Step.ExecOnLeader step) {
        if (step.argv().contains("JOB_MASTER")) {
            System.out.println("  (no job master runs locally: skipped)");
            return;
        }
        List<String> argv = new ArrayList<>(step.argv());
        int address = argv.indexOf("-address") + 1;
        if (address > 0) {
            String planAddress = argv.get(address);
            Member member = IntStream.range(0, five.replicas()).mapToObj(quorum::member)
                    .filter(candidate -> planAddress.startsWith(candidate.host() + ":")).findFirst().orElseThrow();
            argv.set(address, "localhost:" + quorum.mapping().localPort(member.ordinal(),
                    Integer.parseInt(planAddress.substring(planAddress.lastIndexOf(':') + 1))));
        }
        PodExec.Result result = onLeader.run(quorum, argv).result();
        assertThat(result.exitCode()).as("%s: %s", argv, result).isZero();
    }

    /** Restarts {@code members} one at a time, the leader last, each time waiting for all to answer again. */
    private static void roll(LocalAlluxioQuorum quorum, List<Member> members, int size) {
        int leader = quorum.awaitLeader(ELECTION).leader().orElseThrow().ordinal();
        List<Member> order = new ArrayList<>(members.stream().filter(m -> m.ordinal() != leader).toList());
        members.stream().filter(m -> m.ordinal() == leader).forEach(order::add);
        for (Member member : order) {
            quorum.kill(member.ordinal());
            quorum.restart(member.ordinal());
            quorum.await(status -> status.leader().isPresent() && answering(status) >= size
                    && status.members().stream().anyMatch(answer -> answer.member().equals(member)
                            && answer.role() != Role.UNREACHABLE),
                    size + " answering after restarting " + member.podName(), QUORUM);
        }
    }

    private static long answering(LeaderStatus status) {
        return status.members().stream().filter(answer -> answer.role() != Role.UNREACHABLE).count();
    }

    /** The journal addresses {@code fsadmin journal quorum info} lists, in the plan's names, each AVAILABLE. */
    private Set<String> members(LocalAlluxioQuorum quorum) {
        PodExec.Result info = onLeader.run(quorum, List.of("alluxio", "fsadmin", "journal", "quorum", "info",
                "-domain", "MASTER")).result();
        String table = quorum.mapping().toPlanAddresses(info.stdout());
        System.out.println(table);
        Matcher row = QUORUM_ROW.matcher(table);
        Set<String> members = new TreeSet<>();
        while (row.find()) {
            members.add(row.group(2) + (row.group(1).equals("AVAILABLE") ? "" : " (UNAVAILABLE)"));
        }
        return members;
    }

    private Set<String> journalAddresses(int size) {
        QuorumNames names = AlluxioNames.of(five);
        int port = AlluxioPorts.of(five).journal();
        return IntStream.range(0, size).mapToObj(ordinal -> names.host(ordinal) + ":" + port)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private long files(LocalAlluxioQuorum quorum) {
        PodExec.Result listing = onLeader.run(quorum, List.of("alluxio", "fs", "ls", "/before")).result();
        assertThat(listing.exitCode()).as("listing: %s", listing).isZero();
        return listing.stdout().lines().filter(line -> line.contains("/before/file-")).count();
    }
}
