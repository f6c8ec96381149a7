package dev.cacheha.testkit;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The replies scripted for each pod, keyed by what a request asks for (a path, an argument vector), and the
 * futures handed out for them. Closing it fails every future still hanging, so nothing a test started
 * waits on after the test.
 *
 * @param <K> what a request is matched on
 * @param <T> what an answer carries
 */
final class ScriptedReplies<K, T> implements AutoCloseable {

    private final Map<String, Map<K, Reply<T>>> byPod = new HashMap<>();
    private final Map<String, Reply<T>> fallbackByPod = new HashMap<>();
    private final Set<CompletableFuture<T>> hanging = ConcurrentHashMap.newKeySet();
    private boolean closed;

    synchronized void script(String pod, K key, Reply<T> reply) {
        byPod.computeIfAbsent(pod, p -> new LinkedHashMap<>()).put(key, reply);
    }

    synchronized void scriptFallback(String pod, Reply<T> reply) {
        fallbackByPod.put(pod, reply);
    }

    synchronized void replaceAll(String pod, Reply<T> reply) {
        byPod.remove(pod);
        fallbackByPod.put(pod, reply);
    }

    synchronized void transform(String pod, UnaryOperator<Reply<T>> rewrite) {
        byPod.computeIfPresent(pod, (p, replies) -> {
            replies.replaceAll((key, reply) -> rewrite.apply(reply));
            return replies;
        });
        fallbackByPod.computeIfPresent(pod, (p, reply) -> rewrite.apply(reply));
    }

    /**
     * Plays the reply of {@code pod} whose key matches best: {@code matchLength} is negative for a key that
     * does not match, and larger for a closer match. Without a match the pod's fallback plays; without
     * one the future fails, as an unknown request to a real member would.
     */
    CompletableFuture<T> play(String pod, ToIntFunction<K> matchLength, String request) {
        Reply<T> reply;
        synchronized (this) {
            reply = byPod.getOrDefault(pod, Map.of()).entrySet().stream()
                    .filter(entry -> matchLength.applyAsInt(entry.getKey()) >= 0)
                    .max((a, b) -> Integer.compare(matchLength.applyAsInt(a.getKey()),
                            matchLength.applyAsInt(b.getKey())))
                    .map(Map.Entry::getValue)
                    .orElse(fallbackByPod.get(pod));
            if (closed) {
                return CompletableFuture.failedFuture(new CancellationException("the scripted cluster is closed"));
            }
            if (reply == null) {
                return CompletableFuture.failedFuture(
                        new IOException("nothing scripted for " + request + " on " + pod));
            }
            // Started under the lock, so a hang registered here is always seen by close().
            return start(reply);
        }
    }

    private CompletableFuture<T> start(Reply<T> reply) {
        if (reply instanceof Reply.Answer<T> answer) {
            return answer.delay().isZero()
                    ? CompletableFuture.completedFuture(answer.value())
                    : CompletableFuture.supplyAsync(answer::value,
                            CompletableFuture.delayedExecutor(answer.delay().toNanos(), TimeUnit.NANOSECONDS));
        }
        if (reply instanceof Reply.Failure<T> failure) {
            return CompletableFuture.failedFuture(failure.cause());
        }
        CompletableFuture<T> never = new CompletableFuture<>();
        hanging.add(never);
        return never;
    }

    /** Fails every hanging future; later requests fail at once. */
    @Override
    public void close() {
        List<CompletableFuture<T>> released;
        synchronized (this) {
            closed = true;
            released = List.copyOf(hanging);
            hanging.clear();
        }
        // Completed outside the lock: a caller's callback may script or play again.
        released.forEach(future -> future.completeExceptionally(
                new CancellationException("the scripted cluster was closed while this request hung")));
    }
}
