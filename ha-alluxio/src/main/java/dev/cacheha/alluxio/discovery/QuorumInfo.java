package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@code alluxio fsadmin journal quorum info -domain MASTER} (Alluxio 2.9):
 * <pre>
 * Journal domain	: MASTER
 * Quorum size	: 3
 * Quorum leader	: host-0:19200
 *
 * STATE       | PRIORITY | SERVER ADDRESS
 * AVAILABLE   | 0        | host-0:19200
 * UNAVAILABLE | 0        | host-1:19200
 * </pre>
 * Addresses are embedded-journal addresses, not rpc addresses.
 *
 * @param leader the quorum leader's journal address
 * @param servers every row of the table, in printed order
 */
record QuorumInfo(HostAndPort leader, List<Server> servers) {

    private static final int MAX_PRIORITY_DIGITS = 9;

    QuorumInfo {
        servers = List.copyOf(servers);
    }

    /**
     * One row of the table.
     *
     * @param available whether the row says {@code AVAILABLE} (the leader hears from it)
     * @param address its journal address
     */
    record Server(boolean available, HostAndPort address) {}

    /**
     * Reads the exact format above; anything else (another version, an error, a truncated answer, more than
     * {@link CommandLines#MAX_LINES} lines or a line beyond {@link CommandLines#MAX_LINE_CHARS}) is empty,
     * never a guess. Never throws; one pass over at most the capped text.
     */
    static Optional<QuorumInfo> parse(String text) {
        Optional<List<String>> read = CommandLines.of(text);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = read.get();
        HostAndPort leader = null;
        int line = 0;
        for (; line < lines.size() && !header(lines.get(line)); line++) {
            String current = lines.get(line).strip();
            if (current.isEmpty()) {
                continue;
            }
            int colon = current.indexOf(':');
            String name = colon < 0 ? "" : current.substring(0, colon).strip();
            if (!fieldName(name)) {
                return Optional.empty();
            }
            String value = current.substring(colon + 1).strip();
            if (name.equals("Journal domain") && !value.equals("MASTER")) {
                return Optional.empty();
            }
            if (name.equals("Quorum leader")) {
                Optional<HostAndPort> address = MemberAddress.parse(value);
                if (address.isEmpty() || leader != null) {
                    return Optional.empty();
                }
                leader = address.get();
            }
        }
        if (leader == null || line >= lines.size()) {
            return Optional.empty();
        }
        List<Server> servers = new ArrayList<>();
        for (line++; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) {
                continue;
            }
            Optional<Server> server = row(lines.get(line));
            if (server.isEmpty()
                    || servers.stream().anyMatch(s -> MemberAddress.same(s.address(), server.get().address()))) {
                return Optional.empty();
            }
            servers.add(server.get());
        }
        return servers.isEmpty() ? Optional.empty() : Optional.of(new QuorumInfo(leader, servers));
    }

    /** {@code STATE | PRIORITY | SERVER ADDRESS}, with any spacing around the bars. */
    private static boolean header(String line) {
        List<String> cells = cells(line);
        return cells.size() == 3 && cells.get(0).equals("STATE") && cells.get(1).equals("PRIORITY")
                && cells.get(2).equals("SERVER ADDRESS");
    }

    /** A letter, then letters and spaces: {@code Journal domain}, {@code Quorum size}, {@code Quorum leader}. */
    private static boolean fieldName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c < 128 && (Character.isLetter(c) || c == ' '));
    }

    private static Optional<Server> row(String line) {
        List<String> cells = cells(line);
        if (cells.size() != 3 || !priority(cells.get(1))) {
            return Optional.empty();
        }
        String state = cells.get(0);
        if (!state.equals("AVAILABLE") && !state.equals("UNAVAILABLE")) {
            return Optional.empty();
        }
        return MemberAddress.parse(cells.get(2)).map(address -> new Server(state.equals("AVAILABLE"), address));
    }

    /** The cells between {@code |}, stripped; one pass. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        int start = 0;
        for (int bar = line.indexOf('|'); bar >= 0; bar = line.indexOf('|', start)) {
            cells.add(line.substring(start, bar).strip());
            start = bar + 1;
        }
        cells.add(line.substring(start).strip());
        return cells;
    }

    /** An optional minus and one to nine digits. */
    private static boolean priority(String text) {
        String digits = text.startsWith("-") ? text.substring(1) : text;
        return !digits.isEmpty() && digits.length() <= MAX_PRIORITY_DIGITS
                && digits.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
