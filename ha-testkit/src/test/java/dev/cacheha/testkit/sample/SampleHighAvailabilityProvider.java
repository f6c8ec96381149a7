package dev.cacheha.testkit.sample;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.RuntimeLabels;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.InvalidSpec;
import dev.cacheha.testkit.Reply;
import dev.cacheha.testkit.ScriptedCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The smallest provider that meets every requirement of the kit, for an imaginary engine whose masters say
 * {@code LEADER}, {@code FOLLOWER} or {@code FOLLOWER leader=<pod>} at {@code GET /role} and read
 * {@value #PROPERTIES_FILE}. The broken providers of these tests each break one of its requirements.
 */
public class SampleHighAvailabilityProvider implements HighAvailabilityProvider {

    /** How a sample member answers: its role's name at {@code /role}, and a follower names its leader. */
    public static final EngineImpersonation IMPERSONATION = new EngineImpersonation() {
        @Override
        public void answerAs(Member member, Role role, ScriptedCluster cluster) {
            cluster.probe().answer(member, "/role", Reply.of(new MemberProbe.Response(200, role.name())));
        }

        @Override
        public void answerAsFollowerOf(Member member, Member leader, ScriptedCluster cluster) {
            cluster.probe().answer(member, "/role", Reply.of(new MemberProbe.Response(200,
                    FOLLOWER_OF + leader.podName())));
        }
    };

    /** Where a sample master reads its properties. */
    public static final String PROPERTIES_FILE = "/etc/sample/sample.properties";

    static final String FOLLOWER_OF = "FOLLOWER leader=";
    static final String ROLE_PORT_NAME = "role";
    static final int ROLE_PORT = 9201;
    static final int JOURNAL_PORT = 9200;
    static final String JOURNAL = "journal";
    private static final long USER = 1000L;
    private static final String SUFFIX = "-sample";
    private static final String PROPERTIES_VOLUME = "properties";
    private static final String PROPERTIES_KEY = "sample.properties";
    static final String ADDRESSES = "sample.journal.addresses";

    @Override
    public String engine() {
        return "sample";
    }

    /**
     * The sample's facts, stated as data so the SPI checks them in its own pass: the {@code -sample} suffix, its
     * two ports (so neither can be set to the other's number) and the one property it derives.
     */
    public static final EngineRules RULES = new EngineRules("sample", SUFFIX, ports(),
            new TreeMap<>(Map.of(ADDRESSES, "nothing: it is derived from the members")));

    /** Specs only the sample engine refuses, for the kit's validation group. */
    public static final List<InvalidSpec> INVALID_SPECS = List.of(
            InvalidSpec.of("the journal addresses set by hand", "properties[" + ADDRESSES + "]",
                    specs -> specs.validSpec("demo", "cache").property(ADDRESSES, "x:1").build()),
            InvalidSpec.of("a port the sample engine does not have", "ports.web",
                    specs -> specs.validSpec("demo", "cache").port("web", 8080).build()));

    @Override
    public EngineRules rules() {
        return RULES;
    }

    static Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put(JOURNAL, JOURNAL_PORT);
        ports.put(ROLE_PORT_NAME, ROLE_PORT);
        return ports;
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        List<Member> members = members(spec);
        List<HostPort> addresses = members.stream()
                .map(member -> new HostPort(member.host(), journalPort(spec)))
                .toList();
        Map<String, String> properties = new LinkedHashMap<>(spec.properties());
        properties.put(ADDRESSES, addresses.stream().map(HostPort::toString).collect(Collectors.joining(",")));

        Map<String, String> labels = RuntimeLabels.masters(engine(), spec.name());
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ConfigMapBuilder().withMetadata(metadata(spec, labels))
                .addToData(PROPERTIES_KEY, HaPlan.propertiesFile(properties)).build());
        objects.add(new ServiceBuilder().withMetadata(metadata(spec, labels))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(labels)
                .endSpec().build());
        if (spec.restrictJournalTraffic()) {
            objects.add(networkPolicy(spec, labels));
        }
        objects.add(statefulSet(spec, labels));
        if (spec.replicas() > 1) {
            objects.add(new PodDisruptionBudgetBuilder().withMetadata(metadata(spec, labels))
                    .withNewSpec().withNewMinAvailable(spec.replicas() / 2 + 1)
                    .withNewSelector().withMatchLabels(labels).endSelector().endSpec().build());
        }
        return new HaPlan(engine(), properties, members, addresses, objects);
    }

    /** The journal port from the masters only; the role port from this namespace and the spec's clients. */
    protected NetworkPolicy networkPolicy(HaSpec spec, Map<String, String> labels) {
        List<NetworkPolicyPeer> clients = new ArrayList<>();
        clients.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
        spec.clients().forEach(client -> clients.add(new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector().withMatchLabels(client.namespaceLabels()).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(client.podLabels()).endPodSelector().build()));
        return new NetworkPolicyBuilder().withMetadata(metadata(spec, labels))
                .withNewSpec().withNewPodSelector().withMatchLabels(labels).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewPodSelector().withMatchLabels(labels).endPodSelector()
                .endFrom().addNewPort().withNewPort(journalPort(spec)).endPort().endIngress()
                .addNewIngress().withFrom(clients).addNewPort().withNewPort(rolePort(spec)).endPort().endIngress()
                .endSpec().build();
    }

    private List<Member> members(HaSpec spec) {
        String statefulSet = statefulSetName(spec);
        return IntStream.range(0, spec.replicas())
                .mapToObj(ordinal -> new Member(ordinal, spec.namespace(), statefulSet + "-" + ordinal,
                        statefulSet + "-" + ordinal + "." + statefulSet + "." + spec.namespace() + ".svc."
                                + spec.clusterDomain()))
                .toList();
    }

    private static int rolePort(HaSpec spec) {
        return spec.port(ROLE_PORT_NAME, ROLE_PORT);
    }

    private static int journalPort(HaSpec spec) {
        return spec.port(JOURNAL, JOURNAL_PORT);
    }

    private static ObjectMeta metadata(HaSpec spec, Map<String, String> labels) {
        ObjectMeta metadata = new ObjectMeta();
        metadata.setName(statefulSetName(spec));
        metadata.setNamespace(spec.namespace());
        metadata.setLabels(labels);
        return metadata;
    }

    private StatefulSet statefulSet(HaSpec spec, Map<String, String> labels) {
        List<PersistentVolumeClaim> claimTemplates = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(PROPERTIES_VOLUME).withNewConfigMap()
                .withName(statefulSetName(spec)).endConfigMap().build());
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            claimTemplates.add(volume.claimTemplate(JOURNAL, labels));
        } else if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            volumes.add(new VolumeBuilder().withName(JOURNAL).withNewEmptyDir()
                    .withMedium(emptyDir.medium().kubernetesValue())
                    .withNewSizeLimit(emptyDir.sizeLimit()).endEmptyDir().build());
        }
        return new StatefulSetBuilder()
                .withMetadata(metadata(spec, labels))
                .withNewSpec().withReplicas(spec.replicas()).withServiceName(statefulSetName(spec))
                .withPodManagementPolicy("Parallel")
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Delete").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(USER)
                .withFsGroup(USER).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer().withName("master").withImage(spec.image().orElse("sample:1"))
                .withSecurityContext(containerSecurity())
                .withResources(resources())
                .addNewPort().withName(JOURNAL).withContainerPort(journalPort(spec)).endPort()
                .addNewPort().withName(ROLE_PORT_NAME).withContainerPort(rolePort(spec)).endPort()
                .withNewStartupProbe().withNewTcpSocket().withNewPort(ROLE_PORT_NAME).endTcpSocket()
                .withFailureThreshold(30).endStartupProbe()
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(ROLE_PORT_NAME).endTcpSocket()
                .endReadinessProbe()
                .withNewLivenessProbe().withNewTcpSocket().withNewPort(ROLE_PORT_NAME).endTcpSocket()
                .endLivenessProbe()
                .addNewVolumeMount().withName(PROPERTIES_VOLUME).withMountPath(PROPERTIES_FILE)
                .withSubPath(PROPERTIES_KEY).endVolumeMount()
                .addNewVolumeMount().withName(JOURNAL).withMountPath("/journal").endVolumeMount().endContainer()
                .withVolumes(volumes).endSpec().endTemplate()
                .withVolumeClaimTemplates(claimTemplates)
                .endSpec().build();
    }

    /** What Pod Security "restricted" asks of each container beyond the pod's context. */
    static SecurityContext containerSecurity() {
        return new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withNewCapabilities()
                .withDrop("ALL").endCapabilities().build();
    }

    /** Requests and a memory limit, so a sample master is never BestEffort. */
    static ResourceRequirements resources() {
        return new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("256Mi")).addToLimits("memory", new Quantity("256Mi")).build();
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        List<Member> members = members(spec);
        return () -> {
            long start = System.nanoTime();
            List<CompletableFuture<MemberAnswer>> asked = members.stream()
                    .map(member -> ask(member, access, rolePort(spec))).toList();
            List<MemberAnswer> answers = asked.stream().map(CompletableFuture::join).toList();
            return LeaderStatus.fromAnswers(answers, "http", Duration.ofNanos(System.nanoTime() - start));
        };
    }

    private CompletableFuture<MemberAnswer> ask(Member member, ClusterAccess access, int rolePort) {
        long start = System.nanoTime();
        return access.probe().get(member, rolePort, "/role", access.deadline())
                .orTimeout(access.deadline().toNanos(), TimeUnit.NANOSECONDS)
                .handle((response, failure) -> {
                    Duration latency = Duration.ofNanos(System.nanoTime() - start);
                    if (failure != null) {
                        return new MemberAnswer(member, Role.UNREACHABLE, "GET /role", latency, failure.toString());
                    }
                    Role role = response.status() != 200 ? Role.UNKNOWN : roleIn(response.body());
                    return new MemberAnswer(member, role, "GET /role", latency, detail(response.body()));
                });
    }

    /** The role a member's answer states: read after the bounded call returned, as real providers do. */
    protected Role roleIn(String body) {
        if (body.equals("LEADER")) {
            return Role.LEADER;
        }
        return body.equals("FOLLOWER") || body.startsWith(FOLLOWER_OF) ? Role.FOLLOWER : Role.UNKNOWN;
    }

    /** What the member said, when it is short and printable: a follower's leader, for the broken providers. */
    private static String detail(String body) {
        return body.length() <= 200 && body.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? body : "";
    }

    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        List<PersistentVolumeClaim> delete = new ArrayList<>();
        List<CleanupPlan.Kept> kept = new ArrayList<>();
        for (PersistentVolumeClaim claim : existingClaims) {
            whyNotOwned(spec, claim).ifPresentOrElse(reason -> kept.add(new CleanupPlan.Kept(claim, reason)),
                    () -> delete.add(claim));
        }
        return new CleanupPlan(delete, kept);
    }

    /** Why {@code spec}'s runtime does not own {@code claim}; empty when it does and the claim goes with it. */
    protected Optional<String> whyNotOwned(HaSpec spec, PersistentVolumeClaim claim) {
        Set<String> owned = spec.journal() instanceof JournalStorage.PersistentVolume
                ? IntStream.range(0, HaSpec.MAX_REPLICAS).mapToObj(ordinal -> claimName(spec, ordinal))
                        .collect(Collectors.toSet())
                : Set.of();
        ObjectMeta metadata = Objects.requireNonNullElseGet(claim.getMetadata(), ObjectMeta::new);
        Map<String, String> claimLabels = Objects.requireNonNullElse(metadata.getLabels(), Map.of());
        Map<String, String> annotations = Objects.requireNonNullElse(metadata.getAnnotations(), Map.of());
        if (!spec.namespace().equals(metadata.getNamespace())) {
            return Optional.of("not in namespace " + spec.namespace());
        } else if (!owned.contains(metadata.getName())) {
            return Optional.of("not a journal claim of " + statefulSetName(spec));
        } else if (!claimLabels.entrySet().containsAll(RuntimeLabels.masters(engine(), spec.name()).entrySet())) {
            return Optional.of("without the labels of runtime " + spec.name());
        } else if (!"true".equals(annotations.get(RuntimeLabels.DELETE_CLAIM))) {
            return Optional.of("not marked " + RuntimeLabels.DELETE_CLAIM + "=true");
        }
        return Optional.empty();
    }

    /** Refuses a change whose common members are no majority of the larger size; see {@link #stepsTo}. */
    @Override
    public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        int from = spec.replicas();
        if (Math.min(from, newReplicas) < Math.max(from, newReplicas) / 2 + 1) {
            throw new SpecValidationException(List.of(new Violation("replicas",
                    from + " to " + newReplicas + " at once loses the quorum")));
        }
        return stepsTo(spec, newReplicas);
    }

    /**
     * Grows by starting the new members, waiting for all, then restarting the old ones; shrinks by stopping
     * the last members, then restarting the rest.
     */
    protected ReplicaChangePlan stepsTo(HaSpec spec, int newReplicas) {
        HaSpec target = spec.withReplicas(newReplicas);
        HaPlan targetPlan = plan(target);
        int from = spec.replicas();
        List<Step> steps = new ArrayList<>();
        if (newReplicas > from) {
            steps.add(new Step.Apply(targetPlan, true, "start the new members"));
            steps.add(new Step.AwaitQuorum(newReplicas, "every member runs"));
            steps.add(new Step.RollMembers(members(spec), "load the new addresses"));
        } else if (newReplicas < from) {
            steps.add(new Step.Apply(targetPlan, true, "stop the last members"));
            steps.add(new Step.RollMembers(members(target), "forget the stopped members"));
            steps.add(new Step.AwaitQuorum(newReplicas, "the quorum is whole"));
        }
        return new ReplicaChangePlan(from, newReplicas, targetPlan, steps);
    }

    /** The name of the masters' StatefulSet, which prefixes every claim it makes. */
    protected static String statefulSetName(HaSpec spec) {
        return spec.name() + SUFFIX;
    }

    /** The name of the journal claim of member {@code ordinal}. */
    protected static String claimName(HaSpec spec, int ordinal) {
        return JOURNAL + "-" + statefulSetName(spec) + "-" + ordinal;
    }
}
