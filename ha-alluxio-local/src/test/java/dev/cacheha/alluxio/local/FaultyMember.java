package dev.cacheha.alluxio.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A master's web port on loopback, served by a raw socket so that it can misbehave below HTTP: reset, cut a
 * body short, send a body too large to hold, drip it, or accept and never answer. Every misbehaviour that can
 * carries a LEADER claim, so a discovery that trusted it would name the wrong leader.
 */
final class FaultyMember implements AutoCloseable {

    /** What a member does with each request. */
    enum Behaviour {
        /** A healthy leader: 200 with {@code "masterRole":"LEADER"}. */
        LEADER,
        /** A healthy follower: 200 with {@code "masterRole":"FOLLOWER"}. */
        FOLLOWER,
        /** Reads the request, then closes with SO_LINGER 0: the client sees a connection reset. */
        RESET,
        /** 500 Internal Server Error whose body claims LEADER. */
        HTTP_500_CLAIMING_LEADER,
        /** Promises 4096 bytes, sends a LEADER claim of 23, and closes. */
        TRUNCATED_CLAIMING_LEADER,
        /** Promises 64 MiB: 1 MiB of padding, then a LEADER claim the probe must never read. */
        HUGE_WITH_CLAIM_BEYOND_LIMIT,
        /** A correct LEADER answer, sent 5 s late, long after any deadline. */
        SLOW_CLAIMING_LEADER,
        /** Headers at once, then a LEADER body one byte every 200 ms. */
        DRIP_CLAIMING_LEADER,
        /** Accepts the connection and never writes a byte, as a frozen process does. */
        SILENT,
        /** Answers with bytes that are not HTTP, then closes. */
        NOT_HTTP
    }

    static final String LEADER_BODY = "{\"masterRole\":\"LEADER\"}";
    static final String FOLLOWER_BODY = "{\"masterRole\":\"FOLLOWER\"}";
    static final long HUGE_LENGTH = 64L << 20;
    private static final Duration SLOW_DELAY = Duration.ofSeconds(5);
    private static final Duration DRIP_INTERVAL = Duration.ofMillis(200);
    private static final int MAX_REQUEST_HEAD = 16 * 1024;

    private final Behaviour behaviour;
    private final ServerSocket server;
    private final List<Socket> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong bytesWritten = new AtomicLong();

    /** Serves {@code behaviour} on loopback {@code port} until closed. */
    FaultyMember(int port, Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        start(this::acceptUntilClosed, "faulty member " + behaviour + " on " + port);
    }

    /** How many body bytes this member managed to write, across connections. */
    long bytesWritten() {
        return bytesWritten.get();
    }

    private void acceptUntilClosed() {
        try {
            while (true) {
                Socket connection = server.accept();
                synchronized (connections) {
                    connections.add(connection);
                }
                start(() -> serve(connection), "faulty member connection " + connection.getPort());
            }
        } catch (IOException serverClosed) {
            // close() closed the server socket: no more connections.
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            readRequestHead(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            switch (behaviour) {
                case LEADER -> respond(out, 200, LEADER_BODY);
                case FOLLOWER -> respond(out, 200, FOLLOWER_BODY);
                case RESET -> connection.setSoLinger(true, 0);
                case HTTP_500_CLAIMING_LEADER -> respond(out, 500, LEADER_BODY);
                case TRUNCATED_CLAIMING_LEADER -> {
                    head(out, 200, 4096);
                    body(out, LEADER_BODY.getBytes(StandardCharsets.UTF_8));
                }
                case HUGE_WITH_CLAIM_BEYOND_LIMIT -> huge(out);
                case SLOW_CLAIMING_LEADER -> {
                    if (!closed.await(SLOW_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
                        respond(out, 200, LEADER_BODY);
                    }
                }
                case DRIP_CLAIMING_LEADER -> {
                    byte[] claim = LEADER_BODY.getBytes(StandardCharsets.UTF_8);
                    head(out, 200, claim.length);
                    for (int i = 0;
                            i < claim.length && !closed.await(DRIP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                            i++) {
                        body(out, new byte[] {claim[i]});
                    }
                }
                case SILENT -> closed.await();
                case NOT_HTTP -> body(out, "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException peerGone) {
            // The probe gave up or closed the connection: exactly what a bounded client does.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void huge(OutputStream out) throws IOException {
        head(out, 200, HUGE_LENGTH);
        byte[] padding = new byte[64 * 1024];
        Arrays.fill(padding, (byte) ' ');
        long sent = 0;
        // The claim comes after 1 MiB of padding: past the probe's limit.
        while (sent < (1L << 20) + padding.length) {
            body(out, padding);
            sent += padding.length;
        }
        body(out, LEADER_BODY.getBytes(StandardCharsets.UTF_8));
        sent += LEADER_BODY.length();
        while (sent + padding.length <= HUGE_LENGTH) {
            body(out, padding);
            sent += padding.length;
        }
    }

    private void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        head(out, status, bytes.length);
        body(out, bytes);
    }

    private static void head(OutputStream out, int status, long contentLength) throws IOException {
        out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Internal Server Error") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void body(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesWritten.addAndGet(bytes.length);
    }

    /** Reads up to the blank line that ends a request head, so every answer comes after a whole request. */
    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int read = 0; read < MAX_REQUEST_HEAD && matched < end.length; read++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private void start(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        synchronized (threads) {
            threads.add(thread);
        }
        thread.start();
    }

    /** Stops accepting, closes every connection and waits for every thread this member started. */
    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        synchronized (connections) {
            for (Socket connection : connections) {
                connection.close();
            }
        }
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        for (Thread thread : started) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop");
            }
        }
    }
}
