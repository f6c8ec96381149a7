package dev.cacheha.examples.controller.realcluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Every request the controller's client sends to the real API server, by verb as the API server's audit names them
 * ({@code create}, {@code patch}, {@code update}, {@code delete}, {@code get}, {@code list}, {@code watch}), taken
 * in the client, where the real server offers no per-client request log.
 */
final class ControllerRequests implements Interceptor {

    /**
     * One request.
     *
     * @param verb the API verb
     * @param path the path and query
     * @param body the body as sent, empty when none (a delete's preconditions, an apply's object)
     */
    record Request(String verb, String path, String body) {

        /** Whether the request changes something on the server. */
        boolean writes() {
            return List.of("create", "patch", "update", "delete").contains(verb);
        }

        /** The name of the object the request names, the last segment of its path. */
        String object() {
            String bare = path.split("\\?")[0];
            return bare.substring(bare.lastIndexOf('/') + 1);
        }
    }

    private final List<Request> sent = new ArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
        String path = request.uri().getRawPath() + (request.uri().getRawQuery() == null ? ""
                : "?" + request.uri().getRawQuery());
        synchronized (sent) {
            sent.add(new Request(verb(request.method(), path), path,
                    request.bodyString() == null ? "" : request.bodyString()));
        }
    }

    private static String verb(String method, String path) {
        return switch (method) {
            case "POST" -> "create";
            case "PATCH" -> "patch";
            case "PUT" -> "update";
            case "DELETE" -> "delete";
            default -> path.contains("watch=true") ? "watch" : collection(path) ? "list" : "get";
        };
    }

    /** Whether a GET names a collection (.../namespaces/ns/kind, or a cluster-wide kind) rather than one object. */
    private static boolean collection(String path) {
        String[] segments = path.split("\\?")[0].split("/");
        return segments.length >= 3 && segments[segments.length - 3].equals("namespaces")
                || !path.contains("/namespaces/");
    }

    /** The requests sent since the last call, in order; the next call starts empty. */
    List<Request> sinceLastCall() {
        synchronized (sent) {
            List<Request> taken = new ArrayList<>(sent);
            sent.clear();
            return taken;
        }
    }
}
