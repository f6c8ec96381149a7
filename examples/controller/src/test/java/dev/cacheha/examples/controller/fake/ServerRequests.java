package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The requests a mock API server received from the controller under test, taken in slices ("what did the
 * controller send since?"). Requests of the test's own clients (user agent {@value #TEST_AGENT}) are dropped.
 */
public final class ServerRequests {

    /** The user agent of every client a test uses besides the controller's. */
    public static final String TEST_AGENT = "cache-ha-test";

    private final KubernetesMockServer server;
    private int taken;

    /**
     * One request.
     *
     * @param method the HTTP method
     * @param path path and query
     * @param body the body, empty when none
     * @param contentType the body's media type, empty when none
     */
    public record Request(String method, String path, String body, String contentType) {
        /** Whether the request changes something: every method but GET. */
        public boolean writes() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Reads {@code server}'s requests from the first one it received. */
    public ServerRequests(KubernetesMockServer server) {
        this.server = server;
    }

    /** The controller's requests received since the last call, in order. */
    public synchronized List<Request> sinceLastCall() {
        List<Request> requests = new ArrayList<>();
        int received = server.getRequestCount();
        try {
            while (taken < received) {
                RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
                if (request == null) {
                    throw new IllegalStateException("the server counted " + received + " requests but recorded "
                            + taken);
                }
                taken++;
                String agent = request.getHeader("User-Agent");
                if (agent == null || !agent.startsWith(TEST_AGENT)) {
                    String body = request.getBody() == null ? "" : request.getUtf8Body();
                    String contentType = request.getHeader("Content-Type");
                    requests.add(new Request(request.getMethod(), request.getPath(), body == null ? "" : body,
                            contentType == null ? "" : contentType));
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
        return requests;
    }
}
