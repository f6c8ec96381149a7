package dev.cacheha.examples.controller.fake;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PodExec} that records every command and answers with one fixed result. */
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
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Answers every command with {@code result}. */
    public RecordingPodExec(Result result) {
        this.result = result;
    }

    /** Answers every command with exit code 0 and {@code stdout}. */
    public static RecordingPodExec succeeding(String stdout) {
        return new RecordingPodExec(new Result(0, stdout, ""));
    }

    /** Every command run so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        calls.add(new Call(member.podName(), container, List.copyOf(argv)));
        return CompletableFuture.completedFuture(result);
    }
}
