package dev.cacheha.testkit;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A {@link MemberProbe} whose members answer what a test scripted: a response per path, a delay, no answer
 * at all, or a connection failure. A request nobody scripted fails with an {@link java.io.IOException}.
 * Members are told apart by pod name. Thread-safe; {@link #close()} releases every hanging request.
 */
public final class ScriptedMemberProbe implements MemberProbe, AutoCloseable {

    private final ScriptedReplies<String, Response> replies = new ScriptedReplies<>();

    /** {@code member} answers {@code GET path} (on any port) with {@code reply}. */
    public ScriptedMemberProbe answer(Member member, String path, Reply<Response> reply) {
        replies.script(member.podName(), path, reply);
        return this;
    }

    /** {@code member} answers every path that has no reply of its own with {@code reply}. */
    public ScriptedMemberProbe answerEveryOtherPath(Member member, Reply<Response> reply) {
        replies.scriptFallback(member.podName(), reply);
        return this;
    }

    /** Forgets what {@code member} was scripted to answer: from now on it answers every path with {@code reply}. */
    public ScriptedMemberProbe replaceAll(Member member, Reply<Response> reply) {
        replies.replaceAll(member.podName(), reply);
        return this;
    }

    /** Rewrites every reply scripted for {@code member}, for example to turn its answers into errors. */
    public ScriptedMemberProbe transform(Member member, UnaryOperator<Reply<Response>> rewrite) {
        replies.transform(member.podName(), rewrite);
        return this;
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        return replies.play(member.podName(), key -> key.equals(path) ? 0 : -1, "GET " + path);
    }

    /** Fails every request still hanging, so no caller waits on it after a test. */
    @Override
    public void close() {
        replies.close();
    }
}
