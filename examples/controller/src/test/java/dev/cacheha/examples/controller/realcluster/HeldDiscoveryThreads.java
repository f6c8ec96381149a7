package dev.cacheha.examples.controller.realcluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where the controller's leader discoveries run in a test: on threads of their own, as in production, except while
 * the test {@linkplain #hold() holds} them, when each waits, not started, until {@link #release()}. A discovery
 * held so stays under way for as long as the test needs, which no member's answer (bounded by the access deadline)
 * guarantees.
 */
final class HeldDiscoveryThreads implements Executor {

    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-discovery");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;

    @Override
    public synchronized void execute(Runnable discovery) {
        if (holding) {
            held.add(discovery);
        } else {
            threads.execute(discovery);
        }
    }

    /** Discoveries given from now on wait until {@link #release()}. */
    synchronized void hold() {
        holding = true;
    }

    /** Starts every held discovery, and every later one at once. */
    synchronized void release() {
        holding = false;
        held.forEach(threads::execute);
        held.clear();
    }

    /** How many discoveries wait, held. */
    synchronized int waiting() {
        return held.size();
    }

    /** Stops the threads (each discovery ends within its own deadline). */
    void close() {
        release();
        threads.shutdown();
    }
}
