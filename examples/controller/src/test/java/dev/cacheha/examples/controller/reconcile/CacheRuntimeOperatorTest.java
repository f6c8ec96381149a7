package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
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
import dev.cacheha.spi.Step;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller on JOSDK against the CRUD mock API server, for faults a real API server cannot be made to produce
 * on cue: a 409 or a 500 on exactly the status write that records one step, a 409 on one apply, a 403 on one
 * create, and a port change the CRD's rule refuses on a real server before the controller's own guard behind it
 * could be reached. Every other flow of the controller is proven on the real control plane
 * ({@code realcluster.ReconcileOnRealClusterTest}).
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

    /** The example engine's members' configuration, as the server has it. */
    private String raftProperties() {
        return harness.test().configMaps().inNamespace(NAMESPACE).withName("demo-master-config").get().getData()
                .get("raft.properties");
    }

    /** Starts the operator for the example engine and waits until a runtime of three members is Ready. */
    private void readyExampleRuntime() {
        start(TestEngine.EXAMPLE_RAFT);
        membersAnswer(TestEngine.EXAMPLE_RAFT, 3, 1);
        create(TestEngine.EXAMPLE_RAFT, 3);
        harness.awaitReadyAt(NAME, 1, BUDGET);
    }

    private CacheRuntime create(TestEngine engine, int replicas) {
        return harness.test().resource(Runtimes.runtime(NAMESPACE, NAME, engine.engine(), replicas)).create();
    }

    private CacheRuntime edit(java.util.function.Consumer<CacheRuntime> change) {
        return harness.edit(NAME, change);
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
        readyExampleRuntime();
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
    void anApplyRefusedBecauseTheObjectChangedSinceTheCacheSawItIsNoFailureAndTheNextReconcileCompletesIt() {
        // Given a Ready runtime, and the API server answering the next apply of its ConfigMap with 409 Conflict, as
        // a real one does when the apply's resource version is older than the stored object's (the cache behind)
        readyExampleRuntime();
        String planned = raftProperties();
        ApiServerFaults.Fault conflict = harness.faults().fail(request -> request.getMethod().equals("PATCH")
                && request.getPath().contains("/configmaps/demo-master-config")
                && request.getHeader("Content-Type").startsWith("application/apply-patch+yaml"), 409, 1);
        harness.requests().sinceLastCall();

        // When another writer changes a field of the ConfigMap that the controller sets
        harness.test().configMaps().inNamespace(NAMESPACE).withName("demo-master-config").edit(config -> {
            config.getData().put("raft.properties", planned + "\n# changed by someone else");
            return config;
        });

        // Then the refused apply is sent again and the ConfigMap is as planned
        Eventually.within(BUDGET, "the ConfigMap applied again",
                () -> conflict.hits() == 1 && planned.equals(raftProperties()) ? true : null);
        // And no status said that a reconcile failed: the refusal is counted as superseded, not as a failure
        assertThat(harness.requests().sinceLastCall()).filteredOn(request -> request.path().endsWith("/status"))
                .noneMatch(request -> request.body().contains("reconcile failed"));
        assertThat(harness.runtime(NAME).getStatus().getMessage()).isNull();
        assertThat(outcomes(ControllerMetrics.Outcome.SUPERSEDED)).isEqualTo(1.0);
        assertThat(outcomes(ControllerMetrics.Outcome.FAILED)).isZero();
    }

    @Test
    void aPortChangeOnARunningRuntimeIsRefusedWithTheReason() {
        // Given a Ready runtime
        readyExampleRuntime();

        // When its journal port changes
        edit(r -> r.getSpec().setPorts(Map.of("journal", 9300)));

        // Then it is refused with the field and the reason, and the ConfigMap keeps the old members' addresses
        CacheRuntime refused = harness.await(NAME, r -> r.getStatus().getViolations() != null, BUDGET,
                "violations");
        assertThat(refused.getStatus().getViolations()).singleElement().asString()
                .startsWith("ports.journal: default -> 9300 cannot change on a running runtime");
        assertThat(raftProperties()).doesNotContain("9300");
    }
}
