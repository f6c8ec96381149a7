package dev.cacheha.alluxio.discovery;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Members of the spec {@code demo}/{@code cache} that answer as the test tells them: per pod, an HTTP answer
 * (or a failure, or silence) and a command output.
 */
final class FakeCluster {

    static final HaSpec SPEC = HaSpec.builder("demo", "cache").replicas(3).build();

    /** Never completes: a member that accepted the connection and never answers. */
    static <T> CompletableFuture<T> silence() {
        return new CompletableFuture<>();
    }

    static CompletableFuture<MemberProbe.Response> refused() {
        return CompletableFuture.failedFuture(new ConnectException("Connection refused"));
    }

    static CompletableFuture<MemberProbe.Response> ok(String body) {
        return CompletableFuture.completedFuture(new MemberProbe.Response(200, body));
    }

    static CompletableFuture<PodExec.Result> printed(int exitCode, String stdout) {
        return CompletableFuture.completedFuture(new PodExec.Result(exitCode, stdout, ""));
    }

    private final Map<String, Function<Member, CompletableFuture<MemberProbe.Response>>> http =
            new ConcurrentHashMap<>();
    private final Map<String, Function<List<String>, CompletableFuture<PodExec.Result>>> exec =
            new ConcurrentHashMap<>();

    /** Member {@code ordinal} answers HTTP with {@code answer}. */
    FakeCluster http(int ordinal, CompletableFuture<MemberProbe.Response> answer) {
        http.put(pod(ordinal), member -> answer);
        return this;
    }

    /** Commands in member {@code ordinal}'s pod give what {@code run} returns for their argv. */
    FakeCluster exec(int ordinal, Function<List<String>, CompletableFuture<PodExec.Result>> run) {
        exec.put(pod(ordinal), run);
        return this;
    }

    /** Access with {@code deadline}; members not told otherwise refuse HTTP and cannot run commands. */
    ClusterAccess access(Duration deadline) {
        MemberProbe probe = (member, port, path, callDeadline) ->
                http.getOrDefault(member.podName(), m -> refused()).apply(member);
        PodExec podExec = (member, container, argv, callDeadline) -> exec.getOrDefault(member.podName(),
                a -> CompletableFuture.failedFuture(new IllegalStateException("pod not running"))).apply(argv);
        return new ClusterAccess(probe, podExec, deadline);
    }

    /** Discovery with {@code deadline} for each probe and, since scripted pods answer at once, each command. */
    AlluxioLeaderDiscovery discovery(Duration deadline) {
        return new AlluxioLeaderDiscovery(SPEC, access(deadline), deadline);
    }

    static String pod(int ordinal) {
        return "demo-master-" + ordinal;
    }
}
