package dev.cacheha.examples.controller.deployment;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The controller's liveness and readiness for the kubelet's probes, over plain HTTP on one port:
 * {@value #LIVENESS_PATH} answers 200 while JOSDK's operator runs, {@value #READINESS_PATH} answers 200 while it
 * runs and every informer of every controller is running, synced and watching. Any other answer is 503 with the
 * reason in the body (the unhealthy event sources by controller, sorted). A standby instance (not the leader)
 * is ready too: its informers run, only its reconciling waits for the Lease.
 */
public final class HealthEndpoint implements AutoCloseable {

    /** The liveness probe's path. */
    public static final String LIVENESS_PATH = "/healthz";
    /** The readiness probe's path. */
    public static final String READINESS_PATH = "/readyz";

    private static final int OK = 200;
    private static final int UNAVAILABLE = 503;
    private static final int NOT_FOUND = 404;
    private static final String NOT_RUNNING = "the operator is not running";

    /** One health question: empty when healthy, or why not. */
    @FunctionalInterface
    public interface Check {

        /** Why the controller is not healthy in this respect, or empty if it is. */
        Optional<String> problem();
    }

    private final HttpServer server;
    private final ExecutorService answers;

    private HealthEndpoint(HttpServer server, ExecutorService answers) {
        this.server = server;
        this.answers = answers;
    }

    /**
     * Starts answering on {@code address}.
     *
     * @param address where to listen; port 0 picks a free port (see {@link #port()})
     * @param liveness asked on every {@value #LIVENESS_PATH} request
     * @param readiness asked on every {@value #READINESS_PATH} request
     */
    public static HealthEndpoint start(InetSocketAddress address, Check liveness, Check readiness) {
        requireNonNull(liveness, "liveness");
        requireNonNull(readiness, "readiness");
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException cannotListen) {
            throw new UncheckedIOException("health endpoint: cannot listen on " + address, cannotListen);
        }
        server.createContext("/", exchange -> answer(exchange, liveness, readiness));
        // One thread: probes come every few seconds, and each answer is computed from memory.
        ExecutorService answers = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "health-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(answers);
        server.start();
        return new HealthEndpoint(server, answers);
    }

    /** Starts answering on {@code port} of every interface, for {@code operator}. */
    public static HealthEndpoint start(int port, Operator operator) {
        return start(new InetSocketAddress(port), liveness(operator), readiness(operator));
    }

    /** Live while the operator runs (started and not stopped). */
    public static Check liveness(Operator operator) {
        requireNonNull(operator, "operator");
        return () -> operator.getRuntimeInfo().isStarted() ? Optional.empty() : Optional.of(NOT_RUNNING);
    }

    /** Ready while the operator runs and JOSDK reports every event source of every controller healthy. */
    public static Check readiness(Operator operator) {
        requireNonNull(operator, "operator");
        return () -> {
            RuntimeInfo runtime = operator.getRuntimeInfo();
            if (!runtime.isStarted()) {
                return Optional.of(NOT_RUNNING);
            }
            if (runtime.allEventSourcesAreHealthy()) {
                return Optional.empty();
            }
            return Optional.of(runtime.unhealthyEventSources().entrySet().stream()
                    .flatMap(controller -> controller.getValue().keySet().stream()
                            .map(source -> controller.getKey() + "/" + source))
                    .sorted()
                    .collect(Collectors.joining(", ", "unhealthy event sources: ", "")));
        };
    }

    /** The port answering, the one picked when started with port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops answering at once. */
    @Override
    public void close() {
        server.stop(0);
        answers.shutdownNow();
    }

    private static void answer(HttpExchange exchange, Check liveness, Check readiness) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Check check;
            if (path.equals(LIVENESS_PATH)) {
                check = liveness;
            } else if (path.equals(READINESS_PATH)) {
                check = readiness;
            } else {
                send(exchange, NOT_FOUND, "no such path: use " + LIVENESS_PATH + " or " + READINESS_PATH);
                return;
            }
            Optional<String> problem;
            try {
                problem = check.problem();
            } catch (RuntimeException failed) {
                // A check that cannot answer is a "no", said as one rather than as a dropped connection.
                problem = Optional.of("the check failed: " + failed);
            }
            send(exchange, problem.isEmpty() ? OK : UNAVAILABLE, problem.orElse("ok"));
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
