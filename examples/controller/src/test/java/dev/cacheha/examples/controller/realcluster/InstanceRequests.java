package dev.cacheha.examples.controller.realcluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every request one controller instance's client sends to the real API server, recorded before it leaves, with an
 * observer that may look at the cluster at that moment (is there a pod beside the claim this DELETE names?).
 */
final class InstanceRequests implements Interceptor {

    /**
     * One request.
     *
     * @param method the HTTP method
     * @param path the path, without the query
     * @param body the body, empty when none
     */
    record Sent(String method, String path, String body) {

        /** Whether it changes something: every method but GET. */
        boolean writes() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Consumer<Sent> observer;

    /** @param observer told of each request before it is sent, on the sending thread */
    InstanceRequests(Consumer<Sent> observer) {
        this.observer = observer;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Sent one = new Sent(request.method(), request.uri().getPath(),
                Objects.requireNonNullElse(request.bodyString(), ""));
        observer.accept(one);
        sent.add(one);
    }

    /** The requests that changed something, in the order they were sent. */
    List<Sent> writes() {
        return sent.stream().filter(Sent::writes).toList();
    }
}
