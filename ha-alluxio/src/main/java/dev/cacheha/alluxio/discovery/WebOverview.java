package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberProbe;
import java.util.Optional;

/**
 * A master's own role from {@value #PATH}: {@code "masterRole":"LEADER"} or {@code "FOLLOWER"}, and, for a
 * follower, whom it follows: {@code "leaderId":"<host>_<journal port>"}. The role decides who may lead; a
 * follower's {@code leaderId} only ever counts against another claimant (after a leader dies, followers keep
 * reporting its id for about two seconds, until the election). Measured on 2.9.6: while the election runs,
 * members answer {@code "masterRole":"CANDIDATE"} or {@code "FOLLOWER"} with {@code "leaderId":""}, and once it
 * is over every follower names the new leader; so an empty {@code leaderId} names no leader, and any other
 * {@code leaderId} that is not {@code <host>_<port>} (or is stated twice, differently) is a dissent. Read in one
 * pass, whatever the body's size.
 */
final class WebOverview {

    /** The endpoint, on the master web port; standbys serve it when {@code alluxio.standby.master.web.enabled}. */
    static final String PATH = "/api/v1/master/webui_overview";

    private WebOverview() {}

    /**
     * The role a response states, with a note when it states none.
     *
     * @param role LEADER, FOLLOWER, or UNKNOWN when the answer does not tell
     * @param detail empty, or why the role is UNKNOWN with an excerpt of the answer
     * @param follows for a FOLLOWER, the journal address of the leader it names, if it names one
     * @param unreadableLeader for a FOLLOWER whose {@code leaderId} names a leader that is no address, why
     */
    record Reading(Role role, String detail, Optional<HostAndPort> follows, Optional<String> unreadableLeader) {
        static Reading unknown(String detail) {
            return new Reading(Role.UNKNOWN, detail, Optional.empty(), Optional.empty());
        }

        static Reading of(Role role, String detail, Optional<HostAndPort> follows) {
            return new Reading(role, detail, follows, Optional.empty());
        }
    }

    /** Reads {@code response}; never throws. */
    static Reading read(MemberProbe.Response response) {
        String body = response.body();
        if (response.status() != 200) {
            return Reading.unknown("HTTP " + response.status() + ": " + Excerpt.of(body));
        }
        JsonField.Found role = JsonField.find(body, "masterRole");
        if (role.value().isEmpty()) {
            return Reading.unknown((role.problem().isEmpty() ? "no masterRole" : role.problem()) + " in "
                    + Excerpt.of(body));
        }
        return switch (role.value().get()) {
            case "LEADER", "PRIMARY" -> Reading.of(Role.LEADER, "", Optional.empty());
            case "FOLLOWER", "STANDBY" -> follower(body);
            default -> Reading.unknown("masterRole " + role.value().get() + " is neither LEADER nor FOLLOWER");
        };
    }

    private static Reading follower(String body) {
        JsonField.Found leaderId = JsonField.find(body, "leaderId");
        if (!leaderId.problem().isEmpty()) {
            return new Reading(Role.FOLLOWER, leaderId.problem(), Optional.empty(), Optional.of(leaderId.problem()));
        }
        if (leaderId.value().filter(named -> !named.isEmpty()).isEmpty()) {
            // Not every version writes it, and 2.9.6 writes "" while no leader is known: no leader named.
            return Reading.of(Role.FOLLOWER, "", Optional.empty());
        }
        String named = leaderId.value().get();
        Optional<HostAndPort> leader = MemberAddress.parsePeerId(named);
        return leader.isPresent() ? Reading.of(Role.FOLLOWER, "", leader)
                : new Reading(Role.FOLLOWER, "leaderId " + named + " is not <host>_<port>", Optional.empty(),
                        Optional.of("leaderId " + named));
    }
}
