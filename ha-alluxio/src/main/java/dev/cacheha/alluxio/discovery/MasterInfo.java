package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@code alluxio fs masterInfo} (Alluxio 2.9): {@code Current leader master: host/<unresolved>:19998}
 * followed by {@code All masters: [...]}, or {@code Failed to find leader master} when there is none. The address
 * is an rpc address. With no leader it prints {@code Failed to find leader master} and still the list of all
 * masters, and exits 0. With a single rpc address configured Alluxio echoes it whatever that master's role.
 *
 * @param leader the leading master's rpc address; empty when Alluxio found none
 */
record MasterInfo(Optional<HostAndPort> leader) {

    private static final String LEADER = "Current leader master:";
    private static final String ALL = "All masters:";
    private static final String NO_LEADER = "Failed to find leader master";

    /**
     * Reads the format above; anything else (or more than {@link CommandLines#MAX_LINES} lines, or a line beyond
     * {@link CommandLines#MAX_LINE_CHARS}) is empty, never a guess. Never throws; one pass over the capped text.
     */
    static Optional<MasterInfo> parse(String text) {
        Optional<List<String>> lines = CommandLines.of(text);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        HostAndPort leader = null;
        boolean all = false;
        boolean none = false;
        for (String raw : lines.get()) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            } else if (line.startsWith(LEADER) && leader == null) {
                String address = line.substring(LEADER.length()).strip();
                Optional<HostAndPort> parsed = address.chars().anyMatch(Character::isWhitespace)
                        ? Optional.empty()
                        : MemberAddress.parse(address);
                if (parsed.isEmpty()) {
                    return Optional.empty();
                }
                leader = parsed.get();
            } else if (line.startsWith(ALL) && !all && bracketed(line.substring(ALL.length()).strip())) {
                all = true;
            } else if (line.startsWith(NO_LEADER)) {
                none = true;
            } else {
                return Optional.empty();
            }
        }
        if (none && leader == null) {
            return Optional.of(new MasterInfo(Optional.empty()));
        }
        return leader != null && all && !none ? Optional.of(new MasterInfo(Optional.of(leader))) : Optional.empty();
    }

    private static boolean bracketed(String text) {
        return text.startsWith("[") && text.endsWith("]");
    }
}
