package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static dev.cacheha.examples.controller.fake.ControllerHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.fake.ApiServerFaults;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ServerRequests.Request;
import dev.cacheha.examples.controller.fake.StatefulSetClaims;
import dev.cacheha.examples.controller.fake.StatusWrites;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.ReplicaChangeProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Step;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller on JOSDK against the CRUD mock API server, with faults injected: the scenarios of a
 * controller that can neither lose a journal nor take over what it does not own.
 */
class CacheRuntimeOperatorTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final String NAME = "demo";

    private ControllerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private ControllerHarness start(TestEngine engine) {
        harness = new ControllerHarness(engine);
        return harness;
    }

    private CacheRuntime create(TestEngine engine, int replicas) {
        return harness.test().resource(Runtimes.runtime(NAMESPACE, NAME, engine.engine(), replicas)).create();
    }



    private CacheRuntime edit(java.util.function.Consumer<CacheRuntime> change) {
        return harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(NAME).edit(runtime -> {
            change.accept(runtime);
            return runtime;
        });
    }

    private void membersAnswer(TestEngine engine, int replicas, int leader) {
        List<String> followers = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            if (ordinal != leader) {
                followers.add("demo-master-" + ordinal);
            }
        }
        harness.quorum().with("demo-master-" + leader, followers.toArray(String[]::new));
    }

    private double outcomes(ControllerMetrics.Outcome outcome) {
        return harness.registry().get(ControllerMetrics.RECONCILE_OUTCOMES).tag("outcome", outcome.name())
                .counter().count();
    }

    /**
     * Creates the journal claims of {@code ordinals} as the StatefulSet would have made them, as an earlier
     * scale-down leaves them behind, and returns them as stored.
     */
    private List<PersistentVolumeClaim> leftoverClaims(int... ordinals) {
        StatefulSet set = harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get();
        List<String> names = java.util.Arrays.stream(ordinals).mapToObj(ordinal -> "-demo-master-" + ordinal)
                .toList();
        return StatefulSetClaims.of(new StatefulSetBuilder(set).editSpec().withReplicas(HaSpec.MAX_REPLICAS)
                        .endSpec().build()).stream()
                .filter(claim -> names.stream().anyMatch(claim.getMetadata().getName()::endsWith))
                .map(claim -> harness.test().resource(claim).create())
                .toList();
    }

    @Test
    void aRuntimeBecomesReadyWithOwnedObjectsConditionsAndMetrics() {
        // Given the operator and a three-master runtime whose member 1 leads
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);

        // When the runtime is created
        create(TestEngine.EXAMPLE_RAFT, 3);

        // Then it becomes Ready with every condition at its generation, its objects controlled by it
        CacheRuntime ready = harness.awaitReadyAt(NAME, 1, BUDGET);
        assertThat(ready.getStatus().getLeader()).isEqualTo("demo-master-1");
        assertThat(ready.getStatus().getConditions()).extracting(Condition::getType)
                .containsExactly("BackupReady", "Progressing", "QuorumHealthy", "Ready");
        assertThat(ready.getStatus().getConditions()).allMatch(c -> c.getObservedGeneration() == 1L);
        assertThat(condition(ready, "Progressing").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(ready.getMetadata().getFinalizers()).contains(CacheRuntimeReconciler.CLEANUP_FINALIZER);
        StatefulSet set = harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get();
        assertThat(set.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
        // And the quorum health gauge says HEALTHY
        assertThat(harness.registry().get(ControllerMetrics.QUORUM_HEALTH).tags("name", NAME, "health", "HEALTHY")
                .gauge().value()).isEqualTo(1.0);
        assertThat(harness.registry().get(ControllerMetrics.DISCOVERY_LATENCY).timer().count()).isPositive();
    }

    @Test
    void aResyncOfAnUnchangedRuntimeSendsNoWriteAndNoGet() {
        // Given a Ready runtime and every request so far taken
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        create(TestEngine.EXAMPLE_RAFT, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        // (the Event telling that it became Ready follows the status write that made it so)
        Eventually.within(BUDGET, "the Ready event", () -> harness.test().v1().events().inNamespace(NAMESPACE)
                .list().getItems().stream().anyMatch(event -> "Ready".equals(event.getReason())) ? true : null);
        harness.requests().sinceLastCall();
        double unchangedBefore = outcomes(ControllerMetrics.Outcome.UNCHANGED);

        // When a watched object changes in a field the controller does not set, which triggers reconciles
        harness.test().configMaps().inNamespace(NAMESPACE).withName("demo-master-config")
                .edit(map -> new ConfigMapBuilder(map).editMetadata().addToAnnotations("touched", "yes").endMetadata()
                        .build());
        Eventually.within(BUDGET, "a reconcile that found everything unchanged",
                () -> outcomes(ControllerMetrics.Outcome.UNCHANGED) > unchangedBefore ? true : null);

        // Then the controller sent nothing at all: reads came from the informers, nothing was written
        assertThat(harness.requests().sinceLastCall()).filteredOn(request -> !request.path().contains("watch=true"))
                .isEmpty();
    }

    @Test
    void aForeignObjectWithAPlannedNameIsLeftUntouchedAndReported() {
        // Given another application's Service with the name the plan gives the runtime's Service
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        Service foreign = harness.test().resource(new ServiceBuilder()
                .withNewMetadata().withName("demo-master").withNamespace(NAMESPACE)
                .addToLabels("app", "billing").endMetadata()
                .withNewSpec().addToSelector("app", "billing").addNewPort().withPort(8080).endPort().endSpec()
                .build()).create();

        // When a runtime named demo is created
        create(TestEngine.EXAMPLE_RAFT, 3);

        // Then its status names the Service as what blocks it, Ready is False
        CacheRuntime blocked = harness.await(NAME, runtime -> runtime.getStatus() != null
                && runtime.getStatus().getBlockedBy() != null, BUDGET, "blockedBy");
        assertThat(blocked.getStatus().getBlockedBy()).singleElement().asString()
                .startsWith("Service demo-master: not controlled by any owner");
        assertThat(condition(blocked, "Ready").orElseThrow().getReason()).isEqualTo("ForeignObject");
        // And the Service is exactly as it was, never patched, never adopted
        Service after = harness.test().services().inNamespace(NAMESPACE).withName("demo-master").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
        assertThat(after.getSpec().getSelector()).isEqualTo(Map.of("app", "billing"));
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(harness.requests().sinceLastCall())
                .noneMatch(request -> request.writes() && request.path().contains("/services/demo-master"));
        // And nothing else of the plan was applied either
        assertThat(harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get())
                .isNull();
    }

    @Test
    void anOwnedObjectThatLeftThePlanIsDeletedWithItsUidAsPrecondition() {
        // Given a Ready runtime with journal traffic restricted, so it has a NetworkPolicy
        start(TestEngine.ALLUXIO);
        membersAnswer(TestEngine.ALLUXIO, 3, 1);
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, NAME, "alluxio", 3);
        runtime.getSpec().setRestrictJournalTraffic(true);
        harness.test().resource(runtime).create();
        harness.awaitReadyAt(NAME, 1, BUDGET);
        List<NetworkPolicy> policies = harness.test().network().v1().networkPolicies().inNamespace(NAMESPACE).list()
                .getItems();
        assertThat(policies).hasSize(1);
        harness.requests().sinceLastCall();

        // When the restriction is turned off
        edit(r -> r.getSpec().setRestrictJournalTraffic(false));
        harness.awaitReadyAt(NAME, 2, BUDGET);

        // Then the NetworkPolicy is gone, deleted with its UID as precondition
        Eventually.within(BUDGET, "the NetworkPolicy pruned", () -> harness.test().network().v1().networkPolicies()
                .inNamespace(NAMESPACE).list().getItems().isEmpty() ? true : null);
        assertThat(harness.requests().sinceLastCall()).filteredOn(request -> request.method().equals("DELETE"))
                .singleElement().satisfies(delete -> {
                    assertThat(delete.path()).endsWith("/networkpolicies/" + policies.get(0).getMetadata().getName());
                    assertThat(delete.body()).contains(policies.get(0).getMetadata().getUid());
                });
    }

    @Test
    void aConfigurationChangeRestartsFollowersFirstAndTheLeaderLast() {
        // Given a Ready runtime whose member 1 leads
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        create(TestEngine.EXAMPLE_RAFT, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        harness.requests().sinceLastCall();

        // When a property changes
        edit(r -> r.getSpec().setProperties(Map.of("raft.snapshot.every", "1000")));
        CacheRuntime rolled = harness.awaitReadyAt(NAME, 2, BUDGET);

        // Then every pod was restarted once, one at a time, members 0 and 2 before the leader 1
        List<String> podDeletes = harness.requests().sinceLastCall().stream()
                .filter(request -> request.method().equals("DELETE") && request.path().contains("/pods/"))
                .map(request -> request.path().substring(request.path().lastIndexOf('/') + 1))
                .toList();
        assertThat(podDeletes).containsExactly("demo-master-0", "demo-master-2", "demo-master-1");
        // And every pod now runs the new configuration
        String digest = harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(ConfigDigest.ANNOTATION);
        List<Pod> pods = harness.test().pods().inNamespace(NAMESPACE).list().getItems();
        assertThat(pods).hasSize(3).allMatch(pod -> digest.equals(ConfigDigest.of(pod).orElse(null)));
        assertThat(rolled.getStatus().getMessage()).isNull();
    }

    @Test
    void aDriftedOwnedObjectIsServerSideAppliedByFieldManagerCacheHaWithItsResourceVersion() {
        // Given the controller, which updates by server-side apply (the mock server takes it as a merge patch)
        harness = new ControllerHarness(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        create(TestEngine.EXAMPLE_RAFT, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        harness.requests().sinceLastCall();

        // When a property changes, which changes the ConfigMap and the StatefulSet's pod template
        edit(r -> r.getSpec().setProperties(Map.of("raft.snapshot.every", "1000")));
        harness.awaitReadyAt(NAME, 2, BUDGET);

        // Then both were updated by apply patches with field manager cache-ha, forced, each carrying the
        // resourceVersion the cache saw; no other kind of patch was sent for them (a reconcile whose informer has
        // not seen its own update yet applies again, which the resourceVersion precondition guards)
        List<Request> patches = harness.requests().sinceLastCall().stream()
                .filter(request -> request.method().equals("PATCH") && (request.path().contains("/configmaps/")
                        || request.path().contains("/statefulsets/")))
                .toList();
        assertThat(patches).extracting(request -> request.path().replaceAll("\\?.*", ""))
                .contains("/api/v1/namespaces/data/configmaps/demo-master-config",
                        "/apis/apps/v1/namespaces/data/statefulsets/demo-master");
        assertThat(patches).allSatisfy(apply -> {
            assertThat(apply.contentType()).startsWith("application/apply-patch+yaml");
            assertThat(apply.path()).contains("fieldManager=" + OwnedObjects.FIELD_MANAGER).contains("force=true");
            assertThat(apply.body()).contains("resourceVersion");
        });
    }

    @Test
    void aGrowInterruptedAfterTheStatefulSetWasScaledAndRetriedDeletesNoClaimOfARunningMember() {
        // Given a Ready three-master Alluxio runtime, and claims of members 3 and 4 left by an earlier shrink
        start(TestEngine.ALLUXIO);
        membersAnswer(TestEngine.ALLUXIO, 3, 1);
        create(TestEngine.ALLUXIO, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        List<String> leftover = leftoverClaims(3, 4).stream().map(claim -> claim.getMetadata().getUid()).toList();
        harness.requests().sinceLastCall();

        // When it grows to 5, and members 3 and 4 never answer, so the change stops at the quorum wait
        edit(r -> r.getSpec().setReplicas(5));
        harness.await(NAME, r -> r.getStatus().getReplicaChange() != null && r.getStatus().getSteps() != null
                && r.getStatus().getSteps().getNextStep() >= 2, BUDGET, "the change waiting for its quorum");
        Eventually.within(BUDGET, "pods 3 and 4", () -> harness.test().pods().inNamespace(NAMESPACE)
                .withName("demo-master-4").get());
        // And the controller crashes, and its recorded progress is lost, as if the write never arrived
        harness.stop();
        CacheRuntime lost = harness.runtime(NAME);
        lost.getStatus().setReplicaChange(null);
        lost.getStatus().setReplicas(3);
        harness.test().resource(lost).updateStatus();
        harness.requests().sinceLastCall().stream().filter(request -> request.method().equals("DELETE")
                && request.path().contains("persistentvolumeclaims")).forEach(delete ->
                        assertThat(leftover).anyMatch(uid -> delete.body().contains(uid)));
        // And a new controller takes over while members 3 and 4 answer as followers
        membersAnswer(TestEngine.ALLUXIO, 5, 1);
        harness.start();

        // Then the runtime reaches 5 members
        CacheRuntime five = harness.awaitReadyAt(NAME, 2, BUDGET);
        assertThat(five.getStatus().getReplicas()).isEqualTo(5);
        // And the new controller deleted no claim at all: members 3 and 4 run on theirs
        assertThat(harness.requests().sinceLastCall())
                .noneMatch(request -> request.method().equals("DELETE")
                        && request.path().contains("persistentvolumeclaims"));
        assertThat(harness.test().persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .extracting(claim -> claim.getMetadata().getName()).hasSize(5);
    }

    @Test
    void aStaleClaimOfAGrowIsDeletedOnlyWithItsUidAsPrecondition() {
        // Given a Ready three-master Alluxio runtime, a claim of member 3 left by an earlier shrink
        start(TestEngine.ALLUXIO);
        membersAnswer(TestEngine.ALLUXIO, 3, 1);
        create(TestEngine.ALLUXIO, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        PersistentVolumeClaim stale = leftoverClaims(3).get(0);
        String staleUid = stale.getMetadata().getUid();
        harness.requests().sinceLastCall();
        membersAnswer(TestEngine.ALLUXIO, 5, 1);

        // When it grows to 5
        edit(r -> r.getSpec().setReplicas(5));
        harness.awaitReadyAt(NAME, 2, BUDGET);

        // Then exactly that claim was deleted once, before pod 3 existed, with its UID as precondition
        List<Request> deletes = harness.requests().sinceLastCall().stream()
                .filter(request -> request.method().equals("DELETE")
                        && request.path().contains("persistentvolumeclaims"))
                .toList();
        assertThat(deletes).singleElement().satisfies(delete -> {
            assertThat(delete.path()).endsWith("/" + stale.getMetadata().getName());
            assertThat(delete.body()).contains("\"uid\":\"" + staleUid + "\"");
        });
    }

    /** The steps of the example engine's grow from 3 to 5 members, by index. */
    static IntStream exampleGrowSteps() {
        return IntStream.range(0, growSteps(TestEngine.EXAMPLE_RAFT).size());
    }

    /** The steps of a grow from 3 to 5 members as {@code engine}'s provider plans it. */
    private static List<Step> growSteps(TestEngine engine) {
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, NAME, engine.engine(), 3);
        TranslatedRuntime translated = Runtimes.translator().translate(runtime);
        return translated.provider().planReplicaChange(translated.spec(), 5).steps();
    }

    @ParameterizedTest(name = "409 on the write that records step {0} as done")
    @MethodSource("exampleGrowSteps")
    void aConflictOnTheStatusWriteThatRecordsAStepRepeatsNoStep(int step) {
        // Given a Ready runtime, and the API server answering 409 Conflict to exactly the status write that
        // records step `step` of the coming grow 3 -> 5 as done
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        create(TestEngine.EXAMPLE_RAFT, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        int steps = growSteps(TestEngine.EXAMPLE_RAFT).size();
        ApiServerFaults.Fault conflict = harness.faults().fail(StatusWrites.recordingStepDone(NAME, step, steps),
                409, 1);
        harness.requests().sinceLastCall();
        membersAnswer(TestEngine.EXAMPLE_RAFT, 5, 1);

        // When it grows to 5
        edit(r -> r.getSpec().setReplicas(5));
        harness.awaitReadyAt(NAME, 2, BUDGET);

        // Then the conflict hit that write, and the same record was written again rather than the step redone
        assertThat(conflict.hits()).isEqualTo(1);
        List<Request> sent = harness.requests().sinceLastCall();
        assertThat(sent.stream().filter(request -> request.path().endsWith("/cacheruntimes/demo/status"))
                .collect(Collectors.groupingBy(Request::body, Collectors.counting())).values())
                .as("a status record sent twice: the refused write and its retry").contains(2L);
        // And the leader's reconfigure command ran once, and each original member was restarted once
        assertThat(harness.exec().calls()).hasSize(1);
        List<String> podDeletes = sent.stream()
                .filter(request -> request.method().equals("DELETE") && request.path().contains("/pods/"))
                .map(Request::path).toList();
        assertThat(podDeletes).hasSize(3).doesNotHaveDuplicates();
    }

    /** Where the recorded progress of an interrupted change stands when the next controller starts. */
    enum Recorded {
        /** As the interrupted controller left it: at the step whose completion it could not record. */
        AS_LEFT,
        /** Back at the first step, as a stale read of the runtime would show it. */
        BACK_AT_THE_FIRST_STEP
    }

    /** Every step of the Alluxio grow from 3 to 5 members, with each way the progress may be found. */
    static Stream<Arguments> alluxioGrowInterruptions() {
        return IntStream.range(0, growSteps(TestEngine.ALLUXIO).size()).boxed()
                .flatMap(step -> Stream.of(Recorded.values()).map(recorded -> Arguments.of(step, recorded)));
    }

    @ParameterizedTest(name = "interrupted after step {0}, progress {1}")
    @MethodSource("alluxioGrowInterruptions")
    void aGrowInterruptedAfterAnyStepAndRetriedDeletesNoClaimOfARunningMember(int step, Recorded recorded) {
        // Given a Ready three-master Alluxio runtime, claims of members 3 and 4 left by an earlier shrink, and
        // every claim DELETE checked, when it arrives, against the pods that exist then
        start(TestEngine.ALLUXIO);
        membersAnswer(TestEngine.ALLUXIO, 5, 1);
        create(TestEngine.ALLUXIO, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
        List<String> leftover = leftoverClaims(3, 4).stream().map(claim -> claim.getMetadata().getUid()).toList();
        List<String> claimsOfRunningMembers = new CopyOnWriteArrayList<>();
        harness.faults().observe(request -> claimOrdinalPod(request).filter(pod -> harness.faults()
                .exists("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod))
                .ifPresent(pod -> claimsOfRunningMembers.add(request.getPath())));
        int steps = growSteps(TestEngine.ALLUXIO).size();
        ApiServerFaults.Fault crash = harness.faults().fail(StatusWrites.recordingStepDone(NAME, step, steps),
                500, Integer.MAX_VALUE);

        // When it grows to 5 and the controller dies right after step `step`, before it could record it as done
        edit(r -> r.getSpec().setReplicas(5));
        Eventually.within(BUDGET, "the write recording step " + step, () -> crash.hits() > 0 ? true : null);
        harness.stop();
        crash.clear();
        if (recorded == Recorded.BACK_AT_THE_FIRST_STEP) {
            CacheRuntime stale = harness.runtime(NAME);
            ReplicaChangeProgress change = new ReplicaChangeProgress(3, 5);
            stale.getStatus().setReplicaChange(change);
            stale.getStatus().setSteps(new StepProgress(change.operation(), 0,
                    growSteps(TestEngine.ALLUXIO).get(0).description()));
            harness.test().resource(stale).updateStatus();
        }
        // And a new controller takes over
        harness.start();

        // Then the runtime reaches 5 members, each on its own claim
        CacheRuntime five = harness.awaitReadyAt(NAME, 2, BUDGET);
        assertThat(five.getStatus().getReplicaChange()).isNull();
        assertThat(harness.test().persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .hasSize(5).noneMatch(claim -> leftover.contains(claim.getMetadata().getUid()));
        // And no claim was ever deleted while a pod of its ordinal existed; the only claims deleted were the
        // leftovers, each by its UID
        assertThat(claimsOfRunningMembers).isEmpty();
        assertThat(harness.requests().sinceLastCall()).filteredOn(request -> request.method().equals("DELETE")
                        && request.path().contains("/persistentvolumeclaims/"))
                .isNotEmpty()
                .allSatisfy(delete -> assertThat(leftover).anyMatch(uid -> delete.body().contains(uid)));
    }

    /** The pod whose journal a claim DELETE targets ({@code <template>-<pod>}), for claims of this runtime. */
    private static Optional<String> claimOrdinalPod(RecordedRequest request) {
        if (!request.getMethod().equals("DELETE") || !request.getPath().contains("/persistentvolumeclaims/")) {
            return Optional.empty();
        }
        Matcher pod = Pattern.compile("-(" + NAME + "-master-\\d+)$").matcher(request.getPath());
        return pod.find() ? Optional.of(pod.group(1)) : Optional.empty();
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void deletingARuntimeDeletesOnlyItsOwnClaimsNotThoseOfARuntimeWhoseNamesStartTheSame(TestEngine engine) {
        // Given runtime demo and runtime demo-master in one namespace, both Ready with their journal claims
        start(engine);
        answer("demo", 3, 1, true);
        answer("demo-master", 3, 0, false);
        create(engine, 3);
        harness.test().resource(Runtimes.runtime(NAMESPACE, "demo-master", engine.engine(), 3)).create();
        harness.awaitReadyAt(NAME, 1, BUDGET);
        harness.await("demo-master", r -> condition(r, RuntimeConditions.READY)
                .filter(ready -> ready.getStatus().equals("True")).isPresent(), BUDGET, "demo-master Ready");
        List<PersistentVolumeClaim> claims = Eventually.within(BUDGET, "six claims", () -> {
            List<PersistentVolumeClaim> all = harness.test().persistentVolumeClaims().inNamespace(NAMESPACE).list()
                    .getItems();
            return all.size() == 6 ? all : null;
        });
        Map<String, String> demoClaims = claims.stream()
                .filter(claim -> claim.getMetadata().getName().matches(".*-demo-master-\\d+"))
                .collect(Collectors.toMap(claim -> claim.getMetadata().getName(),
                        claim -> claim.getMetadata().getUid()));
        assertThat(demoClaims).hasSize(3);
        harness.requests().sinceLastCall();

        // When runtime demo is deleted
        harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(NAME).delete();
        Eventually.within(BUDGET, "demo gone", () -> harness.runtime(NAME) == null ? true : null);

        // Then exactly demo's three claims were deleted, each with its UID as precondition
        List<Request> deletes = harness.requests().sinceLastCall().stream()
                .filter(request -> request.method().equals("DELETE")
                        && request.path().contains("/persistentvolumeclaims/"))
                .toList();
        assertThat(deletes).hasSize(3).allSatisfy(delete -> {
            String claim = delete.path().substring(delete.path().lastIndexOf('/') + 1);
            assertThat(demoClaims).containsKey(claim);
            assertThat(delete.body()).contains("\"uid\":\"" + demoClaims.get(claim) + "\"");
        });
        // And demo-master's claims are all there
        assertThat(harness.test().persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .extracting(claim -> claim.getMetadata().getName())
                .hasSize(3).allMatch(name -> name.matches(".*-demo-master-master-\\d+"));
    }

    /** Members of runtime {@code runtime}'s masters answer, member {@code leader} leading. */
    private void answer(String runtime, int replicas, int leader, boolean alone) {
        if (alone) {
            harness.quorum().with(runtime + "-master-" + leader);
        }
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            harness.quorum().set(runtime + "-master-" + ordinal, ordinal == leader ? Role.LEADER : Role.FOLLOWER);
        }
    }

    @Test
    void anApiErrorMidApplyLeavesAStateTheNextReconcileCompletes() {
        // Given the API server refusing the first StatefulSet create, as an admission webhook might
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        harness.server().expect().post().withPath("/apis/apps/v1/namespaces/data/statefulsets")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("admission webhook said no").build())
                .once();

        // When a runtime is created
        create(TestEngine.EXAMPLE_RAFT, 3);

        // Then the status says why it is stuck, and a retry completes it
        CacheRuntime ready = harness.awaitReadyAt(NAME, 1, BUDGET);
        assertThat(harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get())
                .isNotNull();
        assertThat(ready.getStatus().getMessage()).isNull();
        assertThat(outcomes(ControllerMetrics.Outcome.FAILED)).isEqualTo(1.0);
    }

    @Test
    void aPortChangeOnARunningRuntimeIsRefusedWithTheReason() {
        // Given a Ready runtime
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        create(TestEngine.EXAMPLE_RAFT, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);

        // When its journal port changes
        edit(r -> r.getSpec().setPorts(Map.of("journal", 9300)));

        // Then it is refused with the field and the reason, and the ConfigMap keeps the old members' addresses
        CacheRuntime refused = harness.await(NAME, r -> r.getStatus().getViolations() != null, BUDGET,
                "violations");
        assertThat(refused.getStatus().getViolations()).singleElement().asString()
                .startsWith("ports.journal: default -> 9300 cannot change on a running runtime");
        ConfigMap config = harness.test().configMaps().inNamespace(NAMESPACE).withName("demo-master-config").get();
        assertThat(config.getData().get("raft.properties")).doesNotContain("9300");
    }
}
