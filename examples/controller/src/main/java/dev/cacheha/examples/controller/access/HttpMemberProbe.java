package dev.cacheha.examples.controller.access;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * {@link MemberProbe} over the JDK's {@link HttpClient}: {@code GET http://<member host>:<port><path>}.
 *
 * <p>The whole exchange, body included, is bounded by the deadline: the request's own timeout only covers
 * the wait for the response headers, so a member that trickles its body is cut off too. The body is read
 * up to {@link MemberProbe#MAX_BODY_BYTES} and the connection dropped after that, never buffered whole.
 */
public final class HttpMemberProbe implements MemberProbe {

    private final HttpClient client;

    /** A probe that sends its requests with {@code client}. */
    public HttpMemberProbe(HttpClient client) {
        this.client = requireNonNull(client, "client");
    }

    /** A probe on a new HTTP/1.1 client; members serve their web endpoints over plain HTTP/1.1. */
    public static HttpMemberProbe create() {
        return new HttpMemberProbe(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        requireNonNull(member, "member");
        requireNonNull(deadline, "deadline");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + member.host() + ":" + port + path))
                .timeout(deadline)
                .GET()
                .build();
        CompletableFuture<HttpResponse<String>> exchange =
                client.sendAsync(request, info -> new CappedBodySubscriber(MAX_BODY_BYTES));
        CompletableFuture<Response> answer = Deadlines.within(
                exchange.thenApply(response -> new Response(response.statusCode(), response.body())),
                deadline, "GET " + path + " on " + member.podName());
        // Stops reading the body of a member that missed its deadline and releases the connection.
        answer.whenComplete((response, failure) -> exchange.cancel(true));
        return answer;
    }

    /** Reads a body up to a cap and then cancels the rest of the stream. */
    private static final class CappedBodySubscriber implements HttpResponse.BodySubscriber<String> {

        private final CappedBytes body;
        private final CompletableFuture<String> text = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBodySubscriber(int cap) {
            body = new CappedBytes(cap);
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
            boolean full = false;
            for (ByteBuffer buffer : buffers) {
                full = body.append(buffer);
                if (full) {
                    break;
                }
            }
            if (full) {
                subscription.cancel();
                text.complete(body.text());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            text.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            text.complete(body.text());
        }
    }
}
