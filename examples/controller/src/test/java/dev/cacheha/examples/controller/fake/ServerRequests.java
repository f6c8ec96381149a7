package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The requests a mock API server received, taken in slices: "what did this one call send?". */
public final class ServerRequests {

    private final KubernetesMockServer server;
    private int taken;

    /** Reads {@code server}'s requests from the first one it received. */
    public ServerRequests(KubernetesMockServer server) {
        this.server = server;
    }

    /** The requests received since the last call, in order, as {@code METHOD path}. */
    public List<String> sinceLastCall() {
        List<String> requests = new ArrayList<>();
        int received = server.getRequestCount();
        try {
            while (taken < received) {
                RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
                if (request == null) {
                    throw new IllegalStateException("the server counted " + received + " requests but recorded "
                            + taken);
                }
                requests.add(request.getMethod() + " " + request.getPath());
                taken++;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
        return requests;
    }

    /** The requests since the last call that change something: every method but GET. */
    public List<String> writesSinceLastCall() {
        return sinceLastCall().stream().filter(request -> !request.startsWith("GET ")).toList();
    }
}
