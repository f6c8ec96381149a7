package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The mock API server's dispatcher (CRUD plus expectations) with two things fabric8's lacks: faults matched
 * on the whole request (method, path and body, so a test can refuse exactly the status write that records one
 * step), and observers that see each request before the store does (to check what existed when a DELETE
 * arrived). It takes server-side applies, which the CRUD store refuses with 415, as JSON merge patches, so
 * the controller's apply requests can be run and inspected; that is no field-ownership semantics, only the
 * request reaching a store.
 *
 * <p>JSON merge patches are merged here, as RFC 7386 says and the API server does (a list in the patch
 * replaces the stored list), and the result is stored with a PUT: fabric8 8.0.0's CRUD store appends a
 * patch's list elements to the stored ones instead, so every update of an owned object (owner references,
 * containers, volumes) grew its lists, and the next reconcile saw a difference and patched again, forever.
 */
public final class ApiServerFaults extends Dispatcher implements CustomResourceAware, Resetable {

    private static final String APPLY_PATCH = "application/apply-patch+yaml";

    private final KubernetesMixedDispatcher store;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Consumer<RecordedRequest>> observers = new CopyOnWriteArrayList<>();

    /** Wraps {@code store}. */
    public ApiServerFaults(KubernetesMixedDispatcher store) {
        this.store = store;
    }

    /** A fault: requests it matches are answered with its code instead of reaching the store. */
    public static final class Fault {
        private final Predicate<RecordedRequest> matches;
        private final int code;
        private final AtomicInteger remaining;
        private final AtomicInteger hits = new AtomicInteger();

        private Fault(Predicate<RecordedRequest> matches, int code, int times) {
            this.matches = matches;
            this.code = code;
            this.remaining = new AtomicInteger(times);
        }

        /** How many requests it refused so far. */
        public int hits() {
            return hits.get();
        }

        /** Stops refusing. */
        public void clear() {
            remaining.set(0);
        }

        private boolean take(RecordedRequest request) {
            if (!matches.test(request)) {
                return false;
            }
            if (remaining.getAndUpdate(left -> left > 0 ? left - 1 : 0) <= 0) {
                return false;
            }
            hits.incrementAndGet();
            return true;
        }
    }

    /** Answers the next {@code times} requests that {@code matches} with {@code code}, a Kubernetes Status. */
    public Fault fail(Predicate<RecordedRequest> matches, int code, int times) {
        Fault fault = new Fault(matches, code, times);
        faults.add(fault);
        return fault;
    }

    /** Lets {@code observer} see every request before the store handles it. */
    public void observe(Consumer<RecordedRequest> observer) {
        observers.add(observer);
    }

    /** Whether the object at {@code path} exists in the store right now, without a request on the wire. */
    public boolean exists(String path) {
        RecordedRequest get = new RecordedRequest("HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(),
                new Buffer());
        return store.dispatch(get).code() == 200;
    }

    @Override
    public MockResponse dispatch(RecordedRequest received) {
        // Reading a recorded body empties its buffer: every reader gets its own copy of the bytes.
        byte[] body = received.getBody() == null ? new byte[0] : received.getBody().getBytes();
        observers.forEach(observer -> observer.accept(copy(received, body)));
        for (Fault fault : faults) {
            if (fault.take(copy(received, body))) {
                return new MockResponse().setResponseCode(fault.code).setBody(serialization.asJson(
                        new StatusBuilder().withCode(fault.code).withStatus("Failure")
                                .withMessage("injected by the test").build()));
            }
        }
        String contentType = received.getHeader("Content-Type");
        if (contentType != null && (contentType.startsWith(APPLY_PATCH)
                || contentType.startsWith(PatchType.JSON_MERGE.getContentType()))) {
            return mergeAndStore(received, serialization.unmarshal(new String(body, StandardCharsets.UTF_8),
                    Map.class));
        }
        try {
            return store.dispatch(copy(received, body));
        } catch (JsonPatchException failedTest) {
            // The CRUD store lets a JSON patch whose "test" fails escape, and the request is never answered (the
            // client waits for its timeout); a real API server answers 422.
            return new MockResponse().setResponseCode(422).setBody(serialization.asJson(new StatusBuilder()
                    .withCode(422).withStatus("Failure").withMessage(failedTest.getMessage()).build()));
        }
    }

    /** Merges {@code patch} into the stored object as RFC 7386 says and stores the result with a PUT. */
    private MockResponse mergeAndStore(RecordedRequest received, Map<?, ?> patch) {
        String path = received.getPath().replaceAll("\\?.*", "");
        MockResponse current = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, path,
                Headers.builder().build(), new Buffer()));
        if (current.code() != 200) {
            return current;
        }
        Object merged = merge(serialization.unmarshal(current.getBody().readUtf8(), Map.class), patch);
        return store.dispatch(new RecordedRequest(received.getHttpVersion(), HttpMethod.PUT, path,
                received.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
                new Buffer().writeUtf8(serialization.asJson(merged))));
    }

    /** RFC 7386: a map merges key by key, a null removes the key, anything else (lists too) replaces. */
    private static Object merge(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> patchMap)) {
            return patch;
        }
        Map<Object, Object> result = target instanceof Map<?, ?> targetMap ? new LinkedHashMap<>(targetMap)
                : new LinkedHashMap<>();
        patchMap.forEach((key, value) -> {
            if (value == null) {
                result.remove(key);
            } else {
                result.put(key, merge(result.get(key), value));
            }
        });
        return result;
    }

    private static RecordedRequest copy(RecordedRequest request, byte[] body) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                request.getHeaders(), new Buffer(body.clone()));
    }

    @Override
    public void expectCustomResource(CustomResourceDefinitionContext definition) {
        store.expectCustomResource(definition);
    }

    @Override
    public void reset() {
        store.reset();
    }

    @Override
    public void shutdown() {
        store.shutdown();
    }
}
