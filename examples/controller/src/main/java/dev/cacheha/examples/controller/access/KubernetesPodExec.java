package dev.cacheha.examples.controller.access;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@link PodExec} over the fabric8 client's pod exec: the argument vector goes to the API server as the
 * {@code command} parameters, never through a shell.
 *
 * <p>fabric8 blocks until the exec stream is open, so the stream is opened on {@code executor} and the call
 * returns at once. The deadline covers opening, running and reading the output; a command still running at
 * the deadline fails the future and has its stream closed, which does not reliably stop it, so every command runs
 * under {@code timeout} in the pod with the same deadline ({@link #boundedInPod}); a caller must still not assume
 * that a timed-out command had no effect. Each of stdout
 * and stderr is kept up to {@link MemberProbe#MAX_BODY_BYTES}, the cap the controller puts on anything a member
 * sends.
 */
public final class KubernetesPodExec implements PodExec {

    /** How long a command that ignores {@code timeout}'s TERM at its deadline has before it is killed. */
    static final int KILL_AFTER_SECONDS = 5;

    private final KubernetesClient client;
    private final Executor executor;

    /**
     * @param client the client whose API server runs the commands
     * @param executor where exec streams are opened; owned by the caller, who shuts it down
     */
    public KubernetesPodExec(KubernetesClient client, Executor executor) {
        this.client = requireNonNull(client, "client");
        this.executor = requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        requireNonNull(member, "member");
        requireNonNull(container, "container");
        requireNonNull(deadline, "deadline");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        String[] command = boundedInPod(argv, deadline).toArray(String[]::new);
        CappedBytes stdout = new CappedBytes(MemberProbe.MAX_BODY_BYTES);
        CappedBytes stderr = new CappedBytes(MemberProbe.MAX_BODY_BYTES);
        CompletableFuture<ExecWatch> opened = CompletableFuture.supplyAsync(() -> client.pods()
                .inNamespace(member.namespace())
                .withName(member.podName())
                .inContainer(container)
                .writingOutput(stdout)
                .writingError(stderr)
                .exec(command), executor);
        CompletableFuture<Result> result = Deadlines.within(opened
                .thenCompose(ExecWatch::exitCode)
                .thenApply(exitCode -> {
                    if (exitCode == null) {
                        throw new CompletionException(new IOException("the command ended without an exit status"));
                    }
                    return new Result(exitCode, stdout.text(), stderr.text());
                }), deadline, "the command " + argv + " in " + member.podName() + "/" + container);
        // Whatever the outcome, the stream is closed. That frees the websocket and stops output from arriving;
        // it does not stop a command that still runs at the deadline: without a terminal, Kubernetes sends the
        // process no signal when its exec stream closes (kubernetes/kubernetes#89031), so it may run to its end.
        result.whenComplete((done, failure) -> opened.thenAccept(ExecWatch::close));
        return result;
    }

    /**
     * {@code argv} run under coreutils' {@code timeout} with the deadline rounded up to whole seconds (TERM, then
     * KILL {@value #KILL_AFTER_SECONDS} s later): closing the exec stream at the deadline does not stop a command,
     * so without this a hung command would run on in the member, and a tenant's hung commands would pile up there.
     * The engines' images have coreutils (Alluxio's is CentOS based).
     */
    static List<String> boundedInPod(List<String> argv, Duration deadline) {
        long seconds = Math.max(1, (deadline.toMillis() + 999) / 1000);
        List<String> bounded = new ArrayList<>(List.of("timeout", "-k", String.valueOf(KILL_AFTER_SECONDS),
                String.valueOf(seconds)));
        bounded.addAll(argv);
        return bounded;
    }
}
