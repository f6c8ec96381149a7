package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.CacheRuntimeOperator;
import dev.cacheha.examples.controller.deployment.DeploymentSettings;
import dev.cacheha.examples.controller.deployment.WatchedNamespaces;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.StatefulSetClaims;
import dev.cacheha.examples.controller.fake.StatusWrites;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.ClusterAccess;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two controller instances on a real control plane, each with its own client that the API server takes for the
 * controller's ServiceAccount (so the shipped Role and Lease rights decide), electing their leader on the Lease
 * of {@code deploy/leader-election.yaml}: only the leader reconciles, and when it dies in the middle of a grow
 * (right after it recorded one, two or three of the four steps as done), the other takes over within the lease
 * time and finishes the grow from the recorded step. Pods and claims are
 * made by the real StatefulSet controller and run to Ready on kwok's nodes; the members' role answers come from
 * a {@link FakeQuorum} (no container runs here).
 */
@ExtendWith(RealClusterExtension.class)
class LeaderElectionOnRealClusterTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final String ACCOUNT = "cache-ha-controller";
    private static final String NAME = "demo";
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    /** Shorter than JOSDK's 15 s so the test waits less; the same algorithm. */
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration RENEW_DEADLINE = Duration.ofSeconds(6);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration BUDGET = Duration.ofMinutes(3);
    private static final Pattern CLAIM_OF_POD = Pattern.compile("/persistentvolumeclaims/.*-(" + NAME
            + "-master-\\d+)$");
    private static final Pattern POD = Pattern.compile("/pods/(" + NAME + "-master-\\d+)$");
    private static final String ACCESS_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    /** One controller process: its own client as the ServiceAccount, its requests, its meters. */
    private static final class Instance implements AutoCloseable {

        private final String identity;
        private final KubernetesClient client;
        private final InstanceRequests requests;
        private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        private final Operator operator;

        Instance(RealCluster cluster, String namespace, String identity, FakeQuorum quorum,
                List<String> claimDeletesBesideAPod) {
            this.identity = identity;
            Config asAccount;
            try (KubernetesClient impersonating = cluster.clientAs(namespace, ACCOUNT)) {
                asAccount = impersonating.getConfiguration();
            }
            this.requests = new InstanceRequests(sent -> {
                // A claim DELETE is judged when it leaves: does a pod of that claim's ordinal exist right now?
                Matcher claim = CLAIM_OF_POD.matcher(sent.path());
                if (sent.method().equals("DELETE") && claim.find()
                        && cluster.admin().pods().inNamespace(namespace).withName(claim.group(1)).get() != null) {
                    claimDeletesBesideAPod.add(identity + ": " + sent.path());
                }
            });
            this.client = new KubernetesClientBuilder().withConfig(asAccount)
                    .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("requests", requests))
                    .build();
            this.operator = CacheRuntimeOperator.create(client,
                    new ClusterAccess(quorum, RecordingPodExec.succeeding("done"), Duration.ofMillis(500)),
                    registry, Duration.ofMillis(200), Duration.ofMinutes(10),
                    WatchedNamespaces.of(namespace), Optional.of(election(namespace, identity)));
        }

        /** The reconciles this instance ran, of every outcome. */
        double reconciles() {
            return registry.find(ControllerMetrics.RECONCILE_OUTCOMES).counters().stream()
                    .mapToDouble(Counter::count).sum();
        }

        /** The writes this instance sent, but the access review JOSDK makes before it campaigns for the Lease. */
        List<InstanceRequests.Sent> reconcilingWrites() {
            return requests.writes().stream().filter(sent -> !sent.path().equals(ACCESS_REVIEW)).toList();
        }

        @Override
        public void close() {
            try {
                operator.stop();
            } finally {
                client.close();
            }
        }
    }

    /**
     * JOSDK's leader election on the shipped Lease name, as {@code LeaseSettings} configures it, but for
     * two things: shorter durations, and an instance that loses the Lease does not exit, since both instances
     * live in the test's JVM (a stopped instance has stopped reconciling anyway).
     */
    private static LeaderElectionConfiguration election(String namespace, String identity) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(DeploymentSettings.DEFAULT_LEASE_NAME)
                .withLeaseNamespace(namespace)
                .withIdentity(identity)
                .withLeaseDuration(LEASE)
                .withRenewDeadline(RENEW_DEADLINE)
                .withRetryPeriod(RETRY)
                .withExitOnStopLeading(false)
                .build();
    }

    /** The CRDs, and a restricted namespace with the controller's ServiceAccount, Role and Lease rights. */
    private static String install(RealCluster cluster) {
        for (String crd : List.of("crd.yaml", "crd-backup.yaml")) {
            String name = cluster.apply(DEPLOY.resolve(crd), null).get(0).getMetadata().getName();
            Eventually.within(BUDGET, "CRD " + name + " established", () -> cluster.admin().apiextensions().v1()
                    .customResourceDefinitions().withName(name).get().getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")) ? true : null);
        }
        String namespace = cluster.createNamespace("election", RealCluster.RESTRICTED_POD_SECURITY);
        for (String manifest : List.of("serviceaccount.yaml", "rbac.yaml", "leader-election.yaml")) {
            cluster.apply(DEPLOY.resolve(manifest), namespace);
        }
        return namespace;
    }

    private static void membersAnswer(FakeQuorum quorum, int replicas) {
        // Member 1 leads; every other member up to `replicas` follows.
        List<String> followers = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            if (ordinal != 1) {
                followers.add(NAME + "-master-" + ordinal);
            }
        }
        quorum.with(NAME + "-master-1", followers.toArray(String[]::new));
    }

    private static Optional<String> holder(KubernetesClient admin, String namespace) {
        Lease lease = admin.resources(Lease.class).inNamespace(namespace)
                .withName(DeploymentSettings.DEFAULT_LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? Optional.empty()
                : Optional.ofNullable(lease.getSpec().getHolderIdentity());
    }

    private static CacheRuntime await(KubernetesClient admin, String namespace, Predicate<CacheRuntime> condition,
            String what) {
        return Eventually.within(BUDGET, Duration.ofMillis(200), what, () -> {
            CacheRuntime runtime = admin.resources(CacheRuntime.class).inNamespace(namespace).withName(NAME).get();
            return runtime != null && runtime.getStatus() != null && condition.test(runtime) ? runtime : null;
        });
    }

    private static Predicate<CacheRuntime> readyAt(long generation) {
        return runtime -> runtime.getStatus().getConditions() != null && runtime.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")
                        && c.getObservedGeneration() != null && c.getObservedGeneration() == generation);
    }

    /** The journal claims of {@code ordinals} as the StatefulSet would name them, left by an earlier shrink. */
    private static List<String> leftoverClaims(KubernetesClient admin, String namespace, int... ordinals) {
        StatefulSet set = admin.apps().statefulSets().inNamespace(namespace).withName(NAME + "-master").get();
        StatefulSet atMost = new StatefulSetBuilder(set).editSpec().withReplicas(ordinals[ordinals.length - 1] + 1)
                .endSpec().build();
        List<String> uids = new ArrayList<>();
        for (PersistentVolumeClaim claim : StatefulSetClaims.of(atMost)) {
            for (int ordinal : ordinals) {
                if (claim.getMetadata().getName().endsWith("-" + NAME + "-master-" + ordinal)) {
                    uids.add(admin.resource(claim).create().getMetadata().getUid());
                }
            }
        }
        return uids;
    }

    /** The replica change's next step as the server has it, or -1 when no change is recorded. */
    private static int recordedNextStep(KubernetesClient admin, String namespace) {
        CacheRuntime runtime = admin.resources(CacheRuntime.class).inNamespace(namespace).withName(NAME).get();
        return runtime.getStatus() == null || runtime.getStatus().getSteps() == null ? -1
                : Objects.requireNonNullElse(runtime.getStatus().getSteps().nextStep(), -1);
    }

        /** How often each pod was deleted (restarted) by {@code instance}'s writes that reached the server. */
    private static Map<String, Long> restarts(Instance instance) {
        return instance.requests.writes().stream().filter(sent -> sent.method().equals("DELETE"))
                .map(sent -> POD.matcher(sent.path())).filter(Matcher::find).map(pod -> pod.group(1))
                .collect(Collectors.groupingBy(pod -> pod, Collectors.counting()));
    }

    @ParameterizedTest(name = "the leader stops right after it recorded {0} of the grow's 4 steps as done")
    @ValueSource(ints = {1, 2, 3})
    void onlyTheLeaderReconcilesAndTheStandbyFinishesAGrowTheStoppedLeaderLeftWithoutDeletingALiveClaim(
            int stepsDone, RealCluster cluster) {
        // Given the shipped CRDs, ServiceAccount, Role and Lease rights in a restricted namespace
        String namespace = install(cluster);
        KubernetesClient admin = cluster.admin();
        FakeQuorum quorum = ENGINE.quorum();
        membersAnswer(quorum, 3);
        List<String> claimDeletesBesideAPod = new CopyOnWriteArrayList<>();
        try (Instance a = new Instance(cluster, namespace, "controller-a", quorum, claimDeletesBesideAPod);
                Instance b = new Instance(cluster, namespace, "controller-b", quorum, claimDeletesBesideAPod)) {
            // And instance a leading, b started after it as a standby
            a.operator.start();
            Eventually.within(BUDGET, "a holding the Lease",
                    () -> holder(admin, namespace).filter(a.identity::equals).orElse(null));
            b.operator.start();

            // When a three-master runtime is created
            admin.resource(Runtimes.runtime(namespace, NAME, ENGINE.engine(), 3)).create();

            // Then it becomes Ready, reconciled by a alone: b ran no reconcile and sent no write
            await(admin, namespace, readyAt(1), "the runtime Ready with 3 members");
            assertThat(a.reconciles()).isPositive();
            assertThat(b.reconciles()).isZero();
            assertThat(b.reconcilingWrites()).isEmpty();

            // Given claims of members 3 and 4 left by an earlier shrink, and members 3 and 4 answering once up
            List<String> leftover = leftoverClaims(admin, namespace, 3, 4);
            membersAnswer(quorum, 5);
            // When it grows to 5 and a dies right after it recorded step `stepsDone` as done: every later write of
            // a is lost, but its Lease renewals, until it stops
            a.requests.loseWritesAfter(sent -> sent.method().equals("PATCH")
                            && sent.path().endsWith("/cacheruntimes/" + NAME + "/status")
                            && Integer.valueOf(stepsDone).equals(StatusWrites.recordedNextStep(sent.body())),
                    sent -> sent.path().contains("/leases/"));
            // (a merge patch with no resourceVersion, as kubectl patch sends: the controller writes the status)
            admin.resources(CacheRuntime.class).inNamespace(namespace).withName(NAME)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
            // (the interceptor sees the write before it is sent, so the server is asked until it has it)
            Eventually.within(BUDGET, "a recording step " + stepsDone + " as done",
                    () -> a.requests.losingWrites() && recordedNextStep(admin, namespace) == stepsDone ? true : null);
            long stopped = System.nanoTime();
            a.operator.stop();
            int aWrites = a.requests.writes().size();
            assertThat(recordedNextStep(admin, namespace)).as("what a recorded last").isEqualTo(stepsDone);

            // Then b holds the Lease within the lease time (plus its retry period), having reconciled nothing
            // while a led
            assertThat(b.reconcilingWrites()).isEmpty();
            Eventually.within(BUDGET, "b holding the Lease",
                    () -> holder(admin, namespace).filter(b.identity::equals).orElse(null));
            Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
            System.out.println("leader election: b took over " + takeover.toMillis() + " ms after a stopped"
                    + " (lease " + LEASE.toSeconds() + " s, retry " + RETRY.toSeconds() + " s)");
            // The Lease expires at most LEASE after a's last renewal; b looks again every retry period, which
            // fabric8 jitters up to 2.2 times; the rest is the round trips of the get and the update.
            assertThat(takeover).isLessThanOrEqualTo(LEASE.plus(RETRY.multipliedBy(3)));

            // And b finishes the grow: 5 members, no change in progress
            CacheRuntime five = await(admin, namespace, readyAt(2), "the runtime Ready with 5 members");
            assertThat(five.getStatus().getReplicas()).isEqualTo(5);
            assertThat(five.getStatus().getReplicaChange()).isNull();
            assertThat(b.reconciles()).isPositive();
            assertThat(a.requests.writes()).as("a sent nothing once stopped").hasSize(aWrites);
            // And the only claims ever deleted were the two leftovers, by a, each once and by its UID, and no
            // claim DELETE left while a pod of its ordinal existed
            List<InstanceRequests.Sent> claimDeletes = new ArrayList<>();
            for (Instance instance : List.of(a, b)) {
                instance.requests.writes().stream().filter(sent -> sent.method().equals("DELETE")
                        && sent.path().contains("/persistentvolumeclaims/")).forEach(claimDeletes::add);
            }
            assertThat(claimDeletes).hasSize(2)
                    .allSatisfy(delete -> assertThat(leftover).anyMatch(uid -> delete.body().contains(uid)));
            assertThat(b.requests.writes()).noneMatch(sent -> sent.path().contains("/persistentvolumeclaims/"));
            assertThat(claimDeletesBesideAPod).isEmpty();
            // And each original member was restarted once, by b (the restarts are the last step), the new members
            // never
            assertThat(restarts(a)).isEmpty();
            assertThat(restarts(b)).isEqualTo(Map.of(NAME + "-master-0", 1L, NAME + "-master-1", 1L,
                    NAME + "-master-2", 1L));
            // And the five members run on five claims, none of them a leftover
            assertThat(admin.persistentVolumeClaims().inNamespace(namespace).list().getItems()).hasSize(5)
                    .noneMatch(claim -> leftover.contains(claim.getMetadata().getUid()));

            // When the runtime is deleted, Then the leader's cleanup lets it go (its finalizer removed)
            admin.resources(CacheRuntime.class).inNamespace(namespace).withName(NAME).delete();
            Eventually.within(BUDGET, "the runtime gone", () -> admin.resources(CacheRuntime.class)
                    .inNamespace(namespace).withName(NAME).get() == null ? true : null);
        } finally {
            admin.namespaces().withName(namespace).delete();
        }
    }
}
