package dev.cacheha.testkit.sample;

import dev.cacheha.spi.Capability;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Providers that each break one requirement of the kit, so the kit can be seen to catch it. */
public final class BrokenProviders {

    private BrokenProviders() {}

    /** Lists the journal addresses from the last ordinal to the first. */
    public static final class UnsortedAddresses extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-unsorted";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            HaPlan plan = super.plan(spec);
            List<HostPort> reversed = new ArrayList<>(plan.journalAddresses());
            Collections.reverse(reversed);
            return new HaPlan(plan.engine(), plan.properties(), plan.members(), reversed, plan.objects());
        }
    }

    /** Goes by a claim's namespace, name and annotation, ignoring the labels that say whose claim it is. */
    public static final class TakesForeignClaims extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-greedy";
        }

        @Override
        protected Optional<String> whyNotOwned(HaSpec spec, PersistentVolumeClaim claim) {
            if (claim.getMetadata() == null) {
                return super.whyNotOwned(spec, claim);
            }
            return super.whyNotOwned(spec, new PersistentVolumeClaimBuilder(claim).editMetadata()
                    .withLabels(RuntimeLabels.masters(engine(), spec.name())).endMetadata().build());
        }
    }

    /** Ignores the controller's deadline and waits as long as a member takes. */
    public static final class WaitsUnbounded extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-unbounded";
        }

        @Override
        public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
            return super.leaderDiscovery(spec, access.withDeadline(Duration.ofDays(1)));
        }
    }

    /** Puts its properties in a ConfigMap and a pod volume, but never mounts the volume in the container. */
    public static final class NeverMountsItsProperties extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-unmounted";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            return rewrite(super.plan(spec), StatefulSet.class, statefulSet -> statefulSet.getSpec().getTemplate()
                    .getSpec().getContainers().forEach(container -> container.getVolumeMounts()
                            .removeIf(mount -> mount.getMountPath().equals(PROPERTIES_FILE))));
        }
    }

    /** Starts its masters one after the other, each waiting for the last to be ready. */
    public static final class StartsMembersInOrder extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-ordered";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            return rewrite(super.plan(spec), StatefulSet.class,
                    statefulSet -> statefulSet.getSpec().setPodManagementPolicy("OrderedReady"));
        }
    }

    /** Publishes only ready masters in its headless Service. */
    public static final class PublishesOnlyReadyMembers extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-ready-only";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            return rewrite(super.plan(spec), Service.class,
                    service -> service.getSpec().setPublishNotReadyAddresses(null));
        }
    }

    /** Marks its claims for deletion, but keeps them when the StatefulSet is deleted. */
    public static final class RetainsClaimsOnDelete extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-retains";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            return rewrite(super.plan(spec), StatefulSet.class, statefulSet -> statefulSet.getSpec()
                    .getPersistentVolumeClaimRetentionPolicy().setWhenDeleted("Retain"));
        }
    }

    /** Renders no NetworkPolicy, though the spec asks to restrict journal traffic. */
    public static final class IgnoresJournalTrafficRestriction extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-open";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            HaPlan plan = super.plan(spec);
            return new HaPlan(plan.engine(), plan.properties(), plan.members(), plan.journalAddresses(),
                    plan.objects().stream().filter(object -> !(object instanceof NetworkPolicy)).toList());
        }
    }

    /** Runs its masters as root, privileged, as an image that was never made to run otherwise would ask. */
    public static final class RunsMastersAsRoot extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-root";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            return rewrite(super.plan(spec), StatefulSet.class, statefulSet -> {
                PodSpec pod = statefulSet.getSpec().getTemplate().getSpec();
                pod.getSecurityContext().setRunAsNonRoot(false);
                pod.getSecurityContext().setRunAsUser(0L);
                pod.getContainers().forEach(container -> container.getSecurityContext().setPrivileged(true));
            });
        }
    }

    /** Changes replicas but does not say so: a controller that asks its capabilities never offers it. */
    public static final class HidesAnOperation extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-hiding";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }
    }

    /**
     * Not broken: a provider of a static quorum, offering no optional operation and throwing for each as the SPI's
     * defaults do; the kit skips those requirements.
     */
    public static final class OffersNoOperation extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-static";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
            throw new UnsupportedOperationException("a static quorum");
        }
    }

    /** Keeps the journal to its masters but leaves its role port open to every pod, as the toolkit once did. */
    public static final class OpensClientPortsToEveryone extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-open-role-port";
        }

        @Override
        protected NetworkPolicy networkPolicy(HaSpec spec, Map<String, String> labels) {
            NetworkPolicy policy = super.networkPolicy(spec, labels);
            policy.getSpec().getIngress().get(1).setFrom(new ArrayList<>());
            return policy;
        }
    }

    /** Probes readiness on a port named {@code http}, which its container does not declare. */
    public static final class ProbesAnUndeclaredPort extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-probes-nothing";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            return rewrite(super.plan(spec), StatefulSet.class, statefulSet -> statefulSet.getSpec().getTemplate()
                    .getSpec().getContainers().forEach(container -> container.getReadinessProbe().getTcpSocket()
                            .setPort(new IntOrString("http"))));
        }
    }

    /** When no member says it leads, takes the followers' word for a silent member that they name. */
    public static final class TakesTheFollowersWord extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-hearsay";
        }

        @Override
        public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
            LeaderDiscovery honest = super.leaderDiscovery(spec, access);
            return () -> {
                LeaderStatus status = honest.discover();
                if (!status.membersWithRole(Role.LEADER).isEmpty()) {
                    return status;
                }
                Optional<String> named = status.members().stream().map(MemberAnswer::detail)
                        .filter(detail -> detail.startsWith(FOLLOWER_OF))
                        .map(detail -> detail.substring(FOLLOWER_OF.length())).findFirst();
                List<MemberAnswer> believed = status.members().stream()
                        .map(answer -> named.filter(answer.member().podName()::equals).isPresent()
                                ? new MemberAnswer(answer.member(), Role.LEADER, answer.method(), answer.latency(),
                                        "named by its followers")
                                : answer)
                        .toList();
                return LeaderStatus.fromAnswers(believed, status.method(), status.elapsed());
            };
        }
    }

    /** Reads every claim's metadata without looking: a claim without metadata makes cleanup throw. */
    public static final class TripsOnOddClaims extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-trips";
        }

        @Override
        protected Optional<String> whyNotOwned(HaSpec spec, PersistentVolumeClaim claim) {
            if (claim.getMetadata().getName().isEmpty()) {
                return Optional.of("no name");
            }
            return super.whyNotOwned(spec, claim);
        }
    }

    /** Deletes the runtime's claims whatever their delete-claim annotation says. */
    public static final class IgnoresTheDeleteClaimAnnotation extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-unannotated";
        }

        @Override
        protected Optional<String> whyNotOwned(HaSpec spec, PersistentVolumeClaim claim) {
            if (claim.getMetadata() == null) {
                return super.whyNotOwned(spec, claim);
            }
            return super.whyNotOwned(spec, new PersistentVolumeClaimBuilder(claim).editMetadata()
                    .addToAnnotations(RuntimeLabels.DELETE_CLAIM, "true").endMetadata().build());
        }
    }

    /** Changes the quorum's size in one step, however far apart the sizes are. */
    public static final class JumpsAnySize extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-jumps";
        }

        @Override
        public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
            return stepsTo(spec, newReplicas);
        }
    }

    /** Grows by first wiping the journal of member 0, which runs throughout: a replica change out of order. */
    public static final class WipesARunningJournal extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-wipes-running";
        }

        @Override
        protected ReplicaChangePlan stepsTo(HaSpec spec, int newReplicas) {
            ReplicaChangePlan change = super.stepsTo(spec, newReplicas);
            List<Step> steps = new ArrayList<>(change.steps());
            Member first = change.target().members().get(0);
            steps.add(0, new Step.WipeJournal(first, Optional.empty(), "start member 0 empty"));
            return new ReplicaChangePlan(change.fromReplicas(), change.toReplicas(), change.target(), steps);
        }
    }

    /**
     * Keeps one of its ports from the SPI (as the Jindo example once kept its raft port): an override may then
     * take that port's number, and two processes of a master would bind one port.
     */
    public static final class HidesAPort extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-hides-a-port";
        }

        @Override
        public EngineRules rules() {
            return new EngineRules(engine(), RULES.objectNameSuffix(), Map.of(JOURNAL, JOURNAL_PORT),
                    RULES.reservedProperties());
        }
    }

    /**
     * Checks its reserved property in {@code validate} instead of stating it in {@code rules()}: a user who also
     * broke an SPI rule hears of the property only after fixing that.
     */
    public static final class ChecksItsReservedPropertyLate extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-late";
        }

        @Override
        public EngineRules rules() {
            return new EngineRules(engine(), RULES.objectNameSuffix(), RULES.defaultPorts(), new TreeMap<>());
        }

        @Override
        public void validate(HaSpec spec) {
            List<Violation> violations = new ArrayList<>(rules().violations(spec));
            if (spec.properties().containsKey(ADDRESSES)) {
                violations.add(new Violation("properties[" + ADDRESSES + "]", "is derived from the members"));
            }
            SpecValidationException.throwIfAny(violations);
        }
    }

    /**
     * Assembles the site file in an init step, as the toolkit does, but from a ConfigMap the plan does not hold
     * (a name left from an earlier layout): the pods would wait for it forever, or read another runtime's.
     */
    public static final class AssemblesFromAMissingConfigMap extends AssembledPropertiesProvider {
        @Override
        public String engine() {
            return "sample-assembles-from-nothing";
        }

        @Override
        protected String templateSource(String plansConfigMap) {
            return plansConfigMap + "-site";
        }
    }

    /**
     * {@code plan} with every object of {@code type} changed by {@code change}. The sample builds new objects
     * for every plan, so changing them in place touches no other plan.
     */
    private static <T extends HasMetadata> HaPlan rewrite(HaPlan plan, Class<T> type, Consumer<T> change) {
        plan.objects().stream().filter(type::isInstance).map(type::cast).forEach(change);
        return plan;
    }
}
