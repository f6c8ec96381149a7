package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits, through leader discovery, until enough members answer and exactly one leads.
 *
 * <p>It counts answers itself rather than reading {@link LeaderStatus#health()}: during a replica change the
 * discovery covers the larger of the two member sets, and a majority of that set is not what a step asks for
 * ("3 members answer" after shrinking from 5).
 */
final class QuorumWatch {

    private final LeaderDiscovery discovery;
    private final BoundedWait wait;

    QuorumWatch(LeaderDiscovery discovery, BoundedWait wait) {
        this.discovery = requireNonNull(discovery, "discovery");
        this.wait = requireNonNull(wait, "wait");
    }

    /**
     * The leading member, once at least {@code answering} members answer and exactly one of them leads.
     *
     * @throws BoundedWait.WaitTimedOutException if that does not happen in time
     */
    Member awaitLeader(int answering) {
        AtomicReference<LeaderStatus> last = new AtomicReference<>();
        return wait.until(answering + " answering members and one leader", () -> {
            LeaderStatus status = discovery.discover();
            last.set(status);
            List<Member> leaders = status.membersWithRole(Role.LEADER);
            int answered = leaders.size() + status.membersWithRole(Role.FOLLOWER).size();
            return leaders.size() == 1 && answered >= answering ? Optional.of(leaders.get(0)) : Optional.empty();
        }, () -> describe(last.get()));
    }

    private static String describe(LeaderStatus status) {
        if (status == null) {
            return "nothing";
        }
        StringBuilder seen = new StringBuilder(status.health().name());
        status.members().forEach(answer -> seen.append(", ").append(answer.member().podName()).append('=')
                .append(answer.role()));
        return seen.toString();
    }
}
