package dev.cacheha.examples.jindo;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.Printable;
import dev.cacheha.toolkit.discovery.MemberFanOut;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Asks every Jindo master for its raft role with the toolkit's {@link MemberFanOut}.
 *
 * <p><b>Assumption, not verified against Jindo binaries:</b> {@value #COMMAND_TEXT}, run in the master
 * container, exits 0 and prints one line {@code Role: LEADER} or {@code Role: FOLLOWER} (any case, spaces
 * around the colon allowed) for the master it runs on. Anything else (no such line, two contradicting lines,
 * a non-zero exit) is {@link Role#UNKNOWN}: a member that does not say clearly is never taken for a leader.
 */
final class JindoLeaderDiscovery {

    static final String COMMAND_TEXT = "jindo admin -report";
    static final List<String> COMMAND = List.of(COMMAND_TEXT.split(" "));
    static final Pattern ROLE_LINE = Pattern.compile("^\\s*role\\s*:\\s*(leader|follower)\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private JindoLeaderDiscovery() {}

    /** A discovery of {@code members} through {@code access}'s pod exec, each within the access deadline. */
    static LeaderDiscovery of(List<Member> members, ClusterAccess access) {
        return () -> new MemberFanOut(members, access.deadline()).discover("exec " + COMMAND_TEXT,
                member -> access.exec().exec(member, JindoHighAvailabilityProvider.CONTAINER, COMMAND,
                        access.deadline()),
                result -> {
                    Role role = role(result);
                    return MemberFanOut.Reading.of(role, role != Role.UNKNOWN ? ""
                            : "exit " + result.exitCode() + ": " + Printable.excerpt(result.stdout(), 120));
                });
    }

    /** The role a command's result states, or UNKNOWN unless it ran cleanly and states exactly one. */
    static Role role(PodExec.Result result) {
        if (result.exitCode() != 0) {
            return Role.UNKNOWN;
        }
        Set<String> stated = ROLE_LINE.matcher(result.stdout()).results()
                .map(match -> match.group(1).toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return stated.size() == 1 ? Role.valueOf(stated.iterator().next()) : Role.UNKNOWN;
    }
}
