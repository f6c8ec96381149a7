package dev.cacheha.alluxio.discovery;

import static dev.cacheha.alluxio.discovery.FakeCluster.ok;
import static dev.cacheha.alluxio.discovery.FakeCluster.printed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Outputs of a megabyte built to hurt a backtracking parser (long runs of what a pattern would try again and
 * again) and random ones: every parser reads each in one pass, and discovery answers within its bound. The
 * quadratic parsers this replaced took 1.5 s for 32 kB and 10.5 s for 64 kB; a linear one reads a megabyte in
 * milliseconds, so the bound below keeps a margin of more than 4x over what a loaded machine measures, and
 * still fails any quadratic parser by orders of magnitude. Timings are printed with the prefix {@code [parsers]}.
 */
class HugeOutputsTest {

    private static final int MIB = 1 << 20;
    /**
     * Per megabyte for all four parsers, best of three runs: measured 1-140 ms on a 2-core machine at load 16;
     * a quadratic parser would need minutes.
     */
    private static final Duration PARSE_BOUND = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    @Test
    void everyParserReadsAMegabyteOfAdversarialOutputWithinTheBoundAndFindsNoLeaderInIt() {
        for (Map.Entry<String, String> output : adversarialOutputs().entrySet()) {
            // Given / When each parser reads it (once to load and compile, then the best of three timed)
            boolean understood = namesALeader(output.getValue());
            Duration took = Duration.ofDays(1);
            for (int run = 0; run < 3; run++) {
                long start = System.nanoTime();
                namesALeader(output.getValue());
                Duration once = Duration.ofNanos(System.nanoTime() - start);
                took = once.compareTo(took) < 0 ? once : took;
            }
            System.out.printf("[parsers] %-46s %8d chars: all four parsers %6.2f ms%n", output.getKey(),
                    output.getValue().length(), took.toNanos() / 1e6);

            // Then
            assertThat(took).as(output.getKey()).isLessThan(PARSE_BOUND);
            assertThat(understood).as(output.getKey()).isFalse();
        }
    }

    @Test
    void discoveryWithAMegabyteFromEveryMemberAndEveryCommandAnswersWithinItsBound() {
        // Class loading is not what is measured: one small discovery first
        new FakeCluster().http(0, ok("{}")).discovery(DEADLINE).discover();
        for (Map.Entry<String, String> output : adversarialOutputs().entrySet()) {
            // Given members whose HTTP answers and CLI outputs are a megabyte of it
            FakeCluster cluster = new FakeCluster();
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                cluster.http(ordinal, ok(output.getValue()));
                cluster.exec(ordinal, argv -> printed(0, output.getValue()));
            }

            // When
            long start = System.nanoTime();
            LeaderStatus status = cluster.discovery(DEADLINE).discover();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("[parsers] discovery, %-35s on every member: %6.1f ms%n", output.getKey(),
                    took.toNanos() / 1e6);

            // Then no leader, and within one deadline for HTTP and two for the commands
            assertThat(status.leader()).as(output.getKey()).isEmpty();
            assertThat(status.membersWithRole(Role.LEADER)).as(output.getKey()).isEmpty();
            assertThat(took).as(output.getKey()).isLessThan(DEADLINE.multipliedBy(3));
        }
    }

    /** Whether any parser takes {@code text} for an answer that names a leader or an address. */
    private static boolean namesALeader(String text) {
        boolean quorum = QuorumInfo.parse(text).isPresent();
        boolean master = MasterInfo.parse(text).isPresent();
        WebOverview.Reading reading = WebOverview.read(new MemberProbe.Response(200, text));
        boolean web = reading.role() == Role.LEADER || reading.follows().isPresent();
        boolean address = MemberAddress.parse(text).isPresent();
        return quorum || master || web || address;
    }

    /** Each a megabyte; named for what it attacks. */
    private static Map<String, String> adversarialOutputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("field name of letters and spaces, no colon", fill("Quorum leader ", MIB));
        outputs.put("field name, a megabyte of blanks, then colon", "Quorum leader" + " ".repeat(MIB) + ":");
        outputs.put("leader address a megabyte long", "Quorum leader\t: " + fill("a", MIB));
        outputs.put("header cells padded to a megabyte", "STATE" + " ".repeat(MIB) + "| PRIORITY | SERVER ADDRESS");
        outputs.put("a megabyte of bars", fill("|", MIB));
        outputs.put("a megabyte of empty lines", fill("\n", MIB));
        outputs.put("a megabyte of CRLF lines", fill("AVAILABLE | 0 | a:1\r\n", MIB));
        outputs.put("masterInfo leader a megabyte long", "Current leader master: " + fill("a.", MIB));
        outputs.put("masterInfo list never closed", "Current leader master: a:1\nAll masters: [" + fill("a:1, ", MIB));
        outputs.put("role key repeated without a value", fill("\"masterRole\"", MIB));
        outputs.put("role key, a megabyte of blanks", "{\"masterRole\"" + " ".repeat(MIB) + ": \"LEADER\"}");
        outputs.put("role value never closed", "{\"masterRole\":\"" + fill("LEADER", MIB));
        outputs.put("leaderId never closed", "{\"masterRole\":\"FOLLOWER\",\"leaderId\":\"" + fill("a", MIB));
        outputs.put("address of digits and dots", fill("1.", MIB) + ":19200");
        outputs.put("random printable bytes", random(MIB));
        return outputs;
    }

    private static String fill(String unit, int length) {
        StringBuilder text = new StringBuilder(length + unit.length());
        while (text.length() < length) {
            text.append(unit);
        }
        return text.toString();
    }

    private static String random(int length) {
        Random random = new Random(14);
        String alphabet = "ab:|_ \t\n\"{}[]/.-0123456789LEADERFOLLOWER";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
