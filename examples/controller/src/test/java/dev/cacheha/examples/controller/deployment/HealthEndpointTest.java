package dev.cacheha.examples.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.OperatorOnMockServer;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The controller's liveness and readiness answers. JOSDK's operator runs on fabric8's mock API server here because
 * the test takes the API server away in the middle (an outage on cue), which the real control plane, shared by
 * every test class of the run, cannot be made to do.
 */
class HealthEndpointTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer of the endpoint: its status and body. */
    private record Answer(int status, String body) {}

    private static Answer ask(HealthEndpoint endpoint, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().strip());
        } catch (IOException | InterruptedException failed) {
            throw new AssertionError("no answer on " + path, failed);
        }
    }

    private static InetSocketAddress anyLoopbackPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Test
    void eachProbeAnswers200WhileItsCheckHoldsAnd503WithTheReasonOtherwise() {
        // Given a live controller whose informers are still syncing
        AtomicReference<Optional<String>> readiness = new AtomicReference<>(Optional.of("informers syncing"));
        try (HealthEndpoint endpoint = HealthEndpoint.start(anyLoopbackPort(), Optional::empty, readiness::get)) {
            // When the kubelet asks, Then it is live but not ready, and says why
            assertThat(ask(endpoint, "/healthz")).isEqualTo(new Answer(200, "ok"));
            assertThat(ask(endpoint, "/readyz")).isEqualTo(new Answer(503, "informers syncing"));

            // When the informers have synced, Then it is ready
            readiness.set(Optional.empty());
            assertThat(ask(endpoint, "/readyz")).isEqualTo(new Answer(200, "ok"));
        }
    }

    @Test
    void aCheckThatThrowsIsAnswered503AndAnUnknownPath404() {
        // Given a liveness check that cannot answer
        try (HealthEndpoint endpoint = HealthEndpoint.start(anyLoopbackPort(),
                () -> {
                    throw new IllegalStateException("runtime info unavailable");
                }, Optional::empty)) {
            // Then the probe gets a 503 naming the failure rather than a dropped connection
            assertThat(ask(endpoint, "/healthz")).isEqualTo(new Answer(503,
                    "the check failed: java.lang.IllegalStateException: runtime info unavailable"));
            // And a path that is no probe is not found
            assertThat(ask(endpoint, "/metrics").status()).isEqualTo(404);
        }
    }

    @Test
    void josdksOperatorIsLiveWhileRunningAndReadyOnlyWhileItsInformersWatch() {
        // Given the controller's operator on a mock API server, watching one namespace, not started yet
        try (OperatorOnMockServer mock = new OperatorOnMockServer(WatchedNamespaces.of("data"));
                HealthEndpoint endpoint = HealthEndpoint.start(anyLoopbackPort(),
                        HealthEndpoint.liveness(mock.operator()), HealthEndpoint.readiness(mock.operator()))) {
            Operator operator = mock.operator();
            // Then before it runs it is neither live nor ready
            assertThat(ask(endpoint, "/healthz")).isEqualTo(new Answer(503, "the operator is not running"));
            assertThat(ask(endpoint, "/readyz")).isEqualTo(new Answer(503, "the operator is not running"));

            // When it has started (its informers listed and watching), Then it is live and ready
            operator.start();
            assertThat(ask(endpoint, "/healthz")).isEqualTo(new Answer(200, "ok"));
            assertThat(ask(endpoint, "/readyz")).isEqualTo(new Answer(200, "ok"));

            // When the API server goes away, Then it stays live (a restart would not bring the server back) but
            // is no longer ready, naming the informers that lost their watch
            mock.stopServer();
            Answer unready = Eventually.within(BUDGET, "readiness to fail without an API server", () -> {
                Answer answer = ask(endpoint, "/readyz");
                return answer.status() == 503 ? answer : null;
            });
            assertThat(unready.body()).startsWith("unhealthy event sources: ")
                    .contains("cacheruntime/Pod", "cacheruntimebackup/");
            assertThat(ask(endpoint, "/healthz")).isEqualTo(new Answer(200, "ok"));

            // When the operator stops, Then it is no longer live
            operator.stop();
            assertThat(ask(endpoint, "/healthz")).isEqualTo(new Answer(503, "the operator is not running"));
        }
    }
}
