package dev.cacheha.examples.controller.realcluster;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every request one controller instance's client sends to the real API server, recorded before it leaves, with an
 * observer that may look at the cluster at that moment (is there a pod beside the claim this DELETE names?), and
 * a way to lose the writes after a given one, as a process that dies right after that write would.
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
    private volatile Predicate<Sent> lastWrite = any -> false;
    private volatile Predicate<Sent> keptAfterIt = any -> true;
    private volatile boolean losingWrites;

    /** @param observer told of each request before it is sent, on the sending thread */
    InstanceRequests(Consumer<Sent> observer) {
        this.observer = observer;
    }

    /**
     * Makes every write after the first one {@code last} matches lost, but those {@code kept} matches: each is
     * sent to a path the API server does not serve (404), as if the process had died right after {@code last}.
     */
    void loseWritesAfter(Predicate<Sent> last, Predicate<Sent> kept) {
        keptAfterIt = kept;
        lastWrite = last;
    }

    /** Whether a write matched the one after which writes are lost. */
    boolean losingWrites() {
        return losingWrites;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Sent one = new Sent(request.method(), request.uri().getPath(),
                Objects.requireNonNullElse(request.bodyString(), ""));
        if (losingWrites && one.writes() && !keptAfterIt.test(one)) {
            builder.uri(URI.create(request.uri().toString().replaceFirst("/api", "/lost/api")));
            return;
        }
        if (one.writes() && lastWrite.test(one)) {
            losingWrites = true;
        }
        observer.accept(one);
        sent.add(one);
    }

    /** The writes that reached the API server, in the order they were sent. */
    List<Sent> writes() {
        return sent.stream().filter(Sent::writes).toList();
    }
}
