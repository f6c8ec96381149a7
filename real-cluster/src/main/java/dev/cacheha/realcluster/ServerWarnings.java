package dev.cacheha.realcluster;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every {@code Warning} header the API server sent to one client (Pod Security's "would violate" on a
 * workload, a deprecated API, an unknown field...), with the request it answered. fabric8 does not surface
 * them, so a client built by {@link RealCluster#clientRecording(ServerWarnings)} hands each response here.
 */
public final class ServerWarnings implements Interceptor {

    /** One warning and the request that drew it. */
    public record Warning(String method, String uri, String text) {

        @Override
        public String toString() {
            return method + " " + uri + ": " + text;
        }
    }

    private final List<Warning> received = new CopyOnWriteArrayList<>();

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        // RFC 7234 warn-value: 299 - "text"; the API server always sends code 299 and agent "-".
        for (String header : response.headers("Warning")) {
            received.add(new Warning(request.method(), request.uri().toString(), warnText(header)));
        }
    }

    private static String warnText(String header) {
        String prefix = "299 - ";
        String text = header.startsWith(prefix) ? header.substring(prefix.length()) : header;
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).replace("\\\"", "\"");
        }
        return text;
    }

    /** The warnings received so far, in order. */
    public List<Warning> received() {
        return List.copyOf(received);
    }
}
