package dev.cacheha.toolkit.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpMemberProbeTest {

    private static final Member LOCAL = new Member(0, "data", "demo-master-0", "127.0.0.1");
    /** For a member that never answers: the test waits it out. */
    private static final Duration DEADLINE = Duration.ofMillis(500);
    /** For members that answer: long enough that a cold client on a loaded machine never misses it. */
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(10);

    private final HttpMemberProbe probe = HttpMemberProbe.create();
    /** Released when the test ends, so a handler that "never answers" ends with the test. */
    private final CountDownLatch testOver = new CountDownLatch(1);
    /** Completed when the endless handler's client closed the connection. */
    private final CompletableFuture<IOException> endlessReaderLeft = new CompletableFuture<>();
    private ExecutorService handlers;
    private HttpServer server;
    /** A server that answers LEADER to anything: what a proxy or a redirect target would say for a member. */
    private HttpServer impostor;
    private final AtomicInteger impostorRequests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        handlers = Executors.newCachedThreadPool();
        impostor = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        impostor.setExecutor(handlers);
        impostor.createContext("/", exchange -> {
            impostorRequests.incrementAndGet();
            byte[] body = "{\"masterRole\":\"LEADER\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        impostor.start();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/role", exchange -> {
            byte[] body = "{\"masterRole\":\"LEADER\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders()
                    .set("Location", "http://127.0.0.1:" + impostor.getAddress().getPort() + "/role");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            try {
                testOver.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/endless", exchange -> {
            // Chunked and without end: only a client that stops reading gets out of this.
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = exchange.getResponseBody()) {
                while (testOver.getCount() > 0) {
                    out.write(chunk);
                }
            } catch (IOException clientWentAway) {
                endlessReaderLeft.complete(clientWentAway);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        testOver.countDown();
        server.stop(0);
        impostor.stop(0);
        handlers.shutdownNow();
        assertThat(handlers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private int port() {
        return server.getAddress().getPort();
    }

    @Test
    void anAnswerCarriesItsStatusAndBody() throws Exception {
        // When the member is asked for its role
        MemberProbe.Response response = probe.get(LOCAL, port(), "/role", ANSWER_DEADLINE).get(5, TimeUnit.SECONDS);

        // Then the status and body are the member's
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"masterRole\":\"LEADER\"}");
    }

    @Test
    void anAddressingSendsTheRequestWhereItSaysInsteadOfThePodName() throws Exception {
        // Given a member known by its pod DNS name, reached through a mapping of its port to this machine
        Member inCluster = new Member(1, "data", "demo-master-1", "demo-master-1.demo-master.data.svc.cluster.local");
        HttpMemberProbe mapped = HttpMemberProbe.create(
                (member, memberPort) -> new HostPort("127.0.0.1", port()));

        // When the member's web port is asked for its role
        MemberProbe.Response response = mapped.get(inCluster, 19999, "/role", ANSWER_DEADLINE).get(5, TimeUnit.SECONDS);

        // Then the mapped address answered
        assertThat(response.body()).isEqualTo("{\"masterRole\":\"LEADER\"}");
    }

    @Test
    void anErrorStatusIsAnAnswerNotAFailure() throws Exception {
        // When the member answers 404
        MemberProbe.Response response = probe.get(LOCAL, port(), "/missing", ANSWER_DEADLINE).get(5, TimeUnit.SECONDS);

        // Then the probe reports it for the provider to judge
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aMemberThatNeverAnswersFailsTheProbeAtTheDeadline() throws Exception {
        // Given what an answered request costs on this machine right now (a busy machine slows both alike)
        long unhinderedStart = System.nanoTime();
        probe.get(LOCAL, port(), "/role", ANSWER_DEADLINE).get(5, TimeUnit.SECONDS);
        Duration unhindered = Duration.ofNanos(System.nanoTime() - unhinderedStart);

        // When a member that never answers is asked
        long start = System.nanoTime();
        CompletableFuture<MemberProbe.Response> answer = probe.get(LOCAL, port(), "/hang", DEADLINE);

        // Then the probe returned at once, and fails at its deadline: later only by what a request costs anyway
        assertThat(answer).isNotDone();
        Throwable failure = catchThrowable(() -> answer.get(5, TimeUnit.SECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause())
                .isInstanceOfAny(TimeoutException.class, java.net.http.HttpTimeoutException.class);
        assertThat(took).isGreaterThanOrEqualTo(DEADLINE)
                .isLessThan(DEADLINE.multipliedBy(2).plus(unhindered.multipliedBy(4)));
    }

    @Test
    void anEndlessBodyIsCutAtTheCapAndTheConnectionDropped() throws Exception {
        // When a member streams a body without end
        MemberProbe.Response response = probe.get(LOCAL, port(), "/endless", Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        // Then the probe hands over exactly the cap, and stops reading: the member sees the connection go
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(MemberProbe.MAX_BODY_BYTES).matches("x+");
        assertThat(endlessReaderLeft.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void aRefusedConnectionFailsTheProbe() throws IOException {
        // Given a port that nothing listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        // When a member on it is asked
        Throwable failure = catchThrowable(() -> probe.get(LOCAL, closedPort, "/role", ANSWER_DEADLINE)
                .get(5, TimeUnit.SECONDS));

        // Then the probe fails with the refusal itself
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectException.class);
    }

    @Test
    void aProxyTheJvmWouldUseNeverAnswersForAMember() throws Exception {
        // Given a JVM whose default proxy selector sends every request to a server that answers LEADER
        ProxySelector before = ProxySelector.getDefault();
        HttpMemberProbe built;
        try {
            ProxySelector.setDefault(ProxySelector.of(impostor.getAddress()));
            built = HttpMemberProbe.create();
        } finally {
            ProxySelector.setDefault(before);
        }

        // When a member is asked
        MemberProbe.Response response = built.get(LOCAL, port(), "/missing", ANSWER_DEADLINE).get(10, TimeUnit.SECONDS);

        // Then the member itself answered, and the proxy was never asked
        assertThat(response.status()).isEqualTo(404);
        assertThat(impostorRequests).hasValue(0);
    }

    @Test
    void aRedirectIsTheMembersAnswerAndIsNotFollowed() throws Exception {
        // When a member answers with a redirect to a server that would say LEADER
        MemberProbe.Response response = probe.get(LOCAL, port(), "/moved", ANSWER_DEADLINE).get(10, TimeUnit.SECONDS);

        // Then the probe hands over the redirect, and the other server was never asked
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.body()).isEmpty();
        assertThat(impostorRequests).hasValue(0);
    }

    @Test
    void aClientThatMayUseAProxyOrFollowRedirectsIsRefusedWithEveryReason() {
        HttpClient careless = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HttpMemberProbe(careless, (member, port) -> null))
                .withMessageContaining("client.proxy: must be HttpClient.Builder.NO_PROXY")
                .withMessageContaining("client.followRedirects: must be NEVER, so that no other server answers for a"
                        + " member, but is NORMAL");
    }
}
