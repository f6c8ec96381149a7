package dev.cacheha.testkit.sample;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.RuntimeLabels;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.Reply;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The smallest provider that meets every requirement of the kit, for an imaginary engine whose masters say
 * {@code LEADER} or {@code FOLLOWER} at {@code GET /role}. The broken providers of these tests each break
 * one of its methods.
 */
public class SampleHighAvailabilityProvider implements HighAvailabilityProvider {

    /** How a sample member answers: its role's name at {@code /role}. */
    public static final EngineImpersonation IMPERSONATION = (member, role, cluster) ->
            cluster.probe().answer(member, "/role", Reply.of(new MemberProbe.Response(200, role.name())));

    private static final int ROLE_PORT = 9201;
    private static final int JOURNAL_PORT = 9200;
    private static final String JOURNAL = "journal";
    private static final String ADDRESSES = "sample.journal.addresses";

    @Override
    public String engine() {
        return "sample";
    }

    @Override
    public void validate(HaSpec spec) {
        List<Violation> violations = new ArrayList<>();
        spec.ports().keySet().stream().filter(port -> !port.equals(JOURNAL)).forEach(port ->
                violations.add(new Violation("ports." + port, "the sample engine has only the port " + JOURNAL)));
        if (spec.properties().containsKey(ADDRESSES)) {
            violations.add(new Violation("properties[" + ADDRESSES + "]", "is derived from the members"));
        }
        SpecValidationException.throwIfAny(violations);
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        validate(spec);
        String statefulSet = statefulSetName(spec);
        List<Member> members = IntStream.range(0, spec.replicas())
                .mapToObj(ordinal -> new Member(ordinal, spec.namespace(), statefulSet + "-" + ordinal,
                        statefulSet + "-" + ordinal + "." + statefulSet + "." + spec.namespace() + ".svc."
                                + spec.clusterDomain()))
                .toList();
        List<HostPort> addresses = members.stream()
                .map(member -> new HostPort(member.host(), spec.port(JOURNAL, JOURNAL_PORT)))
                .toList();
        Map<String, String> properties = new LinkedHashMap<>(spec.properties());
        properties.put(ADDRESSES, addresses.stream().map(HostPort::toString).collect(Collectors.joining(",")));

        Map<String, String> labels = RuntimeLabels.masters(engine(), spec.name());
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ServiceBuilder().withNewMetadata().withName(statefulSet).withNamespace(spec.namespace())
                .withLabels(labels).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(labels).endSpec().build());
        objects.add(statefulSet(spec, labels));
        if (spec.replicas() > 1) {
            objects.add(new PodDisruptionBudgetBuilder().withNewMetadata().withName(statefulSet)
                    .withNamespace(spec.namespace()).withLabels(labels).endMetadata()
                    .withNewSpec().withNewMinAvailable(spec.replicas() / 2 + 1)
                    .withNewSelector().withMatchLabels(labels).endSelector().endSpec().build());
        }
        return new HaPlan(engine(), properties, members, addresses, objects);
    }

    private StatefulSet statefulSet(HaSpec spec, Map<String, String> labels) {
        List<PersistentVolumeClaim> claimTemplates = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        if (spec.journal() instanceof JournalStorage.PersistentVolume volume) {
            claimTemplates.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(JOURNAL)
                    .withLabels(labels).addToAnnotations(RuntimeLabels.DELETE_CLAIM, "true").endMetadata()
                    .withNewSpec().withStorageClassName(volume.storageClass()).withAccessModes(volume.accessModes())
                    .withNewResources().addToRequests("storage", new Quantity(volume.size())).endResources()
                    .endSpec().build());
        } else if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir) {
            volumes.add(new VolumeBuilder().withName(JOURNAL).withNewEmptyDir()
                    .withMedium(emptyDir.medium().kubernetesValue()).withSizeLimit(new Quantity(emptyDir.sizeLimit()))
                    .endEmptyDir().build());
        }
        return new StatefulSetBuilder()
                .withNewMetadata().withName(statefulSetName(spec)).withNamespace(spec.namespace()).withLabels(labels)
                .endMetadata()
                .withNewSpec().withReplicas(spec.replicas()).withServiceName(statefulSetName(spec))
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("master").withImage(spec.image().orElse("sample:1"))
                .addNewVolumeMount().withName(JOURNAL).withMountPath("/journal").endVolumeMount().endContainer()
                .withVolumes(volumes).endSpec().endTemplate()
                .withVolumeClaimTemplates(claimTemplates)
                .endSpec().build();
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        List<Member> members = plan(spec).members();
        return () -> {
            long start = System.nanoTime();
            List<CompletableFuture<MemberAnswer>> asked = members.stream().map(member -> ask(member, access)).toList();
            List<MemberAnswer> answers = asked.stream().map(CompletableFuture::join).toList();
            return LeaderStatus.fromAnswers(answers, "http", Duration.ofNanos(System.nanoTime() - start));
        };
    }

    private static CompletableFuture<MemberAnswer> ask(Member member, ClusterAccess access) {
        long start = System.nanoTime();
        return access.probe().get(member, ROLE_PORT, "/role", access.deadline())
                .orTimeout(access.deadline().toNanos(), TimeUnit.NANOSECONDS)
                .handle((response, failure) -> {
                    Duration latency = Duration.ofNanos(System.nanoTime() - start);
                    if (failure != null) {
                        return new MemberAnswer(member, Role.UNREACHABLE, "GET /role", latency, failure.toString());
                    }
                    Role role = response.status() != 200 ? Role.UNKNOWN : switch (response.body()) {
                        case "LEADER" -> Role.LEADER;
                        case "FOLLOWER" -> Role.FOLLOWER;
                        default -> Role.UNKNOWN;
                    };
                    return new MemberAnswer(member, role, "GET /role", latency, "status " + response.status());
                });
    }

    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        Set<String> owned = spec.journal() instanceof JournalStorage.PersistentVolume
                ? IntStream.range(0, HaSpec.MAX_REPLICAS)
                        .mapToObj(ordinal -> JOURNAL + "-" + statefulSetName(spec) + "-" + ordinal)
                        .collect(Collectors.toSet())
                : Set.of();
        Map<String, String> labels = RuntimeLabels.masters(engine(), spec.name());
        List<PersistentVolumeClaim> delete = new ArrayList<>();
        List<CleanupPlan.Kept> kept = new ArrayList<>();
        for (PersistentVolumeClaim claim : existingClaims) {
            Map<String, String> claimLabels = claim.getMetadata().getLabels() == null
                    ? Map.of()
                    : claim.getMetadata().getLabels();
            if (!spec.namespace().equals(claim.getMetadata().getNamespace())) {
                kept.add(new CleanupPlan.Kept(claim, "in another namespace"));
            } else if (!owned.contains(claim.getMetadata().getName())) {
                kept.add(new CleanupPlan.Kept(claim, "not a journal claim of " + statefulSetName(spec)));
            } else if (!claimLabels.entrySet().containsAll(labels.entrySet())) {
                kept.add(new CleanupPlan.Kept(claim, "without the labels of runtime " + spec.name()));
            } else {
                delete.add(claim);
            }
        }
        return new CleanupPlan(delete, kept);
    }

    /** The name of the masters' StatefulSet, which prefixes every claim it makes. */
    protected static String statefulSetName(HaSpec spec) {
        return spec.name() + "-sample";
    }
}
