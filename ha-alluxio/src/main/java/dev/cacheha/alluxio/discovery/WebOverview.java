package dev.cacheha.alluxio.discovery;

import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberProbe;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A master's own role from {@value #PATH}: {@code "masterRole":"LEADER"} or {@code "FOLLOWER"}. Only the role
 * is read. The {@code leaderId} next to it is ignored on purpose: after a leader dies, followers keep
 * reporting its id for about two seconds, until the election.
 */
final class WebOverview {

    /** The endpoint, on the master web port; standbys serve it when {@code alluxio.standby.master.web.enabled}. */
    static final String PATH = "/api/v1/master/webui_overview";

    private static final Pattern ROLE = Pattern.compile("\"masterRole\"\\s*:\\s*\"([A-Za-z_]{1,32})\"");

    private WebOverview() {}

    /**
     * The role a response states, with a note when it states none.
     *
     * @param role LEADER, FOLLOWER, or UNKNOWN when the answer does not tell
     * @param detail empty, or why the role is UNKNOWN with an excerpt of the answer
     */
    record Reading(Role role, String detail) {}

    /** Reads {@code response}; never throws. */
    static Reading read(MemberProbe.Response response) {
        if (response.status() != 200) {
            return new Reading(Role.UNKNOWN, "HTTP " + response.status() + ": " + Excerpt.of(response.body()));
        }
        Matcher matcher = ROLE.matcher(response.body());
        if (!matcher.find()) {
            return new Reading(Role.UNKNOWN, "no masterRole in " + Excerpt.of(response.body()));
        }
        String stated = matcher.group(1);
        if (matcher.find() && !matcher.group(1).equals(stated)) {
            return new Reading(Role.UNKNOWN, "two masterRole values in " + Excerpt.of(response.body()));
        }
        return switch (stated) {
            case "LEADER", "PRIMARY" -> new Reading(Role.LEADER, "");
            case "FOLLOWER", "STANDBY" -> new Reading(Role.FOLLOWER, "");
            default -> new Reading(Role.UNKNOWN, "masterRole " + stated + " is neither LEADER nor FOLLOWER");
        };
    }
}
