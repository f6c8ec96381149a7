package dev.cacheha.examples.controller.metrics;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The controller's own meters, registered in the same {@link MeterRegistry} as JOSDK's
 * {@code MicrometerMetrics}, so they are scraped the way the framework's are:
 * <ul>
 *   <li>{@value #QUORUM_HEALTH}{@code {namespace, name, health}}: 1 for the runtime's current health, 0 for
 *       the other three, so an alert can be {@code cacheha_quorum_health{health="NO_QUORUM"} == 1};</li>
 *   <li>{@value #DISCOVERY_LATENCY}{@code {engine}}: how long leader discovery took, a timer;</li>
 *   <li>{@value #RECONCILE_OUTCOMES}{@code {outcome}}: how reconciles ended, a counter per {@link Outcome}.</li>
 * </ul>
 */
public final class ControllerMetrics {

    /** Gauge name of a runtime's quorum health. */
    public static final String QUORUM_HEALTH = "cacheha.quorum.health";
    /** Timer name of leader discovery. */
    public static final String DISCOVERY_LATENCY = "cacheha.discovery.latency";
    /** Counter name of reconcile outcomes. */
    public static final String RECONCILE_OUTCOMES = "cacheha.reconcile.outcomes";

    /** How a reconcile ended. */
    public enum Outcome {
        /** Everything is as planned; nothing was written. */
        UNCHANGED,
        /** Objects were created, updated or pruned. */
        APPLIED,
        /** A replica change or a rolling restart is under way; the reconcile comes back later. */
        PROGRESSING,
        /** The spec breaks a rule; nothing was applied. */
        REFUSED,
        /** An object with a planned name belongs to someone else; nothing was applied. */
        BLOCKED,
        /**
         * An object changed after the informers saw it and the API server refused the write against the older
         * version; the change's watch event brings the runtime back. Normal under load, not a failure.
         */
        SUPERSEDED,
        /** The API server refused or could not be reached; the framework retries. */
        FAILED
    }

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<LeaderStatus.Health>> health = new ConcurrentHashMap<>();
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    /** Meters in {@code registry}. */
    public ControllerMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder(RECONCILE_OUTCOMES).tag("outcome", outcome.name())
                    .description("reconciles of CacheRuntimes by how they ended").register(registry));
        }
    }

    /** Runs {@code discovery}, timing it for {@code engine}. */
    public LeaderStatus discover(String engine, LeaderDiscovery discovery) {
        Timer timer = Timer.builder(DISCOVERY_LATENCY).tag("engine", engine)
                .description("leader discovery, asking every member").register(registry);
        return timer.record(discovery::discover);
    }

    /** Records the quorum health of runtime {@code name} in {@code namespace}. */
    public void health(String namespace, String name, LeaderStatus.Health current) {
        health.computeIfAbsent(namespace + "/" + name, key -> {
            AtomicReference<LeaderStatus.Health> state = new AtomicReference<>(current);
            for (LeaderStatus.Health each : LeaderStatus.Health.values()) {
                Gauge.builder(QUORUM_HEALTH, state, value -> value.get() == each ? 1 : 0)
                        .tags(Tags.of("namespace", namespace, "name", name, "health", each.name()))
                        .description("1 for the runtime's quorum health, 0 for the others")
                        .register(registry);
            }
            return state;
        }).set(current);
    }

    /** Removes the health gauges of a deleted runtime. */
    public void forget(String namespace, String name) {
        if (health.remove(namespace + "/" + name) != null) {
            registry.find(QUORUM_HEALTH).tags("namespace", namespace, "name", name).gauges()
                    .forEach(registry::remove);
        }
    }

    /** Counts one reconcile that ended with {@code outcome}. */
    public void reconciled(Outcome outcome) {
        outcomes.get(outcome).increment();
    }
}
