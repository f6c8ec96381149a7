package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Finding the leader against scripted members: a member is leader only by its own account, a silent member
 * is unreachable within one deadline, and garbage or failed answers never make a leader.
 */
public abstract class LeaderDiscoveryRequirements extends ProviderRequirements {

    /** The deadline of one probe or command in the kit's discoveries. */
    protected static final Duration DEADLINE = Duration.ofSeconds(1);

    /** How long a discovery may take when a member hangs: the deadline and half again for the work around it. */
    protected static final Duration HUNG_MEMBER_BOUND = DEADLINE.multipliedBy(3).dividedBy(2);

    /** How long any other discovery may take before the kit gives up on it. */
    private static final Duration DISCOVERY_BOUND = DEADLINE.multipliedBy(5);

    /** The size of each adversarial answer: a megabyte, which an exec or HTTP port may well hand over. */
    private static final int HUGE = 1 << 20;

    /**
     * How long a discovery may take when every member answers a megabyte at once: its deadline, and as much
     * again for reading three megabytes in a linear pass, beside busy cores. A backtracking reading takes
     * minutes to hours.
     */
    private static final Duration HUGE_OUTPUT_BOUND = DEADLINE.multipliedBy(2);

    /** A group that checks {@code subject}. */
    protected LeaderDiscoveryRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("names the one member that leads, and calls the quorum healthy when every member answers")
    void namesTheOneMemberThatLeads() {
        HaPlan plan = provider().plan(spec(3));

        LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
            answerAs(cluster, Role.FOLLOWER, Role.LEADER, Role.FOLLOWER);
        });

        assertThat(status.health()).isEqualTo(Health.HEALTHY);
        assertThat(status.leader()).contains(plan.members().get(1));
        assertThat(status.members()).extracting(MemberAnswer::member).containsExactlyElementsOf(plan.members());
        assertThat(status.members()).extracting(MemberAnswer::role)
                .containsExactly(Role.FOLLOWER, Role.LEADER, Role.FOLLOWER);
    }

    @Test
    @DisplayName("names no leader and reports no quorum when no member leads")
    void namesNoLeaderWhenNoMemberLeads() {
        HaPlan plan = provider().plan(spec(3));

        LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
            answerAs(cluster, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER);
        });

        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
    }

    @Test
    @DisplayName("still names the leader, degraded, when a minority is down")
    void stillNamesTheLeaderWhenAMinorityIsDown() {
        HaPlan plan = provider().plan(spec(3));

        LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
            answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
            cluster.down(cluster.member(2));
        });

        assertThat(status.health()).isEqualTo(Health.DEGRADED);
        assertThat(status.leader()).contains(plan.members().get(0));
        assertThat(roleOf(status, 2)).isEqualTo(Role.UNREACHABLE);
    }

    @Test
    @DisplayName("reports no quorum and names no leader when a majority is down")
    void reportsNoQuorumWhenAMajorityIsDown() {
        HaPlan plan = provider().plan(spec(5));

        LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
            answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER, Role.FOLLOWER);
            IntStream.of(2, 3, 4).forEach(ordinal -> cluster.down(cluster.member(ordinal)));
        });

        assertThat(status.health()).isEqualTo(Health.NO_QUORUM);
        assertThat(status.leader()).isEmpty();
        assertThat(status.membersWithRole(Role.UNREACHABLE)).containsExactlyElementsOf(plan.members().subList(2, 5));
    }

    @Test
    @DisplayName("answers within one and a half deadlines when a member hangs, and reports it unreachable")
    void answersWithinTheDeadlineWhenAMemberHangs() {
        HaPlan plan = provider().plan(spec(3));
        // The provider's first call pays for class loading; that is not the hung member's delay. So a first
        // discovery warms up, a second one is timed, and four times its cost is the margin on a slow machine.
        discover(plan, DISCOVERY_BOUND, cluster -> answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER));
        long unhinderedStart = System.nanoTime();
        discover(plan, DISCOVERY_BOUND, cluster -> answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER));
        Duration fourUnhindered = Duration.ofNanos(System.nanoTime() - unhinderedStart).multipliedBy(4);
        Duration bound = DEADLINE.plus(fourUnhindered).compareTo(HUNG_MEMBER_BOUND) > 0
                ? DEADLINE.plus(fourUnhindered) : HUNG_MEMBER_BOUND;

        LeaderStatus status = discover(plan, bound, cluster -> {
            answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
            cluster.hang(cluster.member(2));
        });

        assertThat(roleOf(status, 2)).isEqualTo(Role.UNREACHABLE);
        assertThat(status.leader()).contains(plan.members().get(0));
        assertThat(status.health()).isEqualTo(Health.DEGRADED);
    }

    @TestFactory
    @DisplayName("never takes garbage for a leader, and never throws on it")
    Stream<DynamicTest> neverTakesGarbageForALeader() {
        return garbage().entrySet().stream().map(garbage -> dynamicTest(garbage.getKey(), () -> {
            HaPlan plan = provider().plan(spec(3));

            LeaderStatus followersGarbled = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                cluster.garble(cluster.member(1), garbage.getValue());
                cluster.garble(cluster.member(2), garbage.getValue());
            });
            LeaderStatus allGarbled = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                cluster.members().forEach(member -> cluster.garble(member, garbage.getValue()));
            });

            assertThat(followersGarbled.membersWithRole(Role.LEADER)).as("leaders among garbled followers")
                    .containsExactly(plan.members().get(0));
            assertThat(followersGarbled.leader()).as("leader among garbled followers")
                    .isIn(Optional.empty(), Optional.of(plan.members().get(0)));
            assertThat(allGarbled.membersWithRole(Role.LEADER)).as("leaders when every member is garbled").isEmpty();
            assertThat(allGarbled.leader()).as("leader when every member is garbled").isEmpty();
        }));
    }

    @TestFactory
    @DisplayName("reads 1 MiB of adversarial output from every member within its deadline plus a small margin")
    Stream<DynamicTest> readsHugeAdversarialOutputWithinItsDeadline() {
        HaPlan plan = provider().plan(spec(3));
        // The first discovery pays for class loading, which is not the reading's cost.
        discover(plan, DISCOVERY_BOUND, cluster -> answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER));
        return hugeOutputs().entrySet().stream().map(huge -> dynamicTest(huge.getKey(), () -> {
            // Given every member answering as a healthy member would, its answers turned into a megabyte each
            // When the provider discovers, Then it answers (any health) within the bound, without throwing
            LeaderStatus status = discover(plan, HUGE_OUTPUT_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                cluster.members().forEach(member -> {
                    cluster.probe().transform(member, reply -> reply.map(response ->
                            new MemberProbe.Response(response.status(), huge.getValue().apply(response.body()))));
                    cluster.exec().transform(member, reply -> reply.map(result ->
                            new PodExec.Result(result.exitCode(), huge.getValue().apply(result.stdout()), "")));
                });
            });
            assertThat(status.members()).extracting(MemberAnswer::member).containsExactlyElementsOf(plan.members());
        }));
    }

    @Test
    @DisplayName("never takes a failed answer (HTTP 500, non-zero exit) for a leader, whatever it says")
    void neverTakesAFailedAnswerForALeader() {
        HaPlan plan = provider().plan(spec(3));

        LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
            answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.LEADER);
            cluster.fail(cluster.member(2));
        });

        assertThat(roleOf(status, 2)).isNotEqualTo(Role.LEADER);
        assertThat(status.leader()).contains(plan.members().get(0));
    }

    @Test
    @DisplayName("names no leader when two members claim to lead")
    void namesNoLeaderWhenTwoMembersClaimToLead() {
        HaPlan plan = provider().plan(spec(3));

        LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
            answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.LEADER);
        });

        assertThat(status.health()).isEqualTo(Health.UNKNOWN);
        assertThat(status.leader()).isEmpty();
        assertThat(status.membersWithRole(Role.LEADER))
                .containsExactly(plan.members().get(0), plan.members().get(2));
    }

    @Test
    @DisplayName("never names a silent member leader, though the followers still name it")
    void neverNamesASilentMemberLeaderThoughTheFollowersStillNameIt() {
        HaPlan plan = provider().plan(spec(3));
        Map<String, Consumer<ScriptedCluster>> silences = new LinkedHashMap<>();
        silences.put("down", cluster -> cluster.down(cluster.member(0)));
        silences.put("hung", cluster -> cluster.hang(cluster.member(0)));

        silences.forEach((silence, silenceTheLeader) -> {
            LeaderStatus status = discover(plan, DISCOVERY_BOUND, cluster -> {
                answerAs(cluster, Role.LEADER, Role.FOLLOWER, Role.FOLLOWER);
                silenceTheLeader.accept(cluster);
            });

            // Followers keep naming a dead leader until their election timers fire: their word proves nothing.
            assertThat(status.leader()).as("leader when the leader is %s: %s", silence, status).isEmpty();
            assertThat(status.membersWithRole(Role.LEADER)).as("members said to lead when the leader is %s",
                    silence).isEmpty();
            assertThat(status.health()).as("health when the leader is %s", silence)
                    .isIn(Health.NO_QUORUM, Health.UNKNOWN);
        });
    }

    /**
     * Scripts each member in its role; when exactly one member leads, its followers name it, as the followers
     * of a live leader do.
     */
    private void answerAs(ScriptedCluster cluster, Role... roles) {
        List<Member> leaders = cluster.members().stream().filter(member -> roles[member.ordinal()] == Role.LEADER)
                .toList();
        EngineImpersonation impersonation = subject().impersonation();
        for (Member member : cluster.members()) {
            if (roles[member.ordinal()] == Role.FOLLOWER && leaders.size() == 1) {
                impersonation.answerAsFollowerOf(member, leaders.get(0), cluster);
            } else {
                impersonation.answerAs(member, roles[member.ordinal()], cluster);
            }
        }
    }

    /**
     * Runs one discovery against a cluster scripted by {@code script} and fails unless it answers within
     * {@code bound}. Whatever happens, the cluster is closed (so a hanging request is released) and the
     * calling thread is gone before this returns.
     */
    private LeaderStatus discover(HaPlan plan, Duration bound, Consumer<ScriptedCluster> script) {
        HaSpec spec = spec(plan.members().size());
        ExecutorService caller = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "testkit-discovery");
            thread.setDaemon(true);
            return thread;
        });
        ScriptedCluster cluster = new ScriptedCluster(plan.members());
        try {
            script.accept(cluster);
            Future<LeaderStatus> answer = caller.submit(
                    () -> provider().leaderDiscovery(spec, cluster.access(DEADLINE)).discover());
            return answer.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException tooSlow) {
            throw new AssertionError("discovery gave no answer within " + bound + " (per-call deadline "
                    + DEADLINE + ")", tooSlow);
        } catch (ExecutionException thrown) {
            throw new AssertionError("discovery threw instead of answering: " + thrown.getCause(), thrown.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for discovery", interrupted);
        } finally {
            cluster.close();
            caller.shutdownNow();
            awaitTermination(caller, bound);
        }
    }

    private static void awaitTermination(ExecutorService caller, Duration bound) {
        try {
            if (!caller.awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("discovery still runs after its requests were released");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Role roleOf(LeaderStatus status, int ordinal) {
        return status.members().stream()
                .filter(answer -> answer.member().ordinal() == ordinal)
                .map(MemberAnswer::role)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no answer for member " + ordinal + ": " + status));
    }

    /**
     * A megabyte made from a member's real answer, by name: runs of blanks and line breaks (which a pattern like
     * {@code ^\s*role\s*:} backtracks over), one long line, the answer's first half over and over (partial
     * matches), and the real answer between runs of line breaks and blanks.
     */
    private static Map<String, UnaryOperator<String>> hugeOutputs() {
        Map<String, UnaryOperator<String>> outputs = new LinkedHashMap<>();
        outputs.put("1 MiB of line breaks", answer -> "\n".repeat(HUGE));
        outputs.put("1 MiB of blanks", answer -> " ".repeat(HUGE));
        outputs.put("1 MiB of blanks, tabs and line breaks", answer -> " \t\r\n".repeat(HUGE / 4));
        outputs.put("one line of 1 MiB", answer -> "x".repeat(HUGE));
        outputs.put("the answer's first half, repeated to 1 MiB", answer -> {
            String half = answer.isEmpty() ? "?" : answer.substring(0, (answer.length() + 1) / 2);
            return half.repeat(HUGE / half.length());
        });
        outputs.put("the answer between 512 KiB of line breaks and 512 KiB of blanks",
                answer -> "\n".repeat(HUGE / 2) + answer + " ".repeat(HUGE / 2));
        return outputs;
    }

    /** Answers no engine gives for its role, by name; random bytes come from fixed seeds, so runs repeat. */
    private static Map<String, String> garbage() {
        Map<String, String> garbage = new LinkedHashMap<>();
        garbage.put("an empty answer", "");
        garbage.put("an HTML error page", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        garbage.put("truncated JSON", "{\"role\": ");
        garbage.put("control characters", "\u0000\u0001\u001b[2J\r\n\t\u2028");
        garbage.put("a long line", "x".repeat(1 << 16));
        for (long seed : new long[] {1, 2, 3}) {
            byte[] bytes = new byte[4096];
            new Random(seed).nextBytes(bytes);
            garbage.put("random bytes (seed " + seed + ")", new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return garbage;
    }
}
