package dev.cacheha.examples.benchmarks.plan;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a controller pays on every reconcile: building and validating the spec, and rendering the plan, for
 * each quorum size a spec may ask for. The provider is looked up through the SPI registry, as a controller
 * does, so the figures include nothing a controller would not also run.
 */
@State(Scope.Benchmark)
public class PlanBenchmark {

    /** The engine whose plan is measured. */
    public static final String ENGINE = "alluxio";

    /** The quorum sizes a spec may ask for. */
    @Param({"1", "3", "5", "7"})
    public int replicas;

    private HighAvailabilityProvider provider;
    private HaSpec spec;

    /** Loads the provider once and builds the spec the plan benchmark renders. */
    @Setup
    public void loadProvider() {
        provider = HighAvailabilityProviders.load().get(ENGINE);
        spec = spec(replicas);
    }

    /** Renders the whole plan: properties, journal addresses and every Kubernetes object. */
    @Benchmark
    public HaPlan plan() {
        return provider.plan(spec);
    }

    /** Builds a spec from scratch, which checks every engine-neutral rule, then the engine's own rules. */
    @Benchmark
    public HaSpec validate() {
        HaSpec built = spec(replicas);
        provider.validate(built);
        return built;
    }

    /**
     * A spec as a controller would build it from a runtime object: a sized persistent journal, one port
     * override, a few tuning properties and the journal NetworkPolicy, so validation and rendering walk every
     * branch that carries data.
     */
    static HaSpec spec(int replicas) {
        return HaSpec.builder("sales-cache", "analytics")
                .replicas(replicas)
                .journal(JournalStorage.persistentVolume("20Gi").withStorageClass("fast-ssd"))
                .port("web", 19999)
                .property("alluxio.master.embedded.journal.election.timeout.min", "10s")
                .property("alluxio.master.embedded.journal.election.timeout.max", "20s")
                .property("alluxio.user.file.writetype.default", "CACHE_THROUGH")
                .restrictJournalTraffic(true)
                .build();
    }
}
