package dev.cacheha.alluxio.local;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A {@link MemberProbe} for a {@link LocalAlluxioQuorum}: it plays the pod network, sending a request for
 * {@code <member host>:<plan port>} to {@code localhost:<that member's local port>} and writing local addresses in
 * the answer back as the plan's.
 */
final class LoopbackProbe implements MemberProbe {

    private final List<Member> members;
    private final LoopbackMapping mapping;
    private final HttpClient client;

    LoopbackProbe(List<Member> members, LoopbackMapping mapping) {
        this.members = List.copyOf(members);
        this.mapping = mapping;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        if (!members.contains(member)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(member.podName() + " is not a member of this quorum"));
        }
        URI uri;
        try {
            uri = URI.create("http://" + LoopbackMapping.LOOPBACK_HOST + ":"
                    + mapping.localPort(member.ordinal(), port) + path);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(deadline).GET().build();
        return client.sendAsync(request, info -> new CappedBody(MAX_BODY_BYTES))
                .thenApply(response -> new Response(response.statusCode(), planBody(response.body())))
                // The request timeout covers the answer only; this bounds connecting as well.
                .orTimeout(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The body with plan addresses, cut again since plan host names are longer than {@code localhost}. */
    private String planBody(String localBody) {
        String body = mapping.toPlanAddresses(localBody);
        return body.length() > MAX_BODY_BYTES ? body.substring(0, MAX_BODY_BYTES) : body;
    }

    /** Keeps the first {@code limit} bytes of a body and drops the rest, so a huge answer cannot exhaust memory. */
    static final class CappedBody implements BodySubscriber<String> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                complete();
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            complete();
        }

        private void complete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
