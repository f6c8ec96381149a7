package dev.cacheha.examples.benchmarks.plan;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a controller pays on every reconcile: building and validating the spec, and rendering the plan, for
 * each quorum size a spec may ask for. The provider is looked up through the SPI registry, as a controller
 * does, so the figures include nothing a controller would not also run.
 *
 * <p>{@link #fabric8Copy()} is a baseline, not cache-ha code: fabric8's own builders copying the finished
 * plan's objects. The plan is built with the same builders, so this is roughly the least any plan made of
 * these objects with fabric8 builders can cost.
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
    private List<HasMetadata> planObjects;

    /** Loads the provider once, builds the spec the plan benchmark renders, and renders it once for the copy. */
    @Setup
    public void loadProvider() {
        provider = HighAvailabilityProviders.load().get(ENGINE);
        spec = spec(replicas);
        planObjects = provider.plan(spec).objects();
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

    /** Copies every object of the plan with its fabric8 builder: the builders' share of {@link #plan()}. */
    @Benchmark
    public List<HasMetadata> fabric8Copy() {
        return planObjects.stream().map(PlanBenchmark::copy).toList();
    }

    static HasMetadata copy(HasMetadata object) {
        if (object instanceof StatefulSet statefulSet) {
            return new StatefulSetBuilder(statefulSet).build();
        }
        if (object instanceof Service service) {
            return new ServiceBuilder(service).build();
        }
        if (object instanceof ConfigMap configMap) {
            return new ConfigMapBuilder(configMap).build();
        }
        if (object instanceof PodDisruptionBudget budget) {
            return new PodDisruptionBudgetBuilder(budget).build();
        }
        if (object instanceof NetworkPolicy policy) {
            return new NetworkPolicyBuilder(policy).build();
        }
        throw new IllegalStateException("the baseline has no builder for a " + object.getKind()
                + "; add one so that it copies the whole plan");
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
