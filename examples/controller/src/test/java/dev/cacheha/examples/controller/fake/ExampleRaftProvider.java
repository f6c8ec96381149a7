package dev.cacheha.examples.controller.fake;

import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
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
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.RecoveryPreconditions;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.RuntimeLabels;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A small raft engine provider for the controller's tests, registered through {@code META-INF/services}:
 * it plans a StatefulSet (its journal a claim template or an {@code emptyDir} volume), headless Service,
 * PodDisruptionBudget and ConfigMap, asks each member
 * {@code GET /role} on its web port, and selects claims by label and StatefulSet claim name. It counts its
 * validations by runtime name, for the tests of a spec validated once per call path.
 */
public final class ExampleRaftProvider implements HighAvailabilityProvider {

    /** The engine name. */
    public static final String ENGINE = "example-raft";
    /** The master container. */
    public static final String CONTAINER = "raft";
    /** The path each member answers with its role. */
    public static final String ROLE_PATH = "/role";
    /** The command a replica change runs on the leader once the new members joined. */
    public static final List<String> RECONFIGURE = List.of("raftctl", "reconfigure", "--apply");

    /** The backup command; the directory to write into follows it. */
    public static final List<String> BACKUP = List.of("raftctl", "backup", "--to");
    /** How long a backup may run. */
    public static final Duration BACKUP_TIMEOUT = Duration.ofMinutes(3);

    /** Every validation by runtime name, across the instances the controller and the CLI load. */
    private static final Map<String, AtomicInteger> VALIDATIONS = new ConcurrentHashMap<>();

    private static final String WEB = "web";
    private static final String JOURNAL = "journal";
    private static final int DEFAULT_WEB = 8080;
    private static final int DEFAULT_JOURNAL = 9200;

    @Override
    public String engine() {
        return ENGINE;
    }

    /** How many times a spec of runtime {@code name} has been validated so far. */
    public static int validations(String name) {
        AtomicInteger count = VALIDATIONS.get(name);
        return count == null ? 0 : count.get();
    }

    @Override
    public void validate(HaSpec spec) {
        VALIDATIONS.computeIfAbsent(spec.name(), name -> new AtomicInteger()).incrementAndGet();
        SpecValidationException.throwIfAny(spec.ports().keySet().stream()
                .filter(name -> !name.equals(WEB) && !name.equals(JOURNAL))
                .map(name -> new Violation("ports." + name, "is not a port of " + ENGINE + "; use web or journal"))
                .toList());
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        Map<String, String> labels = RuntimeLabels.masters(ENGINE, spec.name());
        String master = master(spec);
        int journalPort = spec.port(JOURNAL, DEFAULT_JOURNAL);
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("raft.members", members(spec).stream().map(m -> new HostPort(m.host(), journalPort))
                .map(HostPort::toString).collect(Collectors.joining(",")));
        properties.putAll(spec.properties());
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ConfigMapBuilder()
                .withNewMetadata().withName(master + "-config").withNamespace(spec.namespace()).withLabels(labels)
                .endMetadata()
                .withData(Map.of("raft.properties", properties.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"))))
                .build());
        objects.add(new ServiceBuilder()
                .withNewMetadata().withName(master).withNamespace(spec.namespace()).withLabels(labels).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(labels)
                .addNewPort().withName(JOURNAL).withPort(journalPort).endPort()
                .endSpec()
                .build());
        objects.add(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(master).withNamespace(spec.namespace()).withLabels(labels).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(spec.replicas() / 2 + 1))
                .withNewSelector().withMatchLabels(labels).endSelector()
                .endSpec()
                .build());
        StatefulSetBuilder statefulSet = new StatefulSetBuilder()
                .withNewMetadata().withName(master).withNamespace(spec.namespace()).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(spec.replicas()).withServiceName(master)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName(CONTAINER).withImage(spec.image().orElse("example/raft:1"))
                .addNewVolumeMount().withName(JOURNAL).withMountPath("/journal").endVolumeMount()
                .endContainer().endSpec().endTemplate()
                .endSpec();
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            statefulSet.editSpec().addNewVolumeClaimTemplate()
                    .withNewMetadata().withName(JOURNAL).withLabels(labels)
                    .addToAnnotations(RuntimeLabels.DELETE_CLAIM, "true").endMetadata()
                    .withNewSpec().withStorageClassName(volume.storageClass()).withAccessModes(volume.accessModes())
                    .withNewResources().addToRequests("storage", new Quantity(volume.size())).endResources()
                    .endSpec()
                    .endVolumeClaimTemplate().endSpec();
        } else if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            statefulSet.editSpec().editTemplate().editSpec().addNewVolume().withName(JOURNAL)
                    .withNewEmptyDir().withMedium(emptyDir.medium().kubernetesValue())
                    .withSizeLimit(new Quantity(emptyDir.sizeLimit())).endEmptyDir()
                    .endVolume().endSpec().endTemplate().endSpec();
        }
        objects.add(statefulSet.build());
        return new HaPlan(ENGINE, properties, members(spec),
                members(spec).stream().map(m -> new HostPort(m.host(), journalPort)).toList(), objects);
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        int webPort = spec.port(WEB, DEFAULT_WEB);
        return () -> {
            long start = System.nanoTime();
            List<CompletableFuture<MemberAnswer>> asked = members(spec).stream()
                    .map(member -> ask(access, member, webPort))
                    .toList();
            List<MemberAnswer> answers = asked.stream().map(CompletableFuture::join).toList();
            return LeaderStatus.fromAnswers(answers, "http", Duration.ofNanos(System.nanoTime() - start));
        };
    }

    private static CompletableFuture<MemberAnswer> ask(ClusterAccess access, Member member, int port) {
        long start = System.nanoTime();
        return access.probe().get(member, port, ROLE_PATH, access.deadline())
                .handle((MemberProbe.Response response, Throwable failure) -> {
                    Duration latency = Duration.ofNanos(System.nanoTime() - start);
                    if (failure != null) {
                        return new MemberAnswer(member, Role.UNREACHABLE, "GET " + ROLE_PATH, latency,
                                String.valueOf(failure.getMessage()));
                    }
                    Role role = switch (response.body().strip()) {
                        case "LEADER" -> Role.LEADER;
                        case "FOLLOWER" -> Role.FOLLOWER;
                        default -> Role.UNKNOWN;
                    };
                    return new MemberAnswer(member, role, "GET " + ROLE_PATH, latency, "");
                });
    }

    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        List<PersistentVolumeClaim> delete = new ArrayList<>();
        List<CleanupPlan.Kept> kept = new ArrayList<>();
        String claimPrefix = JOURNAL + "-" + master(spec) + "-";
        for (PersistentVolumeClaim claim : existingClaims) {
            String name = claim.getMetadata().getName();
            boolean ours = spec.namespace().equals(claim.getMetadata().getNamespace())
                    && spec.name().equals(claim.getMetadata().getLabels().get(RuntimeLabels.INSTANCE))
                    && name.startsWith(claimPrefix)
                    && name.substring(claimPrefix.length()).matches("[0-9]+");
            if (ours) {
                delete.add(claim);
            } else {
                kept.add(new CleanupPlan.Kept(claim, "not a journal claim of " + master(spec)));
            }
        }
        return new CleanupPlan(delete, kept);
    }

    @Override
    public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        HaPlan target = plan(spec.withReplicas(newReplicas));
        return new ReplicaChangePlan(spec.replicas(), newReplicas, target, List.of(
                new Step.Apply(target, true, "start the new members with the full member list"),
                new Step.AwaitQuorum(newReplicas, "every member must answer before the old ones restart"),
                new Step.RollMembers(members(spec), "the old members learn the new member list on restart"),
                new Step.ExecOnLeader(CONTAINER, RECONFIGURE, "commit the new configuration through the leader")));
    }

    /** Backs up on the leader into {@code <target>/<namespace>/<name>}; the command prints {@code wrote <file>}. */
    @Override
    public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
        OperationRefusedException.throwIfAny("backup", RecoveryPreconditions.backupRefusals(plan(spec), status));
        String directory = target.directory().replaceAll("/+$", "") + "/" + spec.namespace() + "/" + spec.name();
        List<String> argv = new ArrayList<>(BACKUP);
        argv.add(directory);
        return new BackupPlan(spec, ENGINE, status.leader().orElseThrow(), CONTAINER, argv, BACKUP_TIMEOUT, target,
                directory, "(?m)^wrote (?<location>\\S+)$");
    }

    private static String master(HaSpec spec) {
        return spec.name() + "-master";
    }

    private static List<Member> members(HaSpec spec) {
        String service = master(spec);
        return IntStream.range(0, spec.replicas())
                .mapToObj(i -> new Member(i, spec.namespace(), service + "-" + i,
                        service + "-" + i + "." + service + "." + spec.namespace() + ".svc." + spec.clusterDomain()))
                .toList();
    }
}
