package dev.cacheha.examples.cli.leader;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MemberProbe} over the JDK HTTP client: asynchronous, one deadline for the whole exchange (connect,
 * headers and body), bodies cut at {@link MemberProbe#MAX_BODY_BYTES}. It reaches {@code member.host()}
 * directly, so it suits callers that can route to the member (a pod network, loopback, a port-forward).
 */
public final class HttpMemberProbe implements MemberProbe {

    private final HttpClient client;

    /** A probe with its own HTTP/1.1 client that does not follow redirects. */
    public HttpMemberProbe() {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    /** A probe sending through {@code client}. */
    public HttpMemberProbe(HttpClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        if (!path.startsWith("/")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("path must start with '/': " + path));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HostAndPort.fromParts(member.host(), port)
                        + path))
                .timeout(deadline)
                .GET()
                .build();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request,
                info -> new BoundedTextBody(MAX_BODY_BYTES, StandardCharsets.UTF_8));
        // The request timeout ends with the headers; this deadline also covers a body that trickles in.
        CompletableFuture<Response> answer = exchange
                .thenApply(response -> new Response(response.statusCode(), response.body()))
                .orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                exchange.cancel(true);
            }
        });
        return answer;
    }
}
