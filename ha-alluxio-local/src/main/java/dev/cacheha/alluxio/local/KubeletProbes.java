package dev.cacheha.alluxio.local;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * A container's rendered startup, readiness and liveness probes, run as the kubelet runs them against the live
 * process: each after its {@code initialDelaySeconds} from container start, every {@code periodSeconds}, each
 * attempt bounded by {@code timeoutSeconds}, passing or failing after {@code successThreshold} or
 * {@code failureThreshold} consecutive results; readiness and liveness only once the startup probe passed.
 *
 * <p>{@code tcpSocket} and {@code httpGet} probes run; a named port is the container's port of that name, mapped to
 * the member's loopback port. Where the kubelet would act (kill the container when startup or liveness fails),
 * this records the event and keeps probing, so a test sees what the kubelet would have done and when.
 */
public final class KubeletProbes implements AutoCloseable {

    /** Which probe. */
    public enum Kind { STARTUP, READINESS, LIVENESS }

    /**
     * A state change: the probe passed ({@code passing}) or failed its threshold, at {@code atNanos}
     * ({@link System#nanoTime()}).
     *
     * @param kind the probe
     * @param passing whether it now passes
     * @param atNanos when
     */
    public record Transition(Kind kind, boolean passing, long atNanos) {}

    /**
     * One probe attempt.
     *
     * @param kind the probe
     * @param startNanos when it started ({@link System#nanoTime()})
     * @param succeeded whether it succeeded within the timeout
     * @param elapsedNanos how long it took
     */
    public record Attempt(Kind kind, long startNanos, boolean succeeded, long elapsedNanos) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Container container;
    private final IntUnaryOperator localPort;
    private final long containerStart;
    private final List<Transition> transitions = Collections.synchronizedList(new ArrayList<>());
    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean ready;
    private volatile boolean closed;

    /**
     * Starts probing {@code container}, which was started at {@code containerStartNanos}.
     *
     * @param localPort the loopback port behind one of the container's ports (as the pod spec numbers it)
     */
    public KubeletProbes(Container container, long containerStartNanos, IntUnaryOperator localPort) {
        for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(),
                container.getLivenessProbe())) {
            if (probe.getTcpSocket() == null && probe.getHttpGet() == null) {
                throw new IllegalArgumentException("the stand-in runs tcpSocket and httpGet probes only: " + probe);
            }
        }
        this.container = container;
        this.localPort = localPort;
        this.containerStart = containerStartNanos;
        run(Kind.STARTUP, container.getStartupProbe());
        run(Kind.READINESS, container.getReadinessProbe());
        run(Kind.LIVENESS, container.getLivenessProbe());
    }

    /** Whether the readiness probe passes: the pod counts as available. */
    public boolean isReady() {
        return ready;
    }

    /** Whether the startup probe has passed. */
    public boolean hasStarted() {
        return started.getCount() == 0;
    }

    /** Every state change so far, in order. */
    public List<Transition> transitions() {
        synchronized (transitions) {
            return List.copyOf(transitions);
        }
    }

    /** Every attempt so far, in order of completion. */
    public List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** The times the liveness probe failed its threshold: when the kubelet would have restarted the container. */
    public List<Long> livenessFailures() {
        return transitions().stream().filter(t -> t.kind() == Kind.LIVENESS && !t.passing())
                .map(Transition::atNanos).toList();
    }

    /** Stops probing. */
    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }

    private void run(Kind kind, Probe probe) {
        Thread thread = new Thread(() -> loop(kind, probe), container.getName() + "-" + kind);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void loop(Kind kind, Probe probe) {
        try {
            long first = containerStart + TimeUnit.SECONDS.toNanos(orDefault(probe.getInitialDelaySeconds(), 0));
            sleepUntil(first);
            if (kind != Kind.STARTUP) {
                // Readiness and liveness wait for the startup probe, however long it takes.
                started.await();
            }
            int successes = 0;
            int failures = 0;
            boolean passing = kind == Kind.LIVENESS;
            long next = System.nanoTime();
            while (!closed) {
                long attemptStart = System.nanoTime();
                boolean ok = attempt(probe);
                attempts.add(new Attempt(kind, attemptStart, ok, System.nanoTime() - attemptStart));
                successes = ok ? successes + 1 : 0;
                failures = ok ? 0 : failures + 1;
                if (!passing && successes >= orDefault(probe.getSuccessThreshold(), 1)) {
                    passing = true;
                    transition(kind, true);
                } else if ((passing || kind != Kind.READINESS)
                        && failures >= orDefault(probe.getFailureThreshold(), 3)) {
                    passing = false;
                    failures = 0;
                    transition(kind, false);
                }
                if (kind == Kind.STARTUP && passing) {
                    return;
                }
                next += TimeUnit.SECONDS.toNanos(orDefault(probe.getPeriodSeconds(), 10));
                sleepUntil(Math.max(next, System.nanoTime()));
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    private void transition(Kind kind, boolean passing) {
        transitions.add(new Transition(kind, passing, System.nanoTime()));
        if (kind == Kind.STARTUP && passing) {
            started.countDown();
        }
        if (kind == Kind.READINESS) {
            ready = passing;
        }
    }

    private boolean attempt(Probe probe) {
        Duration timeout = Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1));
        if (probe.getTcpSocket() != null) {
            int port = port(probe.getTcpSocket().getPort());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LoopbackMapping.LOOPBACK_HOST, port), (int) timeout.toMillis());
                return true;
            } catch (IOException refused) {
                return false;
            }
        }
        int port = port(probe.getHttpGet().getPort());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + LoopbackMapping.LOOPBACK_HOST + ":" + port
                + probe.getHttpGet().getPath())).timeout(timeout).GET().build();
        try {
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400;
        } catch (IOException failed) {
            return false;
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int port(IntOrString port) {
        int planPort = port.getStrVal() == null
                ? port.getIntVal()
                : container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no port " + port.getStrVal() + " in "
                                + container.getName()))
                        .getContainerPort();
        return localPort.applyAsInt(planPort);
    }

    /**
     * A probe field as the kubelet reads it: the API server leaves a zero {@code initialDelaySeconds} out of the
     * pod it stores, and a spec written by hand may leave out any field, which then has Kubernetes' default.
     */
    private static int orDefault(Integer value, int kubernetesDefault) {
        return value == null ? kubernetesDefault : value;
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
