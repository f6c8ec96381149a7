package dev.cacheha.examples.controller.discovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leader discoveries run off the reconcile threads, so that no reconcile waits for a member: a provider's discovery
 * may fall back to commands in the pods (Alluxio's CLI, up to two command deadlines of 30 s), and a reconcile that
 * waited for them held one of the framework's few worker threads while a hung tenant's runtimes took them all.
 *
 * <p>A reconcile asks for an answer: a discovery finished since the last one was taken is handed over (once); else
 * one is started, and waited for a short {@code inlineWait} (an HTTP discovery answers in milliseconds, so most
 * reconciles go on as before). A discovery still running then is left running on its own thread; the reconcile
 * ends without acting on a guess (its status keeps the last known answer), and the discovery's end wakes the
 * runtime through {@link #eventSource()}. At most {@code total} discoveries run at once, and {@code perNamespace}
 * of one namespace; a runtime that finds no free slot waits in line, holding no thread, and is woken when a slot
 * of its namespace frees.
 *
 * @param <P> the resource whose reconciles ask
 */
public final class DiscoveriesInFlight<P extends HasMetadata> {

    /**
     * How long the controller's reconciles wait for the leader discovery they started before they leave it running
     * off the thread: long enough for an HTTP discovery, far shorter than a command's deadline.
     */
    public static final Duration INLINE_WAIT = Duration.ofMillis(250);

    private final int total;
    private final int perNamespace;
    private final Duration inlineWait;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "cache-ha-discovery");
        thread.setDaemon(true);
        return thread;
    });
    private final SimpleInboundEventSource<P> wakeUps = new SimpleInboundEventSource<>("leader-discoveries");
    /** By key: discoveries running, or finished and not taken yet. */
    private final Map<String, Running> running = new HashMap<>();
    /** By namespace: how many discoveries run. */
    private final Map<String, Integer> runningIn = new HashMap<>();
    /** Runtimes that found no free slot, oldest first, with their namespace. */
    private final Map<ResourceID, String> waiting = new LinkedHashMap<>();
    private int runningInAll;

    /** One discovery; {@code unattended} once the reconcile that started it stopped waiting for it. */
    private static final class Running {
        final ResourceID owner;
        final String namespace;
        final CompletableFuture<LeaderStatus> answer = new CompletableFuture<>();
        boolean unattended;

        Running(ResourceID owner, String namespace) {
            this.owner = owner;
            this.namespace = namespace;
        }
    }

    /**
     * @param total how many discoveries run at once in all
     * @param perNamespace how many discoveries of one namespace run at once
     * @param inlineWait how long a reconcile waits for the discovery it started before it leaves it running
     */
    public DiscoveriesInFlight(int total, int perNamespace, Duration inlineWait) {
        if (total < 1 || perNamespace < 1 || perNamespace > total) {
            throw new IllegalArgumentException("need 1 <= perNamespace <= total, but perNamespace is " + perNamespace
                    + " and total " + total);
        }
        this.total = total;
        this.perNamespace = perNamespace;
        this.inlineWait = requireNonNull(inlineWait, "inlineWait");
    }

    /** The event source that wakes a runtime whose discovery ended or that may start one now. */
    public SimpleInboundEventSource<P> eventSource() {
        return wakeUps;
    }

    /**
     * The answer of the discovery {@code key} (a runtime and the members it asks) of {@code owner}: a finished one,
     * taken once; else the one started now if it finishes within the inline wait; else empty, and the owner is
     * woken when there is an answer (or a slot for its discovery).
     *
     * @throws CompletionException if the discovery failed (a provider's discovery broke its contract)
     */
    public Optional<LeaderStatus> answer(P owner, String key, LeaderDiscovery discovery) {
        ResourceID id = ResourceID.fromResource(owner);
        String namespace = owner.getMetadata().getNamespace();
        Running started;
        synchronized (this) {
            Running known = running.get(key);
            if (known != null) {
                if (!known.answer.isDone()) {
                    return Optional.empty();
                }
                running.remove(key);
                return Optional.of(known.answer.join());
            }
            if (runningInAll >= total || runningIn.getOrDefault(namespace, 0) >= perNamespace) {
                waiting.putIfAbsent(id, namespace);
                return Optional.empty();
            }
            waiting.remove(id);
            started = new Running(id, namespace);
            running.put(key, started);
            runningIn.merge(namespace, 1, Integer::sum);
            runningInAll++;
        }
        CompletableFuture.supplyAsync(discovery::discover, threads)
                .whenComplete((answer, failure) -> ended(key, started, answer, failure));
        try {
            started.answer.get(inlineWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException stillRunningOrFailed) {
            // Looked at below, under the lock that its end takes too.
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!started.answer.isDone()) {
                // Its end wakes the runtime: the answer is taken by that reconcile.
                started.unattended = true;
                return Optional.empty();
            }
            running.remove(key, started);
        }
        return Optional.of(started.answer.join());
    }

    /** Forgets every discovery whose key starts with {@code prefix} (a deleted runtime's); running ones run out. */
    public synchronized void forget(String prefix) {
        running.keySet().removeIf(key -> key.startsWith(prefix));
    }

    /**
     * Forgets every discovery whose key starts with {@code prefix} but is not {@code keep}: answers of what is no
     * longer there (a replaced pod's) are never handed over; running ones run out.
     */
    public synchronized void forgetOthers(String prefix, String keep) {
        running.keySet().removeIf(key -> key.startsWith(prefix) && !key.equals(keep));
    }

    private void ended(String key, Running discovery, LeaderStatus answer, Throwable failure) {
        List<ResourceID> wake = new ArrayList<>();
        synchronized (this) {
            runningIn.merge(discovery.namespace, -1, Integer::sum);
            runningIn.remove(discovery.namespace, 0);
            runningInAll--;
            // Completed under the lock: the reconcile that started it either takes the answer itself or has left
            // it unattended, never neither.
            if (failure != null) {
                discovery.answer.completeExceptionally(failure);
            } else {
                discovery.answer.complete(answer);
            }
            if (discovery.unattended && running.get(key) == discovery) {
                wake.add(discovery.owner);
            }
            wake.addAll(waitingWithRoom());
        }
        new LinkedHashSet<>(wake).forEach(wakeUps::propagateEvent);
    }

    /**
     * Every waiting runtime whose namespace has a free slot now, oldest first, taken out of the line: each tries
     * again, one takes the slot, and the others queue again. Waking one alone could leave the slot free for good
     * if its reconcile no longer needs a discovery.
     */
    private List<ResourceID> waitingWithRoom() {
        List<ResourceID> room = new ArrayList<>();
        if (runningInAll >= total) {
            return room;
        }
        for (var iterator = waiting.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<ResourceID, String> next = iterator.next();
            if (runningIn.getOrDefault(next.getValue(), 0) < perNamespace) {
                iterator.remove();
                room.add(next.getKey());
            }
        }
        return room;
    }
}
