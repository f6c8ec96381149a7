package dev.cacheha.examples.cli.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpMemberProbeTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;
    private Member member;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/huge", exchange -> {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            } catch (IOException cancelledByTheProbe) {
                // the probe stops reading at its limit; the rest has nowhere to go
            }
        });
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('{');
                out.flush();
                released.await();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        member = new Member(0, "default", "m-0", "127.0.0.1");
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBodyLargerThanTheLimitIsCutAtTheLimit() throws Exception {
        // When a member sends 4 MiB
        MemberProbe.Response response = new HttpMemberProbe()
                .get(member, server.getAddress().getPort(), "/huge", Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(MemberProbe.MAX_BODY_BYTES);
    }

    @Test
    void aBodyThatNeverEndsFailsAtTheDeadline() {
        // When a member sends its headers and one byte, then nothing
        long started = System.nanoTime();
        var answer = new HttpMemberProbe().get(member, server.getAddress().getPort(), "/trickle", Duration.ofMillis(300));

        // Then
        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
