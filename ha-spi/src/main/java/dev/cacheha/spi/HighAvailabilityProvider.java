package dev.cacheha.spi;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;
import java.util.Set;

/**
 * Master high availability for one cache engine: the {@link java.util.ServiceLoader} service of cache-ha.
 *
 * <p>A provider turns an engine-neutral {@link HaSpec} into the engine's raft configuration and Kubernetes
 * objects, finds the leading master, and names the claims to delete with a runtime. Providers are stateless
 * and thread-safe, have a public no-argument constructor, and are found with
 * {@link HighAvailabilityProviders}. New operations are added as default methods, so a provider written
 * against an older version keeps working; {@link #capabilities()} says which of the optional ones it offers.
 *
 * <p><b>A spec is validated once per call path, where it enters.</b> A caller builds it with
 * {@link HaSpec.Builder#build(HighAvailabilityProvider)}, which checks the SPI's and this provider's rules in one
 * pass and reports every violation at once, or hands a spec it built otherwise to {@link #validate}. Every other
 * operation takes a spec this provider has so accepted, or one derived from it by {@link HaSpec#withReplicas}
 * (the replica count is the SPI's rule, checked as the spec is made), and does not check it again: as a
 * connector's operations trust the handles its metadata gave out, a plan, a discovery and the steps of one call
 * path cost one validation, however many operations the path takes. Handing an operation a spec the provider
 * never accepted is the caller's error; nothing checks it a second time.
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
     * Checks the rules this engine adds to those every {@link HaSpec} already obeys: the one engine check of a
     * call path, made where the spec enters it (see the class comment). The default checks {@link #rules()}; an
     * override adds its own checks to {@code rules().violations(spec)} and throws once.
     *
     * @throws SpecValidationException listing every violation
     */
    default void validate(HaSpec spec) {
        SpecValidationException.throwIfAny(rules().violations(spec));
    }

    /**
     * The engine properties, journal addresses and Kubernetes objects for {@code spec}, a spec this provider
     * accepted. Equal specs give equal plans.
     */
    HaPlan plan(HaSpec spec);

    /**
     * A discovery of the leading master of the quorum described by {@code spec}, a spec this provider accepted,
     * reaching the members only through {@code access}.
     */
    LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access);

    /**
     * Of {@code existingClaims} (typically every claim in the runtime's namespace), the ones the runtime
     * described by {@code spec} owns and that are deleted with it. Every other claim is kept with a reason;
     * claims of other runtimes, including ones with look-alike names, are never selected.
     */
    CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims);

    /**
     * The operations this provider offers beside planning, discovery and cleanup: a caller asks this before
     * calling {@link #planReplicaChange}, {@link #planBackup}, {@link #planRestore} or {@link #planMemberRebuild},
     * whose defaults throw {@link UnsupportedOperationException}. The default names each operation whose method
     * the provider's class implements, so a provider written before capabilities existed keeps what it offers;
     * a provider may state them instead. A provider never declares an operation whose method it does not
     * implement.
     */
    default Set<Capability> capabilities() {
        return Capability.implementedBy(getClass());
    }

    /**
     * The steps to take the running quorum of {@code spec}, a spec this provider accepted, to {@code newReplicas}
     * masters.
     *
     * @throws SpecValidationException if the change would pass through a state without a quorum, or the new
     *     size is itself invalid; the violation says why
     * @throws UnsupportedOperationException if this provider does not offer {@link Capability#REPLICA_CHANGE}
     */
    default ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        throw new UnsupportedOperationException("the " + engine() + " provider cannot change the replica count"
                + " of a running quorum");
    }

    /**
     * How to back up the metadata of the running quorum of {@code spec} into {@code target}: one command on the
     * member that {@code status} names leader, with its timeout, where the backup lands and how to verify it.
     *
     * @param status a fresh answer of this provider's {@link #leaderDiscovery}
     * @throws OperationRefusedException if {@code status} names no leader (NO_QUORUM, UNKNOWN) or is not about
     *     the members of {@code spec}; nothing is planned then
     * @throws UnsupportedOperationException if this provider does not offer {@link Capability#BACKUP}
     */
    default BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
        throw new UnsupportedOperationException("the " + engine() + " provider cannot back up a quorum");
    }

    /**
     * The steps that start the quorum of {@code spec} from {@code backup}, replacing whatever its journals
     * hold: usable after a majority was lost.
     *
     * @throws OperationRefusedException if the backup is foreign (another engine, namespace or runtime) or
     *     cannot be restored by this provider; nothing is planned then
     * @throws UnsupportedOperationException if this provider does not offer {@link Capability#RESTORE}
     */
    default RestorePlan planRestore(HaSpec spec, Backup backup) {
        throw new UnsupportedOperationException("the " + engine() + " provider cannot restore a quorum");
    }

    /**
     * The steps that bring back member {@code ordinal} of the running quorum of {@code spec}, whose journal is
     * lost or corrupt, from an empty journal that catches up from the leader.
     *
     * @param status a fresh answer of this provider's {@link #leaderDiscovery}
     * @throws OperationRefusedException if the other members are not a majority with a leader without it, if
     *     it leads, or if {@code status} is not about the members of {@code spec}; nothing is planned then
     * @throws UnsupportedOperationException if this provider does not offer {@link Capability#MEMBER_REBUILD}
     */
    default MemberRebuildPlan planMemberRebuild(HaSpec spec, LeaderStatus status, int ordinal) {
        throw new UnsupportedOperationException("the " + engine() + " provider cannot rebuild a member");
    }
}
