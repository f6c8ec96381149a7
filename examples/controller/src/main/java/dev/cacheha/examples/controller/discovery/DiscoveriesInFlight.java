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
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leader discoveries run off the reconcile threads, so that no reconcile waits for a member: a provider's discovery
 * may fall back to commands in the pods (Alluxio's CLI, up to two command deadlines of 30 s), and a reconcile that
 * waited for them held one of the framework's few worker threads while a hung tenant's runtimes took them all.
 *
 * <p>One pool for the whole controller: runtimes and backups ask through a {@link Caller} each (its own event
 * source wakes its own resources), and share the pool's bounds, so that at most {@code total} discoveries run at
 * once in all and {@code perNamespace} of one namespace, whoever asked for them. A tenant's backups therefore
 * count against the same per-namespace share as its runtimes and cannot double what it may run.
 *
 * <p>A reconcile asks for an answer: a discovery finished since the last one was taken is handed over (once); else
 * one is started, and waited for a short {@code inlineWait} (an HTTP discovery answers in milliseconds, so most
 * reconciles go on as before). A discovery still running then is left running on its own thread; the reconcile
 * ends without acting on a guess (its status keeps the last known answer), and the discovery's end wakes the
 * resource through its caller's {@link Caller#eventSource()}. A resource that finds no free slot waits in line,
 * holding no thread, and is woken when a slot of its namespace frees. A resource that is deleted has its
 * discoveries {@linkplain Caller#forget forgotten} by its reconciler, so that no finished answer is held for it.
 */
public final class DiscoveriesInFlight {

    /**
     * How long the controller's reconciles wait for the leader discovery they started before they leave it running
     * off the thread: long enough for an HTTP discovery, far shorter than a command's deadline.
     */
    public static final Duration INLINE_WAIT = Duration.ofMillis(250);

    private final int total;
    private final int perNamespace;
    private final Duration inlineWait;
    private final Executor threads;
    /** By caller and key: discoveries running, or finished and not taken yet. */
    private final Map<Key, Running> running = new HashMap<>();
    /** By namespace: how many discoveries run. */
    private final Map<String, Integer> runningIn = new HashMap<>();
    /** Resources that found no free slot, oldest first, with their namespace. */
    private final Map<Waiter, String> waiting = new LinkedHashMap<>();
    private int runningInAll;

    /** A discovery's key as its caller names it; two callers' keys never meet. */
    private record Key(Caller<?> caller, String key) {
    }

    /** A resource of a caller waiting for a slot. */
    private record Waiter(Caller<?> caller, ResourceID resource) {
        void wake() {
            caller.wakeUps.propagateEvent(resource);
        }
    }

    /** One discovery; {@code unattended} once the reconcile that started it stopped waiting for it. */
    private static final class Running {
        final Waiter owner;
        final String namespace;
        final CompletableFuture<LeaderStatus> answer = new CompletableFuture<>();
        boolean unattended;

        Running(Waiter owner, String namespace) {
            this.owner = owner;
            this.namespace = namespace;
        }
    }

    /**
     * A pool whose discoveries run each on a thread of their own (a daemon thread, made when needed).
     *
     * @param total how many discoveries run at once in all
     * @param perNamespace how many discoveries of one namespace run at once
     * @param inlineWait how long a reconcile waits for the discovery it started before it leaves it running
     */
    public DiscoveriesInFlight(int total, int perNamespace, Duration inlineWait) {
        this(total, perNamespace, inlineWait, Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "cache-ha-discovery");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /**
     * A pool whose discoveries run on {@code threads}, which must run each task it is given (the bounds are this
     * pool's): a test holds them there to see what a discovery under way leaves behind.
     *
     * @param total how many discoveries run at once in all
     * @param perNamespace how many discoveries of one namespace run at once
     * @param inlineWait how long a reconcile waits for the discovery it started before it leaves it running
     * @param threads where each discovery runs
     */
    public DiscoveriesInFlight(int total, int perNamespace, Duration inlineWait, Executor threads) {
        if (total < 1 || perNamespace < 1 || perNamespace > total) {
            throw new IllegalArgumentException("need 1 <= perNamespace <= total, but perNamespace is " + perNamespace
                    + " and total " + total);
        }
        this.total = total;
        this.perNamespace = perNamespace;
        this.inlineWait = requireNonNull(inlineWait, "inlineWait");
        this.threads = requireNonNull(threads, "threads");
    }

    /**
     * A new caller of this pool, for the reconciler of resources {@code P}: its discoveries share this pool's
     * bounds, and its resources are woken through its own event source.
     *
     * @param name the name of the caller's event source
     */
    public <P extends HasMetadata> Caller<P> caller(String name) {
        return new Caller<>(name);
    }

    /** How many discoveries run now, whoever asked for them. */
    public synchronized int running() {
        return runningInAll;
    }

    /**
     * How many discoveries whose key starts with {@code prefix} (a resource's UID) are held for their callers,
     * running or finished and not taken: what a deleted resource must not leave behind.
     */
    public synchronized int held(String prefix) {
        return (int) running.keySet().stream().filter(key -> key.key().startsWith(prefix)).count();
    }

    /**
     * The discoveries of one kind of resource, asked by its reconciler.
     *
     * @param <P> the resource whose reconciles ask
     */
    public final class Caller<P extends HasMetadata> {

        private final SimpleInboundEventSource<P> wakeUps;

        private Caller(String name) {
            this.wakeUps = new SimpleInboundEventSource<>(requireNonNull(name, "name"));
        }

        /** The event source that wakes a resource whose discovery ended or that may start one now. */
        public SimpleInboundEventSource<P> eventSource() {
            return wakeUps;
        }

        /**
         * The answer of the discovery {@code key} (a resource and the members it asks, unique among this caller's
         * keys) of {@code owner}: a finished one, taken once; else the one started now if it finishes within the
         * inline wait; else empty, and the owner is woken when there is an answer (or a slot for its discovery).
         *
         * @throws CompletionException if the discovery failed (a provider's discovery broke its contract)
         */
        public Optional<LeaderStatus> answer(P owner, String key, LeaderDiscovery discovery) {
            return DiscoveriesInFlight.this.answer(new Waiter(this, ResourceID.fromResource(owner)),
                    owner.getMetadata().getNamespace(), new Key(this, key), discovery);
        }

        /**
         * Forgets every discovery of this caller whose key starts with {@code prefix} (a deleted resource's):
         * running ones run out, and their end wakes no one. (A deleted resource still in line for a slot leaves
         * the line when a slot frees, as every waiter does.)
         */
        public void forget(String prefix) {
            synchronized (DiscoveriesInFlight.this) {
                running.keySet().removeIf(key -> key.caller() == this && key.key().startsWith(prefix));
            }
        }

        /**
         * Forgets every discovery of this caller whose key starts with {@code prefix} but is not {@code keep}:
         * answers about what is no longer there (a replaced pod's) are never handed over; running ones run out.
         */
        public void forgetOthers(String prefix, String keep) {
            synchronized (DiscoveriesInFlight.this) {
                running.keySet().removeIf(key -> key.caller() == this && key.key().startsWith(prefix)
                        && !key.key().equals(keep));
            }
        }
    }

    private Optional<LeaderStatus> answer(Waiter owner, String namespace, Key key, LeaderDiscovery discovery) {
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
                waiting.putIfAbsent(owner, namespace);
                return Optional.empty();
            }
            waiting.remove(owner);
            started = new Running(owner, namespace);
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
                // Its end wakes the owner: the answer is taken by that reconcile.
                started.unattended = true;
                return Optional.empty();
            }
            running.remove(key, started);
        }
        return Optional.of(started.answer.join());
    }

    private void ended(Key key, Running discovery, LeaderStatus answer, Throwable failure) {
        List<Waiter> wake = new ArrayList<>();
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
        new LinkedHashSet<>(wake).forEach(Waiter::wake);
    }

    /**
     * Every waiting resource whose namespace has a free slot now, oldest first, taken out of the line: each tries
     * again, one takes the slot, and the others queue again. Waking one alone could leave the slot free for good
     * if its reconcile no longer needs a discovery.
     */
    private List<Waiter> waitingWithRoom() {
        List<Waiter> room = new ArrayList<>();
        if (runningInAll >= total) {
            return room;
        }
        for (var iterator = waiting.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<Waiter, String> next = iterator.next();
            if (runningIn.getOrDefault(next.getValue(), 0) < perNamespace) {
                iterator.remove();
                room.add(next.getKey());
            }
        }
        return room;
    }
}
