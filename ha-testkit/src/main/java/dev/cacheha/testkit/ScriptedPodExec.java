package dev.cacheha.testkit;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A {@link PodExec} whose members run commands the way a test scripted: an output and exit code per
 * argument-vector prefix, a delay, no end at all, or a failure to start. The longest scripted prefix of a
 * command wins; a command nobody scripted fails with an {@link java.io.IOException}. Members are told apart
 * by pod name; the container is not looked at. Thread-safe; {@link #close()} releases every hanging command.
 */
public final class ScriptedPodExec implements PodExec, AutoCloseable {

    private final ScriptedReplies<List<String>, Result> replies = new ScriptedReplies<>();

    /** {@code member} answers every command that starts with {@code argvPrefix} with {@code reply}. */
    public ScriptedPodExec answer(Member member, List<String> argvPrefix, Reply<Result> reply) {
        replies.script(member.podName(), List.copyOf(argvPrefix), reply);
        return this;
    }

    /** {@code member} answers every command that has no reply of its own with {@code reply}. */
    public ScriptedPodExec answerEveryOtherCommand(Member member, Reply<Result> reply) {
        replies.scriptFallback(member.podName(), reply);
        return this;
    }

    /** Forgets what {@code member} was scripted to answer: from now on it answers every command with {@code reply}. */
    public ScriptedPodExec replaceAll(Member member, Reply<Result> reply) {
        replies.replaceAll(member.podName(), reply);
        return this;
    }

    /** Rewrites every reply scripted for {@code member}, for example to make its commands exit non-zero. */
    public ScriptedPodExec transform(Member member, UnaryOperator<Reply<Result>> rewrite) {
        replies.transform(member.podName(), rewrite);
        return this;
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        return replies.play(member.podName(),
                prefix -> argv.size() >= prefix.size() && argv.subList(0, prefix.size()).equals(prefix)
                        ? prefix.size()
                        : -1,
                String.join(" ", argv));
    }

    /** Fails every command still hanging, so no caller waits on it after a test. */
    @Override
    public void close() {
        replies.close();
    }
}
