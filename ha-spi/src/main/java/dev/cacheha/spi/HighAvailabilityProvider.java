package dev.cacheha.spi;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;

/**
 * Master high availability for one cache engine: the {@link java.util.ServiceLoader} service of cache-ha.
 *
 * <p>A provider turns an engine-neutral {@link HaSpec} into the engine's raft configuration and Kubernetes
 * objects, finds the leading master, and names the claims to delete with a runtime. Providers are stateless
 * and thread-safe, have a public no-argument constructor, and are found with
 * {@link HighAvailabilityProviders}. New operations are added as default methods, so a provider written
 * against an older version keeps working.
 */
public interface HighAvailabilityProvider {

    /** The engine's name, such as {@code alluxio}: lower case, stable, unique among installed providers. */
    String engine();

    /**
     * The engine's facts that every spec is checked against, beside the SPI's own rules: its object-name
     * suffix, its ports with their defaults, the properties it generates. Stated as data, so that
     * {@link HaSpec.Builder#build(HighAvailabilityProvider)} reports a violation of these and of the SPI's
     * rules in one pass. The default states none.
     */
    default EngineRules rules() {
        return EngineRules.none(engine());
    }

    /**
     * Checks the rules this engine adds to those every {@link HaSpec} already obeys. The default checks
     * {@link #rules()}; an override adds its own checks to {@code rules().violations(spec)} and throws once.
     *
     * @throws SpecValidationException listing every violation
     */
    default void validate(HaSpec spec) {
        SpecValidationException.throwIfAny(rules().violations(spec));
    }

    /**
     * The engine properties, journal addresses and Kubernetes objects for {@code spec}. Equal specs give
     * equal plans.
     *
     * @throws SpecValidationException if {@link #validate(HaSpec)} refuses the spec; nothing is planned then
     */
    HaPlan plan(HaSpec spec);

    /**
     * A discovery of the leading master of the quorum described by {@code spec}, reaching the members only
     * through {@code access}.
     *
     * @throws SpecValidationException if {@link #validate(HaSpec)} refuses the spec
     */
    LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access);

    /**
     * Of {@code existingClaims} (typically every claim in the runtime's namespace), the ones the runtime
     * described by {@code spec} owns and that are deleted with it. Every other claim is kept with a reason;
     * claims of other runtimes, including ones with look-alike names, are never selected.
     */
    CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims);

    /**
     * The steps to take the running quorum of {@code spec} to {@code newReplicas} masters.
     *
     * @throws SpecValidationException if the change would pass through a state without a quorum, or the new
     *     size is itself invalid; the violation says why
     * @throws UnsupportedOperationException if this provider cannot change a running quorum's size
     */
    default ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        throw new UnsupportedOperationException("the " + engine() + " provider cannot change the replica count"
                + " of a running quorum");
    }
}
