package dev.cacheha.toolkit.discovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ready-made {@link MemberProbe} over the JDK's {@link HttpClient}: {@code GET http://<address><path>}, where
 * the address is the member's pod DNS name and port unless an {@link Addressing} says otherwise (a
 * port-forward, a test's loopback ports, a list of addresses typed on a command line).
 *
 * <p>A member answers for itself or not at all: requests go straight to the member's address, never through
 * a proxy (not even one the JVM's default {@link java.net.ProxySelector} or {@code http.proxyHost} names, which
 * would otherwise answer for every member), and a redirect is returned as the member's answer (its 3xx status)
 * instead of being followed to another server.
 *
 * <p>The whole exchange, body included, is bounded by the deadline: the request's own timeout covers only the
 * wait for the response headers, so a member that trickles its body is cut off too. The body is read up to
 * {@link MemberProbe#MAX_BODY_BYTES}; then reading stops and the connection is dropped, never buffered whole.
 */
public final class HttpMemberProbe implements MemberProbe {

    /** Where the request for a member's port goes. */
    @FunctionalInterface
    public interface Addressing {
        /** The host and port that serve {@code member}'s container port {@code port}. */
        HostPort address(Member member, int port);
    }

    private final HttpClient client;
    private final Addressing addressing;

    /**
     * A probe that sends its requests with {@code client} to the addresses {@code addressing} gives.
     *
     * @param client the HTTP client; the caller keeps ownership. It must be built with
     *     {@code proxy(HttpClient.Builder.NO_PROXY)} and must not follow redirects, so that no other server
     *     can answer for a member
     * @param addressing where each member's port is reached
     * @throws IllegalArgumentException if the client may use a proxy or follows redirects
     */
    public HttpMemberProbe(HttpClient client, Addressing addressing) {
        this.client = requireNonNull(client, "client");
        this.addressing = requireNonNull(addressing, "addressing");
        List<String> unsafe = new ArrayList<>();
        if (client.proxy().filter(selector -> selector == HttpClient.Builder.NO_PROXY).isEmpty()) {
            unsafe.add("client.proxy: must be HttpClient.Builder.NO_PROXY, so that no proxy answers for a member,"
                    + " but is " + client.proxy().map(Object::toString).orElse("the JVM's default proxy selector"));
        }
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            unsafe.add("client.followRedirects: must be NEVER, so that no other server answers for a member, but is "
                    + client.followRedirects());
        }
        if (!unsafe.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", unsafe));
        }
    }

    /**
     * A probe that reaches each member at its pod DNS name ({@link Member#host()}), as a controller in the cluster
     * does.
     */
    public static HttpMemberProbe create() {
        return create((member, port) -> new HostPort(member.host(), port));
    }

    /**
     * A probe on a new HTTP/1.1 client, without proxy and without following redirects, that reaches members where
     * {@code addressing} says.
     */
    public static HttpMemberProbe create(Addressing addressing) {
        // Members serve their web endpoints over plain HTTP/1.1; an upgrade attempt only costs a round trip.
        return new HttpMemberProbe(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), addressing);
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        requireNonNull(member, "member");
        requireNonNull(deadline, "deadline");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + addressing.address(member, port) + path))
                    .timeout(deadline)
                    .GET()
                    .build();
        } catch (RuntimeException unaddressable) {
            return CompletableFuture.failedFuture(unaddressable);
        }
        String what = "GET " + path + " on " + member.podName();
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request, info -> new CappedBody(MAX_BODY_BYTES));
        CompletableFuture<Response> answer = exchange
                .thenApply(response -> new Response(response.statusCode(), response.body()))
                .orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure instanceof TimeoutException
                        ? new TimeoutException(what + " did not finish within " + deadline.toMillis() + " ms")
                        : unwrap(failure)));
        // Stops reading the body of a member that missed its deadline and releases the connection.
        answer.whenComplete((response, failure) -> exchange.cancel(true));
        return answer;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Reads a body up to a cap and then cancels the rest of the stream. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<String> {

        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> text = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<String> getBody() {
            return text;
        }

        @Override
        public void onSubscribe(Flow.Subscription newSubscription) {
            subscription = newSubscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), cap - kept.size());
                kept.write(copy(buffer, take), 0, take);
            }
            if (kept.size() >= cap) {
                subscription.cancel();
                onComplete();
            } else {
                subscription.request(1);
            }
        }

        private static byte[] copy(ByteBuffer buffer, int length) {
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            return bytes;
        }

        @Override
        public void onError(Throwable failure) {
            text.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            text.complete(kept.toString(StandardCharsets.UTF_8));
        }
    }
}
