package dev.cacheha.examples.controller.access;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Commands a reconcile started and a later reconcile collects, so that no reconcile waits for one: the first
 * reconcile starts the command and records that it runs, later ones find it still running (and reschedule) or
 * take its outcome. The framework never reconciles one resource on two threads at once, so one key is never
 * started twice. Held in memory only: a new controller process starts a command whose outcome was not recorded
 * again, which every step the controller runs this way allows (they are idempotent).
 *
 * @param <T> what a command ends with
 */
public final class CommandsInFlight<T> {

    private final Map<String, CompletableFuture<T>> running = new ConcurrentHashMap<>();

    /**
     * The command under {@code key}, started with {@code start} if none runs: its future once it is done (and
     * then forgotten), or empty while it runs.
     */
    public Optional<CompletableFuture<T>> done(String key, Supplier<CompletableFuture<T>> start) {
        if (!started(key)) {
            running.put(key, start.get());
        }
        return done(key);
    }

    /** Whether a command under {@code key} was started and its outcome not taken yet. */
    public boolean started(String key) {
        return running.containsKey(key);
    }

    /** The {@linkplain #started started} command under {@code key}: its future once done (then forgotten). */
    public Optional<CompletableFuture<T>> done(String key) {
        CompletableFuture<T> command = running.get(key);
        if (command == null || !command.isDone()) {
            return Optional.empty();
        }
        running.remove(key);
        return Optional.of(command);
    }

    /** Forgets every command whose key starts with {@code prefix} (a deleted resource's), running or not. */
    public void forget(String prefix) {
        running.keySet().removeIf(key -> key.startsWith(prefix));
    }
}
