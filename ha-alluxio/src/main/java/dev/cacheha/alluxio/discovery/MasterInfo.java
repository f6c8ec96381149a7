package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer of {@code alluxio fs masterInfo} (Alluxio 2.9): {@code Current leader master: host/<unresolved>:19998}
 * followed by {@code All masters: [...]}, or {@code Failed to find leader master} when there is none. The address
 * is an rpc address. With no leader it prints {@code Failed to find leader master} and still the list of all
 * masters, and exits 0. With a single rpc address configured Alluxio echoes it whatever that master's role.
 *
 * @param leader the leading master's rpc address; empty when Alluxio found none
 */
record MasterInfo(Optional<HostAndPort> leader) {

    private static final Pattern LEADER = Pattern.compile("Current leader master:\\s*(\\S+)");
    private static final Pattern ALL = Pattern.compile("All masters:\\s*\\[.*]");
    private static final String NO_LEADER = "Failed to find leader master";

    /** Reads the format above; anything else is empty, never a guess. Never throws. */
    static Optional<MasterInfo> parse(String text) {
        HostAndPort leader = null;
        boolean all = false;
        boolean none = false;
        for (String raw : text.split("\\R", -1)) {
            String line = raw.strip();
            Matcher matcher = LEADER.matcher(line);
            if (line.isEmpty()) {
                continue;
            } else if (matcher.matches() && leader == null) {
                Optional<HostAndPort> address = MemberAddress.parse(matcher.group(1));
                if (address.isEmpty()) {
                    return Optional.empty();
                }
                leader = address.get();
            } else if (ALL.matcher(line).matches() && !all) {
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
}
