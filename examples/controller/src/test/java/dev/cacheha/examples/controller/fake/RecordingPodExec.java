package dev.cacheha.examples.controller.fake;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link PodExec} that records every command and answers with one fixed result after a fixed run time.
 * It keeps {@link PodExec}'s contract: a command whose run time exceeds its deadline fails with a
 * {@link TimeoutException} at the deadline.
 */
public final class RecordingPodExec implements PodExec {

    /**
     * One command that was run.
     *
     * @param pod the pod it ran in
     * @param container the container
     * @param argv the command
     */
    public record Call(String pod, String container, List<String> argv) {}

    private final Result result;
    private final Duration runTime;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Duration> deadlines = new CopyOnWriteArrayList<>();
    private volatile Function<Call, Result> answers;
    private volatile Predicate<Call> hangs = call -> false;

    /** Answers every command with {@code result} once it ran for {@code runTime}. */
    public RecordingPodExec(Result result, Duration runTime) {
        this.result = result;
        this.runTime = runTime;
    }

    /** Answers every command at once with exit code 0 and {@code stdout}. */
    public static RecordingPodExec succeeding(String stdout) {
        return succeedingAfter(Duration.ZERO, stdout);
    }

    /** Answers every command with exit code 0 and {@code stdout} once it ran for {@code runTime}. */
    public static RecordingPodExec succeedingAfter(Duration runTime, String stdout) {
        return new RecordingPodExec(new Result(0, stdout, ""), runTime);
    }

    /**
     * From now on answers each command at once with what {@code answer} says for it, instead of the fixed
     * result (a test's timeline can record the call there too).
     */
    public RecordingPodExec answering(Function<Call, Result> answer) {
        this.answers = answer;
        return this;
    }

    /** From now on lets each command {@code hang} matches run past any deadline, as a hung command does. */
    public RecordingPodExec hangingWhen(Predicate<Call> hang) {
        this.hangs = hang;
        return this;
    }

    /** Every command run so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The deadline each command of {@link #calls()} was given, in the same order. */
    public List<Duration> deadlines() {
        return List.copyOf(deadlines);
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        Call call = new Call(member.podName(), container, List.copyOf(argv));
        calls.add(call);
        deadlines.add(deadline);
        if (hangs.test(call)) {
            return late(argv, deadline);
        }
        Function<Call, Result> answer = answers;
        if (answer != null) {
            return CompletableFuture.completedFuture(answer.apply(call));
        }
        if (runTime.isZero()) {
            return CompletableFuture.completedFuture(result);
        }
        if (runTime.compareTo(deadline) > 0) {
            return late(argv, deadline);
        }
        return CompletableFuture.supplyAsync(() -> result,
                CompletableFuture.delayedExecutor(runTime.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** A command still running at {@code deadline}: it fails then, as {@link PodExec}'s contract says. */
    private static CompletableFuture<Result> late(List<String> argv, Duration deadline) {
        CompletableFuture<Result> late = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS).execute(() ->
                late.completeExceptionally(new TimeoutException(
                        argv + " did not finish within " + deadline.toMillis() + " ms")));
        return late;
    }
}
