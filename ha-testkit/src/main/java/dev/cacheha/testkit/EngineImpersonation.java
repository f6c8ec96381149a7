package dev.cacheha.testkit;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;

/**
 * How a member of one engine answers when it leads or follows, told to the kit by the provider's author:
 * the kit knows no engine, so it asks this to script a healthy member and then breaks that member its own
 * way (down, hung, garbled, failing). Script only through {@code cluster}'s probe and exec, exactly the
 * requests the provider's discovery sends.
 *
 * <pre>{@code
 * (member, role, cluster) -> cluster.probe().answer(member, "/status",
 *         Reply.of(new MemberProbe.Response(200, "{\"role\":\"" + role + "\"}")))
 * }</pre>
 *
 * <p>Engines whose followers also say whom they follow override {@link #answerAsFollowerOf}, so the kit can
 * script a leader that went silent while its followers still name it.
 */
@FunctionalInterface
public interface EngineImpersonation {

    /**
     * Scripts {@code member} of {@code cluster} to answer as a healthy member in {@code role} does.
     *
     * @param member the member to script
     * @param role {@link LeaderStatus.Role#LEADER} or {@link LeaderStatus.Role#FOLLOWER}
     * @param cluster the cluster whose probe and exec to script; its members are the whole quorum
     */
    void answerAs(Member member, LeaderStatus.Role role, ScriptedCluster cluster);

    /**
     * Scripts {@code member} to answer as a healthy follower whose leader is {@code leader}, as a follower
     * does that has not yet noticed its leader died. The default answers as a plain follower: right for
     * engines whose members do not say whom they follow.
     *
     * @param member the member to script
     * @param leader the member it follows
     * @param cluster the cluster whose probe and exec to script
     */
    default void answerAsFollowerOf(Member member, Member leader, ScriptedCluster cluster) {
        answerAs(member, LeaderStatus.Role.FOLLOWER, cluster);
    }
}
