package dev.cacheha.toolkit.discovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.Printable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Discovery for an engine whose command-line tool, run in a master's container, states that master's own raft
 * role: every member is asked at once with {@link MemberFanOut}, and a line of the output matching
 * {@code roleLine} names the role in its first group ({@code leader} or {@code follower}, any case). Anything
 * else (no such line, lines that contradict each other, a non-zero exit) is {@link Role#UNKNOWN}: a member that
 * does not say clearly is never taken for a leader.
 *
 * @param container the master container the command runs in
 * @param command the command and its arguments, run without a shell
 * @param roleLine matches a line that states the role; group 1 is {@code leader} or {@code follower}
 */
public record ExecRoleDiscovery(String container, List<String> command, Pattern roleLine) {

    /** Enough of an unrecognised output to tell what it was. */
    private static final int MAX_EXCERPT = 120;

    /** Copies the command. */
    public ExecRoleDiscovery {
        requireNonNull(container, "container");
        command = List.copyOf(command);
        requireNonNull(roleLine, "roleLine");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the role command is empty");
        }
    }

    /** A discovery of {@code members} through {@code access}'s pod exec, each within the access deadline. */
    public LeaderDiscovery of(List<Member> members, ClusterAccess access) {
        String method = "exec " + String.join(" ", command);
        return () -> new MemberFanOut(members, access.deadline()).discover(method,
                member -> access.exec().exec(member, container, command, access.deadline()),
                result -> {
                    Role role = role(result);
                    return MemberFanOut.Reading.of(role, role != Role.UNKNOWN ? ""
                            : "exit " + result.exitCode() + ": " + Printable.excerpt(result.stdout(), MAX_EXCERPT));
                });
    }

    /** The role a command's result states, or UNKNOWN unless it ran cleanly and states exactly one. */
    public Role role(PodExec.Result result) {
        if (result.exitCode() != 0) {
            return Role.UNKNOWN;
        }
        Set<String> stated = roleLine.matcher(result.stdout()).results()
                .map(match -> match.group(1).toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return stated.size() == 1 ? Role.valueOf(stated.iterator().next()) : Role.UNKNOWN;
    }
}
