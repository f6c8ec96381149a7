package dev.cacheha.examples.cli.leader;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.Printable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * A {@link LeaderStatus} for people (a leader line and a member table) or for programs (JSON). Members are
 * shown by the address the user knows them by, not by pod name.
 */
public final class LeaderReport {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** Member details are text from the network: cut, and stripped of control characters, before printing. */
    private static final int MAX_DETAIL = 100;

    private final String engine;
    private final LeaderStatus status;
    private final IntFunction<String> addressOfOrdinal;

    /**
     * @param engine the engine that was asked
     * @param status what discovery found
     * @param addressOfOrdinal the address to show for each member ordinal
     */
    public LeaderReport(String engine, LeaderStatus status, IntFunction<String> addressOfOrdinal) {
        this.engine = requireNonNull(engine, "engine");
        this.status = requireNonNull(status, "status");
        this.addressOfOrdinal = requireNonNull(addressOfOrdinal, "addressOfOrdinal");
    }

    /** The line naming the leader (or its absence), the quorum's health and how long discovery took. */
    public String leaderLine() {
        String leader = status.leader()
                .map(member -> "member " + member.ordinal() + " (" + addressOfOrdinal.apply(member.ordinal()) + ")")
                .orElse("none");
        return "leader: " + leader + "    health: " + status.health() + "    method: " + status.method()
                + "    took " + millis(status.elapsed());
    }

    /** The member table, one row per member by ordinal, with a header row; columns are aligned. */
    public List<String> memberTable() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MEMBER", "ADDRESS", "ROLE", "LATENCY", "METHOD", "DETAIL"});
        for (MemberAnswer answer : status.members()) {
            rows.add(new String[] {
                Integer.toString(answer.member().ordinal()),
                addressOfOrdinal.apply(answer.member().ordinal()),
                answer.role().name(),
                millis(answer.latency()),
                answer.method(),
                printable(answer.detail())
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** The leader line and the member table, as printed by {@code cache-ha leader}. */
    public String text() {
        return leaderLine() + "\n" + String.join("\n", memberTable()) + "\n";
    }

    /** The status as one JSON object: engine, health, leader (or null), method, elapsedMillis and members. */
    public String json() {
        List<JsonMember> members = status.members().stream()
                .map(answer -> new JsonMember(answer.member().ordinal(),
                        addressOfOrdinal.apply(answer.member().ordinal()), answer.role().name(),
                        toMillis(answer.latency()), answer.method(), answer.detail()))
                .toList();
        JsonMember leader = status.leader()
                .map(Member::ordinal)
                .flatMap(ordinal -> members.stream().filter(member -> member.ordinal() == ordinal).findFirst())
                .orElse(null);
        try {
            return JSON.writeValueAsString(new JsonStatus(engine, status.health().name(), leader, status.method(),
                    toMillis(status.elapsed()), members)) + "\n";
        } catch (JsonProcessingException impossible) {
            // Records of strings and numbers always serialize; Jackson 2 declares the exception all the same.
            throw new UncheckedIOException(impossible);
        }
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", toMillis(duration));
    }

    private static double toMillis(Duration duration) {
        return Math.round(duration.toNanos() / 100_000.0) / 10.0;
    }

    private static String printable(String detail) {
        return Printable.excerpt(detail, MAX_DETAIL);
    }

    /** A member in the JSON form. */
    private record JsonMember(
            int ordinal, String address, String role, double latencyMillis, String method, String detail) {}

    /** The JSON form. */
    private record JsonStatus(
            String engine, String health, JsonMember leader, String method, double elapsedMillis,
            List<JsonMember> members) {}
}
