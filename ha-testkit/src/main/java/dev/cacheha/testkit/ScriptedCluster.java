package dev.cacheha.testkit;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;

/**
 * The members of one quorum with a scripted probe and a scripted exec, and the misbehaviours the kit (or a
 * provider's own tests) puts them through. Close it at the end of a test: every hanging request is released.
 *
 * <pre>{@code
 * try (ScriptedCluster cluster = new ScriptedCluster(plan.members())) {
 *     impersonation.answerAs(cluster.member(0), Role.LEADER, cluster);
 *     cluster.hang(cluster.member(1));
 *     LeaderStatus status = provider.leaderDiscovery(spec, cluster.access(Duration.ofSeconds(1))).discover();
 * }
 * }</pre>
 */
public final class ScriptedCluster implements AutoCloseable {

    private final List<Member> members;
    private final ScriptedMemberProbe probe = new ScriptedMemberProbe();
    private final ScriptedPodExec exec = new ScriptedPodExec();

    /** A cluster of {@code members}, none of which answers anything until scripted. */
    public ScriptedCluster(List<Member> members) {
        this.members = List.copyOf(members);
    }

    /** The members, as given. */
    public List<Member> members() {
        return members;
    }

    /** The member with {@code ordinal}. */
    public Member member(int ordinal) {
        return members.stream()
                .filter(member -> member.ordinal() == ordinal)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member with ordinal " + ordinal));
    }

    /** The scripted HTTP probe. */
    public ScriptedMemberProbe probe() {
        return probe;
    }

    /** The scripted pod exec. */
    public ScriptedPodExec exec() {
        return exec;
    }

    /** What a provider is given to reach this cluster, with {@code deadline} per call. */
    public ClusterAccess access(Duration deadline) {
        return new ClusterAccess(probe, exec, deadline);
    }

    /** {@code member} is down: its port refuses connections and its container runs nothing. */
    public void down(Member member) {
        probe.replaceAll(member, Reply.refused());
        exec.replaceAll(member, Reply.containerGone());
    }

    /** {@code member} is frozen: it accepts every request and never answers. */
    public void hang(Member member) {
        probe.replaceAll(member, Reply.hang());
        exec.replaceAll(member, Reply.hang());
    }

    /**
     * {@code member} answers with {@code text} wherever it was scripted to answer something, keeping the
     * status and exit code: a member that prints what no parser expects.
     */
    public void garble(Member member, String text) {
        probe.transform(member, reply -> reply.map(response -> new MemberProbe.Response(response.status(), text)));
        exec.transform(member, reply -> reply.map(result -> new PodExec.Result(result.exitCode(), text, "")));
    }

    /**
     * {@code member} keeps what it was scripted to print but fails: HTTP 500 and exit code 1. Whatever such
     * an answer says, it is not the member's account of itself.
     */
    public void fail(Member member) {
        probe.transform(member, reply -> reply.map(response -> new MemberProbe.Response(500, response.body())));
        exec.transform(member, reply -> reply.map(result -> new PodExec.Result(1, result.stdout(), result.stderr())));
    }

    /** Releases every hanging request. */
    @Override
    public void close() {
        probe.close();
        exec.close();
    }
}
