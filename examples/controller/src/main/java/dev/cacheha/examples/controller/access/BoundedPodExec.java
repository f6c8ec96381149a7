package dev.cacheha.examples.controller.access;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs at most {@code total} commands at once, and at most {@code perNamespace} of one namespace, so that one
 * tenant's commands (fifty backups that hang, say) never take every slot: the next command of a full namespace
 * waits in that namespace's queue, holding no thread, and starts when one of the namespace's commands ends. A
 * command still queued at its deadline fails as a late command does, with a {@link TimeoutException}, and never
 * starts.
 *
 * <p>Nothing here waits on a thread: the delegate is asynchronous ({@link PodExec}'s contract), so a caller that
 * does not block on the future (the reconcilers record the command as running and look again later) is never held
 * by a command.
 */
public final class BoundedPodExec implements PodExec {

    /** The least time a command that got its slot right at its deadline is given, rather than none. */
    private static final Duration MINIMUM = Duration.ofMillis(1);

    private final PodExec delegate;
    private final int total;
    private final int perNamespace;
    private final Map<String, Integer> running = new HashMap<>();
    /** The queues of namespaces with commands waiting, in the order their turn comes (round robin). */
    private final Map<String, Deque<Queued>> waiting = new LinkedHashMap<>();
    private int runningInAll;

    /** A command waiting for a slot, since {@code queuedAt} ({@link System#nanoTime()}). */
    private record Queued(Member member, String container, List<String> argv, Duration deadline, long queuedAt,
            CompletableFuture<Result> result) {

        /** What is left of the deadline: the time in the queue counts. */
        Duration remaining() {
            return deadline.minusNanos(System.nanoTime() - queuedAt);
        }
    }

    /**
     * @param delegate where a command runs once it has a slot
     * @param total how many commands run at once in all
     * @param perNamespace how many commands of one namespace run at once
     */
    public BoundedPodExec(PodExec delegate, int total, int perNamespace) {
        this.delegate = requireNonNull(delegate, "delegate");
        if (total < 1 || perNamespace < 1 || perNamespace > total) {
            throw new IllegalArgumentException("need 1 <= perNamespace <= total, but perNamespace is " + perNamespace
                    + " and total " + total);
        }
        this.total = total;
        this.perNamespace = perNamespace;
    }

    @Override
    public CompletableFuture<Result> exec(Member member, String container, List<String> argv, Duration deadline) {
        Queued command = new Queued(member, container, List.copyOf(argv), deadline, System.nanoTime(),
                new CompletableFuture<>());
        synchronized (this) {
            waiting.computeIfAbsent(member.namespace(), namespace -> new ArrayDeque<>()).add(command);
        }
        CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS).execute(() -> expire(command));
        startWhatFits();
        return command.result();
    }

    private void expire(Queued command) {
        boolean removed;
        synchronized (this) {
            Deque<Queued> queue = waiting.get(command.member().namespace());
            removed = queue != null && queue.remove(command);
            if (removed && queue.isEmpty()) {
                waiting.remove(command.member().namespace());
            }
        }
        if (removed) {
            command.result().completeExceptionally(new TimeoutException(command.argv() + " in "
                    + command.member().podName() + " waited its whole deadline of " + command.deadline().toMillis()
                    + " ms for a slot: namespace " + command.member().namespace() + " runs " + perNamespace
                    + " commands at once"));
        }
    }

    /**
     * Starts queued commands while slots are free: oldest first within a namespace, and the namespaces in turn, so
     * that a namespace with many commands queued does not go before one that came later with one command.
     */
    private void startWhatFits() {
        while (true) {
            Queued next;
            synchronized (this) {
                next = nextStartable();
                if (next == null) {
                    return;
                }
                running.merge(next.member().namespace(), 1, Integer::sum);
                runningInAll++;
            }
            start(next);
        }
    }

    private Queued nextStartable() {
        if (runningInAll >= total) {
            return null;
        }
        for (Map.Entry<String, Deque<Queued>> queue : waiting.entrySet()) {
            String namespace = queue.getKey();
            if (running.getOrDefault(namespace, 0) < perNamespace) {
                Deque<Queued> commands = waiting.remove(namespace);
                Queued next = commands.poll();
                if (!commands.isEmpty()) {
                    // To the back of the line: every other namespace with a free slot has its turn first.
                    waiting.put(namespace, commands);
                }
                return next;
            }
        }
        return null;
    }

    private void start(Queued command) {
        CompletableFuture<Result> started;
        try {
            Duration remaining = command.remaining();
            started = delegate.exec(command.member(), command.container(), command.argv(),
                    remaining.compareTo(MINIMUM) < 0 ? MINIMUM : remaining);
        } catch (RuntimeException refused) {
            started = CompletableFuture.failedFuture(refused);
        }
        started.whenComplete((result, failure) -> {
            synchronized (this) {
                running.merge(command.member().namespace(), -1, Integer::sum);
                runningInAll--;
            }
            if (failure != null) {
                command.result().completeExceptionally(failure);
            } else {
                command.result().complete(result);
            }
            startWhatFits();
        });
    }
}
