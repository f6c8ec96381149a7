package dev.cacheha.examples.benchmarks.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The silent server plays a hung member: the handshake succeeds, the request is never answered. */
class SilentServerTest {

    private static final int READ_TIMEOUT_MILLIS = 300;

    @Test
    void aRequestIsAcceptedButNeverAnswered() throws Exception {
        // Given a silent server on a free port
        try (SilentServer silent = SilentServer.listen("localhost", 0);
                Socket client = new Socket("localhost", silent.port())) {
            // When a client sends an HTTP request and waits for the answer
            client.setSoTimeout(READ_TIMEOUT_MILLIS);
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();

            // Then the connection was accepted and no byte ever comes back
            awaitAccepted(silent, 1);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closingTheServerClosesTheConnectionsItHeld() throws Exception {
        // Given a client connected to a silent server
        SilentServer silent = SilentServer.listen("localhost", 0);
        try (Socket client = new Socket("localhost", silent.port())) {
            client.setSoTimeout(5_000);
            awaitAccepted(silent, 1);

            // When the server is closed
            silent.close();

            // Then the client sees the end of the stream rather than waiting forever
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static void awaitAccepted(SilentServer silent, int connections) {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (silent.acceptedConnections() < connections && System.nanoTime() < end) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertThat(silent.acceptedConnections()).isEqualTo(connections);
    }
}
