package dev.cacheha.alluxio.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.local.FaultyMember.Behaviour;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The provider's discovery through the launcher's real HTTP probe ({@link LoopbackProbe}) against loopback
 * members that misbehave below and above HTTP. Whatever a member does, discovery never names a member that
 * did not cleanly answer LEADER, and returns within the probe deadline plus scheduling slack.
 *
 * <p>Latencies are printed with the prefix {@code [faults]} for docs/reliability.md.
 */
class DiscoveryUnderFaultsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /**
     * One deadline for the parallel HTTP round, and the exec fallback fails at once here ({@link
     * PodExec#unavailable()}); the rest is slack for a loaded 2-core machine.
     */
    private static final Duration BOUND = DEADLINE.plusSeconds(1);

    private static final Set<Behaviour> FAULTS = EnumSet.complementOf(EnumSet.of(Behaviour.LEADER, Behaviour.FOLLOWER));

    private final HaSpec spec = HaSpec.builder("demo", "cache").replicas(3).build();
    private final HaPlan plan = new AlluxioHighAvailabilityProvider().plan(spec);
    private final LoopbackMapping mapping = LoopbackMapping.withFreePorts(spec);

    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"LEADER", "FOLLOWER"}, mode = EnumSource.Mode.EXCLUDE)
    void aFaultyThirdMemberLeavesTheRealLeaderNamedWithinTheBound(Behaviour fault) throws IOException {
        // Given a leader, a follower and a third member with the fault
        // When discovery asks all three through the real probe
        Discovered discovered = discover(Behaviour.LEADER, Behaviour.FOLLOWER, fault);

        // Then the real leader is named, the faulty member is not a LEADER, and the bound held
        assertThat(discovered.status().leader()).contains(plan.members().get(0));
        assertThat(discovered.status().health()).isEqualTo(Health.DEGRADED);
        assertThat(roleOf(discovered.status(), 2)).isIn(Role.UNREACHABLE, Role.UNKNOWN);
        assertThat(discovered.status().elapsed()).isLessThan(BOUND);
        assertThat(discovered.wallClock()).isLessThan(BOUND);
    }

    @ParameterizedTest
    @EnumSource(value = Behaviour.class, names = {"LEADER", "FOLLOWER"}, mode = EnumSource.Mode.EXCLUDE)
    void aFaultyMemberClaimingLeaderIsNeverNamedBesideTwoFollowers(Behaviour fault) throws IOException {
        // Given two followers and a faulty member whose bytes, wherever it sends any, claim LEADER
        // When discovery asks all three through the real probe
        Discovered discovered = discover(Behaviour.FOLLOWER, Behaviour.FOLLOWER, fault);
        log("%-30s beside two followers: %-9s %4d ms (%s: %s)", fault, discovered.status().health(),
                discovered.wallClock().toMillis(), roleOf(discovered.status(), 2),
                discovered.status().members().get(2).detail());

        // Then no leader is named: the quorum has none that answered cleanly
        assertThat(discovered.status().leader()).isEmpty();
        assertThat(discovered.status().membersWithRole(Role.LEADER)).isEmpty();
        assertThat(discovered.status().health()).isEqualTo(Health.NO_QUORUM);
        assertThat(discovered.wallClock()).isLessThan(BOUND);
    }

    @Test
    void aHugeBodyIsCutAtTheLimitAndNotReadToItsEnd() throws IOException {
        // Given a member that promises a 64 MiB body with its LEADER claim after the first MiB
        Discovered discovered;
        long written;
        try (Members members = new Members(Behaviour.FOLLOWER, Behaviour.FOLLOWER,
                Behaviour.HUGE_WITH_CLAIM_BEYOND_LIMIT)) {
            // When discovery reads it through the real probe
            discovered = discover();
            written = members.get(2).bytesWritten();
        }
        log("huge body: the member got %d of %d bytes out before the probe stopped reading", written,
                FaultyMember.HUGE_LENGTH);

        // Then the claim was never read, and the member could not push the whole body
        assertThat(roleOf(discovered.status(), 2)).isEqualTo(Role.UNKNOWN);
        assertThat(discovered.status().members().get(2).detail()).startsWith("no masterRole in");
        assertThat(written).isLessThan(FaultyMember.HUGE_LENGTH / 4);
    }

    @Test
    void threeDifferentlyFaultyMembersGiveNoLeaderWithinTheBound() throws IOException {
        // Given three members that reset, stay silent and drip a LEADER claim
        // When discovery asks them through the real probe
        Discovered discovered = discover(Behaviour.RESET, Behaviour.SILENT, Behaviour.DRIP_CLAIMING_LEADER);
        log("reset + silent + drip: %s in %d ms", discovered.status().health(), discovered.wallClock().toMillis());

        // Then there is no leader and no quorum, and the bound held
        assertThat(discovered.status().leader()).isEmpty();
        assertThat(discovered.status().membersWithRole(Role.UNREACHABLE)).hasSize(3);
        assertThat(discovered.status().health()).isEqualTo(Health.NO_QUORUM);
        assertThat(discovered.wallClock()).isLessThan(BOUND);
    }

    @Test
    void everyFaultIsCoveredBelowAndAboveHttp() {
        // Given the faults the tests above run
        // Then they include resets, 500s, truncation, huge and slow bodies and silence
        assertThat(FAULTS).contains(Behaviour.RESET, Behaviour.HTTP_500_CLAIMING_LEADER,
                Behaviour.TRUNCATED_CLAIMING_LEADER, Behaviour.HUGE_WITH_CLAIM_BEYOND_LIMIT,
                Behaviour.SLOW_CLAIMING_LEADER, Behaviour.DRIP_CLAIMING_LEADER, Behaviour.SILENT);
    }

    private Discovered discover(Behaviour... behaviours) throws IOException {
        try (Members members = new Members(behaviours)) {
            return discover();
        }
    }

    private Discovered discover() {
        ClusterAccess access = new ClusterAccess(new LoopbackProbe(plan.members(), mapping), PodExec.unavailable(),
                DEADLINE);
        long start = System.nanoTime();
        LeaderStatus status = new AlluxioHighAvailabilityProvider().leaderDiscovery(spec, access).discover();
        return new Discovered(status, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Role roleOf(LeaderStatus status, int ordinal) {
        return status.members().get(ordinal).role();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[faults] " + format + "%n", args);
    }

    /** A status and the wall-clock time the call took, which bounds what the status says of itself. */
    private record Discovered(LeaderStatus status, Duration wallClock) {}

    /** One {@link FaultyMember} per plan member, on that member's mapped web port. */
    private final class Members implements AutoCloseable {
        private final List<FaultyMember> started = new ArrayList<>();

        Members(Behaviour... behaviours) throws IOException {
            List<Member> planMembers = plan.members();
            assertThat(behaviours).hasSameSizeAs(planMembers);
            try {
                for (Member member : planMembers) {
                    started.add(new FaultyMember(mapping.localPorts(member.ordinal()).web(),
                            behaviours[member.ordinal()]));
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        FaultyMember get(int ordinal) {
            return started.get(ordinal);
        }

        @Override
        public void close() throws IOException {
            for (FaultyMember member : started) {
                member.close();
            }
        }
    }
}
