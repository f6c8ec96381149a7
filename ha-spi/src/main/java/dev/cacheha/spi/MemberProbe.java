package dev.cacheha.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How a provider reads a member's HTTP endpoint; supplied by the controller, which knows how pods are reached
 * (pod DNS, a port-forward, a test's loopback mapping).
 *
 * <p>Implementations must return at once and complete the future later: a provider asks every member at the
 * same time. The future completes exceptionally when the member cannot be reached (refused, reset, no answer
 * before {@code deadline}). Bodies larger than {@link #MAX_BODY_BYTES} must be cut, so that a misbehaving
 * member cannot exhaust the controller's memory.
 */
@FunctionalInterface
public interface MemberProbe {

    /** The largest body an implementation hands to a provider. */
    int MAX_BODY_BYTES = 1 << 20;

    /**
     * Sends {@code GET path} to {@code member}'s {@code port}.
     *
     * @param member the member to ask
     * @param port the member's container port
     * @param path absolute path with optional query, such as {@code /metrics/json/}
     * @param deadline how long the whole exchange may take
     * @return the response, or a future that fails if the member did not answer in time
     */
    CompletableFuture<Response> get(Member member, int port, String path, Duration deadline);

    /**
     * An HTTP answer.
     *
     * @param status the HTTP status code
     * @param body the body as text, at most {@link #MAX_BODY_BYTES} long
     */
    record Response(int status, String body) {
        public Response {
            java.util.Objects.requireNonNull(body, "body");
        }
    }
}
