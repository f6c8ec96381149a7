package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Restarts the members whose pod runs an old configuration, one per call, and never waits: each call looks at
 * the cluster, restarts at most one pod and says what it waits for next, so the reconciler reschedules instead
 * of holding a worker thread.
 *
 * <p>A pod is due when its {@link ConfigDigest} differs from the planned one; that is read off the pods
 * themselves, so a roll interrupted anywhere resumes where the cluster is. Before each restart the members are
 * asked who leads, and the quorum must be {@code HEALTHY} (every member answering, the previously restarted
 * one included): followers go first, the member leading at that moment last, so the quorum changes leader at
 * most once. When the engine tells whom its followers follow, every follower must also name the leader: a
 * restarted Alluxio master answers FOLLOWER over HTTP as soon as its web server runs, before it has heard from
 * the leader, and restarting the next member then would leave the leader without a majority (two followers
 * restarted 0.7 s apart on real masters, docs/reliability.md section 11). The one exception heals: a due member
 * that does not answer is restarted while the leader and the followers naming it hold a majority, since it costs
 * the quorum nothing. Whatever the answers say, a member is restarted only while every other member's pod is Ready.
 *
 * <p>What the roll waits for says whether an event will end the wait: a pod that appears, changes or goes away
 * is seen by the pod informer, which reconciles the runtime at once, so such a wait needs no timer; a quorum
 * that becomes healthy sends no event and has to be looked at again.
 */
final class MemberRoll {

    /**
     * What a roll waits for.
     *
     * @param what the wait, in words, for the runtime's status
     * @param endsWithPodEvent whether a pod event (created, changed, deleted) ends it, so the informer wakes the
     *     runtime; false when only asking the members again can tell
     * @param podMissing whether it waits only for a member's pod to exist, as while a new runtime starts
     */
    record Waiting(String what, boolean endsWithPodEvent, boolean podMissing) {
        Waiting {
            requireNonNull(what, "what");
        }

        Waiting(String what, boolean endsWithPodEvent) {
            this(what, endsWithPodEvent, false);
        }
    }

    private final Function<Pod, PreconditionedDelete.Result> delete;
    /**
     * By pod ({@code namespace/name}): the UID of the pod this roll deleted, until the cache shows it terminating,
     * gone or replaced. The informer's cache can lag the roll's own DELETE: a reconcile that still saw the old pod
     * as running, with an answer asked before, restarted another member 0.7 s later on real masters.
     */
    private final Map<String, String> restarted = new ConcurrentHashMap<>();

    MemberRoll(PreconditionedDelete deletes) {
        this(requireNonNull(deletes, "deletes")::delete);
    }

    /** A roll that restarts a pod with {@code delete}. */
    MemberRoll(Function<Pod, PreconditionedDelete.Result> delete) {
        this.delete = requireNonNull(delete, "delete");
    }

    /**
     * Takes the next step of rolling {@code members} to {@code digest}.
     *
     * @param pods each member's pod as the cache sees it
     * @param discovery the discovery of exactly the members that must answer
     * @return what the roll waits for; empty when every member runs {@code digest}
     */
    Optional<Waiting> step(List<Member> members, String digest, Function<Member, Optional<Pod>> pods,
            LeaderDiscovery discovery) {
        List<Member> due = new ArrayList<>();
        for (Member member : members.stream().sorted(Comparator.comparingInt(Member::ordinal)).toList()) {
            Optional<Pod> pod = pods.apply(member);
            String key = member.namespace() + "/" + member.podName();
            String deleted = restarted.get(key);
            if (deleted != null && pod.isPresent() && pod.get().getMetadata().getUid().equals(deleted)
                    && pod.get().getMetadata().getDeletionTimestamp() == null) {
                return Optional.of(new Waiting("the pod cache to show the restart of " + member.podName(), true));
            }
            if (deleted != null) {
                restarted.remove(key, deleted);
            }
            if (pod.isEmpty() || pod.get().getMetadata().getDeletionTimestamp() != null) {
                return Optional.of(new Waiting("pod " + member.podName() + " to be running", true, true));
            }
            if (!ConfigDigest.of(pod.get()).filter(digest::equals).isPresent()) {
                due.add(member);
            }
        }
        if (due.isEmpty()) {
            return Optional.empty();
        }
        // Asked right before the restart: restarting a follower can move the leadership.
        LeaderStatus quorum = discovery.discover();
        if (quorum.health() != LeaderStatus.Health.HEALTHY) {
            Optional<Member> silent = silentWithMajorityBesides(due, quorum, members.size());
            if (silent.isEmpty()) {
                return Optional.of(new Waiting("a HEALTHY quorum before restarting " + due.get(0).podName()
                        + " (now " + quorum.health() + ")", false));
            }
            return Optional.of(restart(silent.get(), members, pods, " (it did not answer; the other members hold a"
                    + " majority led by " + quorum.leader().orElseThrow().podName() + ")"));
        }
        Member leader = quorum.leader().orElseThrow();
        List<Member> notFollowing = notFollowingTheLeader(quorum);
        if (!notFollowing.isEmpty()) {
            return Optional.of(new Waiting("every member to follow " + leader.podName() + " before restarting "
                    + due.get(0).podName() + " (" + notFollowing.stream().map(Member::podName).sorted()
                            .collect(Collectors.joining(", ")) + " name no leader or another)", false));
        }
        Member next = due.stream().filter(member -> !member.equals(leader)).findFirst().orElse(leader);
        return Optional.of(restart(next, members, pods,
                Objects.equals(next, leader) ? " (it led; restarted last)" : ""));
    }

    /**
     * The members answering FOLLOWER that do not name the quorum's one leader, when the engine tells whom followers
     * follow (some answer names a leader); none when it never does, since then an answer is all there is to count.
     * A follower that names no leader has not heard from one since it started, so it may not be in the raft
     * configuration yet.
     */
    static List<Member> notFollowingTheLeader(LeaderStatus quorum) {
        List<Member> leaders = quorum.membersWithRole(Role.LEADER);
        if (quorum.members().stream().noneMatch(answer -> answer.follows().isPresent())) {
            return List.of();
        }
        Optional<Member> leader = leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
        return quorum.members().stream()
                .filter(answer -> answer.role() == Role.FOLLOWER && (leader.isEmpty()
                        || !answer.follows().equals(leader)))
                .map(LeaderStatus.MemberAnswer::member).toList();
    }

    /**
     * A due member that does not answer while the leader and the followers that name it are a majority of
     * {@code size}: restarting it costs the quorum nothing, and waiting for it to answer first would never end
     * when its old configuration is what keeps it down (a bad change reverted while it crash-loops). A follower
     * that names no leader does not count, whatever the engine: a member restarted a moment ago answers FOLLOWER
     * before the leader hears from it, and counting it would restart the silent member while the leader hears from no
     * majority. So an engine whose followers never name their leader gets no such restart: its roll waits for a
     * HEALTHY quorum, and the status says which member it waits for.
     */
    private static Optional<Member> silentWithMajorityBesides(List<Member> due, LeaderStatus quorum, int size) {
        if (quorum.leader().isEmpty()) {
            return Optional.empty();
        }
        long following = 1 + quorum.members().stream()
                .filter(answer -> answer.role() == Role.FOLLOWER && answer.follows().equals(quorum.leader()))
                .count();
        if (following <= size / 2) {
            return Optional.empty();
        }
        List<Member> answering = new ArrayList<>(quorum.membersWithRole(Role.LEADER));
        answering.addAll(quorum.membersWithRole(Role.FOLLOWER));
        return due.stream().filter(member -> !answering.contains(member)).findFirst();
    }

    /**
     * Restarts {@code member} once every other member's pod is Ready, as the StatefulSet controller's own rolling
     * update does. An answer can say more than the pod does: when the members' web servers do not answer, the
     * discovery falls back to the leader's quorum list, whose AVAILABLE lags a restart by about 20 s, and a member
     * whose new pod had not even started counted as healthy; the roll then restarted the next member 0.65 s after
     * the one before it on real masters (docs/reliability.md, section 11).
     */
    private Waiting restart(Member member, List<Member> members, Function<Member, Optional<Pod>> pods,
            String why) {
        List<String> notReady = members.stream().filter(other -> !other.equals(member))
                .filter(other -> pods.apply(other).filter(Readiness::isPodReady).isEmpty())
                .map(Member::podName).sorted().toList();
        if (!notReady.isEmpty()) {
            return new Waiting("pod " + String.join(", ", notReady) + " to be Ready before restarting "
                    + member.podName(), true);
        }
        Pod pod = pods.apply(member).orElseThrow();
        PreconditionedDelete.Result result = delete.apply(pod);
        if (result == PreconditionedDelete.Result.DELETED) {
            restarted.put(member.namespace() + "/" + member.podName(), pod.getMetadata().getUid());
        }
        // Either way the pod informer reports what happens next: the pod's deletion and its successor, or the change
        // that made the precondition fail.
        return new Waiting(result == PreconditionedDelete.Result.DELETED
                ? "pod " + member.podName() + " to rejoin after its restart" + why
                : "pod " + member.podName() + " changed while it was being restarted", true);
    }
}
