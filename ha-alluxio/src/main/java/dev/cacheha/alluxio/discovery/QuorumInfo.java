package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern FIELD = Pattern.compile("([A-Za-z][A-Za-z ]*?)\\s*:\\s*(.*)");
    private static final Pattern HEADER = Pattern.compile("STATE\\s*\\|\\s*PRIORITY\\s*\\|\\s*SERVER ADDRESS");
    private static final Pattern PRIORITY = Pattern.compile("-?\\d{1,9}");

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
     * Reads the exact format above; anything else (another version, an error, a truncated answer) is empty,
     * never a guess. Never throws.
     */
    static Optional<QuorumInfo> parse(String text) {
        String[] lines = text.split("\\R", -1);
        HostAndPort leader = null;
        int line = 0;
        for (; line < lines.length && !HEADER.matcher(lines[line].strip()).matches(); line++) {
            String current = lines[line].strip();
            if (current.isEmpty()) {
                continue;
            }
            Matcher field = FIELD.matcher(current);
            if (!field.matches()) {
                return Optional.empty();
            }
            String name = field.group(1);
            String value = field.group(2).strip();
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
        if (leader == null || line >= lines.length) {
            return Optional.empty();
        }
        List<Server> servers = new ArrayList<>();
        for (line++; line < lines.length; line++) {
            if (lines[line].isBlank()) {
                continue;
            }
            Optional<Server> server = row(lines[line]);
            if (server.isEmpty() || servers.stream().anyMatch(s -> MemberAddress.same(s.address(), server.get().address()))) {
                return Optional.empty();
            }
            servers.add(server.get());
        }
        return servers.isEmpty() ? Optional.empty() : Optional.of(new QuorumInfo(leader, servers));
    }

    private static Optional<Server> row(String line) {
        String[] cells = line.split("\\|", -1);
        if (cells.length != 3 || !PRIORITY.matcher(cells[1].strip()).matches()) {
            return Optional.empty();
        }
        String state = cells[0].strip();
        if (!state.equals("AVAILABLE") && !state.equals("UNAVAILABLE")) {
            return Optional.empty();
        }
        return MemberAddress.parse(cells[2]).map(address -> new Server(state.equals("AVAILABLE"), address));
    }
}
