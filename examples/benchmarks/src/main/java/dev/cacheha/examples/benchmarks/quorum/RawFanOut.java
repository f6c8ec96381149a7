package dev.cacheha.examples.benchmarks.quorum;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of a discovery call: the same GET sent to every member at once by a bare JDK {@link HttpClient} on
 * the members' local ports, waiting for every body, reading nothing in it. No probe, no address mapping, no
 * parsing, no judgement: whatever discovery costs beyond this is what cache-ha adds.
 */
final class RawFanOut {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    private final Duration deadline;
    private final AtomicInteger failed = new AtomicInteger();

    RawFanOut(Duration deadline) {
        this.deadline = deadline;
    }

    /**
     * Sends {@code GET path} to every port at once and returns when every body is in or its request timed out
     * (as a member that misses discovery's deadline costs discovery that deadline); how long that took.
     */
    Duration once(List<Integer> ports, String path) {
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<byte[]>>> answers = ports.stream()
                .map(port -> client.sendAsync(request(port, path), HttpResponse.BodyHandlers.ofByteArray())
                        .handle((response, failure) -> {
                            failed.addAndGet(failure == null ? 0 : 1);
                            return response;
                        }))
                .toList();
        answers.forEach(CompletableFuture::join);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** How many requests failed or timed out so far. */
    int failures() {
        return failed.get();
    }

    /** One GET to one port; how long it took until the body was in. */
    Duration single(int port, String path) {
        long start = System.nanoTime();
        client.sendAsync(request(port, path), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    failed.addAndGet(failure == null ? 0 : 1);
                    return response;
                }).join();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(deadline).GET().build();
    }
}
