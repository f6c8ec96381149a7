package dev.cacheha.toolkit.discovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.Printable;
import java.util.List;

/**
 * Discovery for an engine whose command-line tool, run in a master's container, states that master's own raft
 * role: every member is asked at once with {@link MemberFanOut}, and a line {@code <roleField>: <role>} of the
 * output names the role ({@code leader} or {@code follower}; field and role in any case, blanks around each part
 * ignored). Anything else (no such line, lines that contradict each other, a non-zero exit) is
 * {@link Role#UNKNOWN}: a member that does not say clearly is never taken for a leader.
 *
 * <p>The output is read by one forward scan, each character looked at a bounded number of times, never by a
 * regular expression: the text comes from a member and may be anything, and a backtracking pattern such as
 * {@code ^\s*role\s*:} over a megabyte of blank lines takes minutes after the bounded call has returned.
 *
 * @param container the master container the command runs in
 * @param command the command and its arguments, run without a shell
 * @param roleField the name before the colon on the line that states the role, such as {@code Role}
 */
public record ExecRoleDiscovery(String container, List<String> command, String roleField) {

    /** Enough of an unrecognised output to tell what it was. */
    private static final int MAX_EXCERPT = 120;

    /** Copies the command. */
    public ExecRoleDiscovery {
        requireNonNull(container, "container");
        command = List.copyOf(command);
        requireNonNull(roleField, "roleField");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the role command is empty");
        }
        if (roleField.isBlank() || roleField.strip().length() != roleField.length() || roleField.indexOf(':') >= 0
                || roleField.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the role field is not a name without blanks at its ends,"
                    + " colons or line breaks: \"" + Printable.escape(roleField) + "\"");
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
        String out = result.stdout();
        Role stated = null;
        int lineStart = 0;
        while (lineStart <= out.length()) {
            int lineEnd = lineEnd(out, lineStart);
            Role onLine = roleOnLine(out, lineStart, lineEnd);
            if (onLine != null) {
                if (stated != null && stated != onLine) {
                    return Role.UNKNOWN;
                }
                stated = onLine;
            }
            lineStart = lineEnd + 1;
        }
        return stated == null ? Role.UNKNOWN : stated;
    }

    /** Where the line starting at {@code from} ends: the next {@code \n} or {@code \r}, or the text's end. */
    private static int lineEnd(String text, int from) {
        int at = from;
        while (at < text.length() && text.charAt(at) != '\n' && text.charAt(at) != '\r') {
            at++;
        }
        return at;
    }

    /** The role {@code text[start, end)} states as {@code <field> : <role>} with blanks around, or null. */
    private Role roleOnLine(String text, int start, int end) {
        int at = skipBlanks(text, start, end);
        if (end - at < roleField.length() || !text.regionMatches(true, at, roleField, 0, roleField.length())) {
            return null;
        }
        at = skipBlanks(text, at + roleField.length(), end);
        if (at >= end || text.charAt(at) != ':') {
            return null;
        }
        at = skipBlanks(text, at + 1, end);
        int last = end;
        while (last > at && isBlank(text.charAt(last - 1))) {
            last--;
        }
        for (Role role : List.of(Role.LEADER, Role.FOLLOWER)) {
            String name = role.name();
            if (last - at == name.length() && text.regionMatches(true, at, name, 0, name.length())) {
                return role;
            }
        }
        return null;
    }

    private static int skipBlanks(String text, int from, int end) {
        int at = from;
        while (at < end && isBlank(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\u000b';
    }
}
