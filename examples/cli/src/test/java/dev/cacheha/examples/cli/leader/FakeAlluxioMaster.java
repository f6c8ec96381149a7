package dev.cacheha.examples.cli.leader;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server that answers like the web port of an Alluxio 2.9 master with the standby web server
 * on: {@code /api/v1/master/webui_overview} reports {@code masterRole}, {@code /metrics/json/} reports the
 * {@code Master.RoleId} gauge (0 leader, 2 follower). It can also hang instead of answering.
 */
final class FakeAlluxioMaster implements AutoCloseable {

    /** How the fake behaves. */
    enum Behaviour { LEADER, FOLLOWER, HANG }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Behaviour behaviour;
    private final String leaderId;

    private FakeAlluxioMaster(Behaviour behaviour, String leaderId) throws IOException {
        this.behaviour = behaviour;
        this.leaderId = leaderId;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::answer);
        server.start();
    }

    /** A started fake on a free loopback port, naming {@code leaderId} ({@code host_port}) as its leader. */
    static FakeAlluxioMaster start(Behaviour behaviour, String leaderId) throws IOException {
        return new FakeAlluxioMaster(behaviour, leaderId);
    }

    /** {@code 127.0.0.1:<port>}. */
    String address() {
        return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (behaviour == Behaviour.HANG) {
                released.await();
                return;
            }
            String path = exchange.getRequestURI().getPath();
            boolean leads = behaviour == Behaviour.LEADER;
            String body;
            if (path.equals("/api/v1/master/webui_overview")) {
                body = "{\"debug\":false,\"masterNodeAddress\":\"localhost/127.0.0.1:19998\",\"leaderId\":"
                        + "\"" + leaderId + "\",\"masterRole\":\"" + (leads ? "LEADER" : "FOLLOWER") + "\","
                        + "\"uptime\":\"0 d, 0 h, 1 m, 3 s\",\"version\":\"2.9.6\"}";
            } else if (path.startsWith("/metrics/json")) {
                body = "{\"version\":\"4.0.0\",\"gauges\":{\"Master.RoleId\":{\"value\":" + (leads ? 0 : 2)
                        + "},\"Cluster.LeaderId\":{\"value\":\"" + leaderId + "\"}}}";
            } else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the fake master's threads did not stop");
        }
    }
}
