package dev.cacheha.toolkit.discovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.Printable;
import java.util.List;
import java.util.Optional;

/**
 * Discovery for an engine whose masters state their own raft role over HTTP, the counterpart of
 * {@link ExecRoleDiscovery}: every member is asked {@code GET <path>} on its port at once with
 * {@link MemberFanOut}, each within the access deadline, and the engine's {@link AnswerReading} reads one member's
 * answer into its role and, for a follower, the member it follows. The toolkit does the rest: an answer other than
 * 200 or longer than {@link MemberProbe#MAX_BODY_BYTES} is {@link Role#UNKNOWN} without being read, a follower
 * naming a member outside the quorum or itself names no one, a reading that throws is UNKNOWN, and the answers
 * are judged by {@link dev.cacheha.spi.LeaderStatus#fromAnswers}: a member leads only if it says so itself and the
 * followers that name a leader name it.
 *
 * @param path the path every member answers its role at, starting with {@code /}
 * @param reading how one member's answer reads
 */
public record HttpRoleDiscovery(String path, AnswerReading reading) {

    /** Enough of an answer to tell what it was. */
    private static final int MAX_EXCERPT = 120;

    /** How the engine reads one member's answer. Called only for a 200 answer within the size bound. */
    @FunctionalInterface
    public interface AnswerReading {

        /**
         * The role {@code body} states for {@code asked}.
         *
         * @param asked the member that gave the answer
         * @param body the answer's body
         * @param members the whole quorum, by ordinal, to find the member a follower names
         * @return the role, with the member it follows for a follower that names one
         *     ({@link MemberFanOut.Reading#followerOf}); UNKNOWN with a short detail when the body does not say
         */
        MemberFanOut.Reading read(Member asked, String body, List<Member> members);
    }

    /** Checks the path. */
    public HttpRoleDiscovery {
        requireNonNull(path, "path");
        requireNonNull(reading, "reading");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the role path must start with /: " + path);
        }
    }

    /** A discovery of {@code members} asking each on container port {@code port} through {@code access}'s probe. */
    public LeaderDiscovery of(List<Member> members, int port, ClusterAccess access) {
        List<Member> quorum = List.copyOf(members);
        String method = "GET :" + port + path;
        return () -> new MemberFanOut(quorum, access.deadline()).discover(method,
                member -> access.probe().get(member, port, path, access.deadline()),
                (member, response) -> read(member, response, quorum));
    }

    private MemberFanOut.Reading read(Member asked, MemberProbe.Response response, List<Member> quorum) {
        if (response.status() != 200) {
            return MemberFanOut.Reading.of(Role.UNKNOWN, "HTTP " + response.status() + ": "
                    + Printable.excerpt(response.body(), MAX_EXCERPT));
        }
        if (response.body().length() > MemberProbe.MAX_BODY_BYTES) {
            return MemberFanOut.Reading.of(Role.UNKNOWN, "an answer of " + response.body().length()
                    + " characters, more than any role needs");
        }
        MemberFanOut.Reading stated = reading.read(asked, response.body(), quorum);
        if (stated.role() != Role.FOLLOWER) {
            return MemberFanOut.Reading.of(stated.role(), stated.detail());
        }
        Optional<Member> named = stated.follows();
        if (named.isPresent() && (named.get().equals(asked) || !quorum.contains(named.get()))) {
            return MemberFanOut.Reading.of(Role.FOLLOWER, "names " + named.get().podName() + " as its leader, which"
                    + " is not another member of this quorum");
        }
        return stated;
    }
}
