package dev.cacheha.examples.controller.fake;

import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A quorum that exists only in a test: each pod answers with the role the test gave it, pods without a role
 * refuse connections. Answers are rendered per engine, so the same quorum can face any provider's discovery.
 */
public final class FakeQuorum implements MemberProbe {

    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Render render;
    /**
     * Appended on every call, by many threads: a copy-on-write list made each call copy every earlier one, which
     * was quadratic in the calls of a long run (the scale benchmark's profile).
     */
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    /** Whether a pod runs at all; a pod that does not refuses, whatever role it was given. */
    private volatile Predicate<String> runs = pod -> true;

    /** What one member answers. */
    @FunctionalInterface
    public interface Render {
        /**
         * @param role the member's role
         * @param path what it was asked
         * @param leaderHost the host of the member that leads, as the plan names it, or empty when none does
         */
        String answer(Role role, String path, String leaderHost);
    }

    /** A quorum whose members answer {@code render.answer(role, path, leaderHost)}. */
    public FakeQuorum(Render render) {
        this.render = render;
    }

    /** Pod {@code leader} leads and every pod of {@code followers} follows; every other pod is down. */
    public FakeQuorum with(String leader, String... followers) {
        roles.clear();
        roles.put(leader, Role.LEADER);
        for (String follower : followers) {
            roles.put(follower, Role.FOLLOWER);
        }
        return this;
    }

    /** Gives {@code pod} {@code role}; UNREACHABLE takes it down. */
    public FakeQuorum set(String pod, Role role) {
        if (role == Role.UNREACHABLE) {
            roles.remove(pod);
        } else {
            roles.put(pod, role);
        }
        return this;
    }

    /**
     * Lets only the pods for which {@code podRuns} holds answer, as a real quorum does: without it a member
     * answers while its pod does not exist yet, and a wait for the quorum ends before any member started.
     */
    public FakeQuorum answeringOnlyWhile(Predicate<String> podRuns) {
        this.runs = podRuns;
        return this;
    }

    /** Every {@code pod path} asked so far, in order. */
    public List<String> asked() {
        synchronized (asked) {
            return List.copyOf(asked);
        }
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        asked.add(member.podName() + " " + path);
        Role role = roles.get(member.podName());
        if (role == null || !runs.test(member.podName())) {
            IOException refused = new ConnectException(member.podName() + ": connection refused");
            return CompletableFuture.failedFuture(refused);
        }
        // One fake quorum may serve several runtimes: the leader is the one of the asked member's StatefulSet
        // (its pod name without the ordinal), and its host is its pod name in front of the asked member's domain.
        String statefulSet = member.podName().substring(0, member.podName().lastIndexOf('-') + 1);
        String domain = member.host().substring(member.podName().length());
        String leaderHost = roles.entrySet().stream()
                .filter(entry -> entry.getValue() == Role.LEADER && entry.getKey().startsWith(statefulSet)
                        && entry.getKey().substring(statefulSet.length()).chars().allMatch(Character::isDigit))
                .map(entry -> entry.getKey() + domain).findFirst().orElse("");
        return CompletableFuture.completedFuture(new Response(200, render.answer(role, path, leaderHost)));
    }
}
