package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cacheha.examples.controller.fake.ExampleRaftProvider;
import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ServerRequests;
import dev.cacheha.examples.controller.fake.StatefulSetClaims;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeSpec;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.JournalSpec;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.ReplicaChangePlan.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reconciler against the CRUD mock API server, with every {@link TestEngine}'s provider looked up by
 * engine name; the members' answers come from a {@link FakeQuorum} in which member 1 leads.
 */
@EnableKubernetesMockClient(crud = true)
class CacheRuntimeReconcilerTest {

    private static final String NAMESPACE = "data";
    private static final String NAME = "demo";
    private static final String LOOK_ALIKE = "demo-master";
    private static final Duration PROBE_DEADLINE = Duration.ofMillis(500);
    private static final String IMMUTABLE =
            "cannot change on a running runtime: the StatefulSet's claim templates are immutable";

    KubernetesMockServer server;
    KubernetesClient client;

    private RecordingPodExec exec = RecordingPodExec.succeeding("done");
    private FakeQuorum quorum;
    private CacheRuntimeReconciler reconciler;
    private ServerRequests requests;

    @BeforeEach
    void setUp() {
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntime.class));
        requests = new ServerRequests(server);
    }

    /** Reconciles runtimes of {@code engine}, waiting at most {@code wait} for a quorum at each step. */
    private void reconcilingWith(TestEngine engine, Duration wait) {
        quorum = engine.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        reconciler = reconciler(quorum, wait, CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT);
    }

    /**
     * A reconciler whose members answer through {@code probe} within {@link #PROBE_DEADLINE} and run commands
     * through {@link #exec}, waiting at most {@code wait} at each step.
     */
    private CacheRuntimeReconciler reconciler(MemberProbe probe, Duration wait, Duration leaderCommandTimeout) {
        return new CacheRuntimeReconciler(client, HighAvailabilityProviders.load(),
                new ClusterAccess(probe, exec, PROBE_DEADLINE), new BoundedWait(wait, Duration.ofMillis(10)),
                leaderCommandTimeout);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void theFirstReconcileCreatesEveryPlannedObjectOwnedByTheRuntimeAndRecordsTheLeader(TestEngine engine) {
        // Given a valid three-master runtime whose member 1 leads
        reconcilingWith(engine, Duration.ofSeconds(5));
        create(NAME, engine, 3);

        // When it is reconciled
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then every object of the provider's plan was created, in plan order, controlled by the runtime
        List<HasMetadata> planned = provider(engine).plan(spec(3)).objects();
        assertThat(planned).isNotEmpty();
        assertThat(outcome.applied()).extracting(AppliedObject::kind)
                .containsExactlyElementsOf(planned.stream().map(HasMetadata::getKind).toList());
        assertThat(outcome.applied()).allMatch(object -> object.action() == ApplyAction.CREATED);
        CacheRuntime stored = stored(NAME);
        planned.forEach(object -> assertThat(client.resource(object).get().getMetadata().getOwnerReferences())
                .singleElement().satisfies(owner -> {
                    assertThat(owner.getKind()).isEqualTo("CacheRuntime");
                    assertThat(owner.getName()).isEqualTo(NAME);
                    assertThat(owner.getUid()).isEqualTo(stored.getMetadata().getUid());
                    assertThat(owner.getController()).isTrue();
                }));
        // And the status names the member that says it leads
        assertThat(stored.getStatus().getLeader()).isEqualTo("demo-master-1");
        assertThat(stored.getStatus().getQuorumHealth()).isEqualTo("HEALTHY");
        assertThat(stored.getStatus().getReplicas()).isEqualTo(3);
        assertThat(stored.getStatus().getViolations()).isNullOrEmpty();
        assertThat(stored.getMetadata().getFinalizers()).contains(CacheRuntimeReconciler.CLEANUP_FINALIZER);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void aSecondReconcileOfAnUnchangedRuntimeSendsNoWriteRequest(TestEngine engine) {
        // Given a runtime reconciled once
        reconciled(engine, 3);
        List<String> firstRound = requests.sinceLastCall();

        // When it is reconciled again without any change
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then every object is unchanged and the server received reads only
        assertThat(firstRound).anyMatch(request -> request.startsWith("POST "));
        assertThat(outcome.applied()).isNotEmpty().allMatch(object -> object.action() == ApplyAction.UNCHANGED);
        assertThat(requests.sinceLastCall()).isNotEmpty().allMatch(request -> request.startsWith("GET "));
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void growingFromThreeToFiveRunsTheProvidersStepsAndRestartsTheLeaderLast(TestEngine engine) {
        // Given a reconciled three-master runtime with running pods, member 1 leading,
        // and two new members that join as followers once they start
        readyToGrowToFive(engine);

        // When the spec asks for five masters and the runtime is reconciled
        ReconcileOutcome outcome = resize(5);

        // Then the StatefulSet runs five masters, the old pods restarted followers first and leader last,
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getReplicas()).isEqualTo(5);
        assertThat(podsDeletedSinceLastCall()).containsExactly("demo-master-0", "demo-master-2", "demo-master-1");
        // every command the plan runs on the leader ran on member 1,
        assertThat(exec.calls()).containsExactlyElementsOf(leaderCommandsOfGrowingToFive(engine, "demo-master-1"));
        // and the status records the new size
        assertThat(outcome.status()).get().extracting(CacheRuntimeStatus::getReplicas, CacheRuntimeStatus::getMessage)
                .containsExactly(5, null);
        assertThat(stored(NAME).getStatus().getReplicas()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void whenLeadershipMovesDuringTheRollTheMemberLeadingAtEachRestartIsDeferred(TestEngine engine) {
        // Given a reconciled three-master runtime with running pods, member 1 leading, two new members that
        // join as followers, and a quorum that hands the leadership to member 2 once member 0 restarts
        readyToGrowToFive(engine);
        AtomicBoolean moved = new AtomicBoolean();
        MemberProbe leadershipMovesOnFirstRestart = (member, port, path, deadline) -> {
            if (!moved.get() && client.pods().inNamespace(NAMESPACE).withName("demo-master-0").get() == null) {
                quorum.set("demo-master-1", Role.FOLLOWER).set("demo-master-2", Role.LEADER);
                moved.set(true);
            }
            return quorum.get(member, port, path, deadline);
        };
        reconciler = reconciler(leadershipMovesOnFirstRestart, Duration.ofSeconds(5),
                CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT);

        // When the spec asks for five masters and the runtime is reconciled
        ReconcileOutcome outcome = resize(5);

        // Then member 2, leading since member 0 restarted, was restarted last, after former leader 1
        assertThat(moved).isTrue();
        assertThat(podsDeletedSinceLastCall()).containsExactly("demo-master-0", "demo-master-1", "demo-master-2");
        // and the commands the plan runs on the leader ran on the new leader
        assertThat(exec.calls()).containsExactlyElementsOf(leaderCommandsOfGrowingToFive(engine, "demo-master-2"));
        assertThat(outcome.status()).get().extracting(CacheRuntimeStatus::getReplicas).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void deletingTheRuntimeDeletesItsJournalClaimsAndLeavesALookAlikeRuntimesClaims(TestEngine engine) {
        // Given runtime "demo" and a look-alike runtime "demo-master" in the same namespace, each with the
        // claims its StatefulSet made
        reconcilingWith(engine, Duration.ofSeconds(5));
        create(NAME, engine, 3);
        create(LOOK_ALIKE, engine, 3);
        reconciler.reconcile(NAMESPACE, NAME);
        reconciler.reconcile(NAMESPACE, LOOK_ALIKE);
        client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems().stream()
                .flatMap(statefulSet -> StatefulSetClaims.of(statefulSet).stream())
                .forEach(claim -> client.resource(claim).create());

        // When "demo" is deleted and reconciled
        client.resource(stored(NAME)).delete();
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then exactly its three claims are gone, the look-alike's stay, and only "demo" is released
        assertThat(outcome.deletedClaims())
                .containsExactly("journal-demo-master-0", "journal-demo-master-1", "journal-demo-master-2");
        assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .extracting(claim -> claim.getMetadata().getName())
                .containsExactlyInAnyOrder("journal-demo-master-master-0", "journal-demo-master-master-1",
                        "journal-demo-master-master-2");
        assertThat(stored(NAME)).isNull();
        assertThat(stored(LOOK_ALIKE)).isNotNull();
    }

    @Test
    void aSpecThatBreaksRulesGetsEveryViolationInItsStatusAndNothingIsApplied() {
        // Given a runtime with an even replica count and an unknown journal type
        reconcilingWith(TestEngine.EXAMPLE_RAFT, Duration.ofSeconds(5));
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, NAME, TestEngine.EXAMPLE_RAFT.engine(), 4);
        runtime.getSpec().getJournal().setType("tape");
        client.resource(runtime).create();

        // When it is reconciled
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then the status lists both broken rules with their field paths, and no object was written
        assertThat(outcome.applied()).isEmpty();
        assertThat(stored(NAME).getStatus().getViolations())
                .anySatisfy(v -> assertThat(v).startsWith("journal.type: \"tape\" is not a journal type"))
                .anySatisfy(v -> assertThat(v).startsWith("replicas: 4 is even"))
                .hasSize(2);
        assertThat(requests.writesSinceLastCall()).noneMatch(request -> request.contains("/statefulsets")
                || request.contains("/configmaps") || request.contains("/services")
                || request.contains("/poddisruptionbudgets"));
    }

    @Test
    void anObjectChangedByHandIsPatchedBackAndOnlyIt() {
        // Given a reconciled runtime whose ConfigMap someone edited
        reconciledWithItsConfigMapEditedByHand();
        requests.sinceLastCall();

        // When it is reconciled
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then the ConfigMap alone is patched back to the plan
        assertThat(outcome.withAction(ApplyAction.UPDATED)).extracting(AppliedObject::name)
                .containsExactly("demo-master-config");
        assertThat(requests.writesSinceLastCall()).singleElement().asString()
                .startsWith("PATCH /api/v1/namespaces/data/configmaps/demo-master-config");
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("demo-master-config").get().getData()
                .get("raft.properties")).startsWith("raft.members=demo-master-0.demo-master.data.svc.cluster.local");
    }

    @Test
    void aReplicaChangeWhoseNewMembersNeverAnswerStopsBeforeRestartingAnything() {
        // Given a reconciled three-master runtime whose new members will never answer
        reconcilingWith(TestEngine.EXAMPLE_RAFT, Duration.ofMillis(200));
        create(NAME, TestEngine.EXAMPLE_RAFT, 3);
        reconciler.reconcile(NAMESPACE, NAME);
        IntStream.range(0, 3).forEach(this::createPod);

        // When the spec asks for five masters
        resize(5);

        // Then no pod restarted, nothing ran on the leader, and the status keeps the running size and says why
        assertThat(requests.writesSinceLastCall()).noneMatch(request -> request.startsWith("DELETE "));
        assertThat(exec.calls()).isEmpty();
        CacheRuntimeStatus status = stored(NAME).getStatus();
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getMessage()).contains("replica change 3 -> 5 stopped at")
                .contains("5 answering members and one leader");
    }

    @Test
    void aLeaderCommandThatRunsLongerThanTheProbeDeadlineStillCompletesTheReplicaChange() {
        // Given a reconciled three-master runtime with running pods, new members that join as followers,
        // and a leader command that runs for twice the probe deadline
        readyToGrowToFive(TestEngine.EXAMPLE_RAFT);
        exec = RecordingPodExec.succeedingAfter(PROBE_DEADLINE.multipliedBy(2), "reconfigured");
        reconciler = reconciler(quorum, Duration.ofSeconds(5), CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT);

        // When the spec asks for five masters
        ReconcileOutcome outcome = resize(5);

        // Then the command ran within the leader command timeout and the change completed
        assertThat(exec.calls()).extracting(RecordingPodExec.Call::argv)
                .containsExactly(ExampleRaftProvider.RECONFIGURE);
        assertThat(exec.deadlines()).containsExactly(CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT);
        assertThat(outcome.status()).get().extracting(CacheRuntimeStatus::getReplicas, CacheRuntimeStatus::getMessage)
                .containsExactly(5, null);
    }

    @Test
    void aLeaderCommandStillRunningAtItsTimeoutStopsTheReplicaChangeAndTheStatusSaysWhy() {
        // Given a reconciled three-master runtime with running pods, new members that join as followers,
        // and a leader command that runs far longer than the 200 ms the reconciler gives it
        readyToGrowToFive(TestEngine.EXAMPLE_RAFT);
        exec = RecordingPodExec.succeedingAfter(Duration.ofSeconds(5), "reconfigured");
        reconciler = reconciler(quorum, Duration.ofSeconds(5), Duration.ofMillis(200));

        // When the spec asks for five masters
        resize(5);

        // Then the change stopped at the command, the status keeps the running size and names the timeout
        CacheRuntimeStatus status = stored(NAME).getStatus();
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getMessage()).contains("replica change 3 -> 5 stopped at \"commit the new configuration")
                .contains("did not finish within 200 ms");
    }

    @Test
    void growingAnAlluxioRuntimeDeletesTheClaimsAScaleDownLeftBeforeTheNewMembersStart() {
        // Given a three-master Alluxio runtime ready to grow, holding the claims of members 3 and 4 from an
        // earlier life with five masters, and a look-alike runtime's claim in the same namespace
        readyToGrowToFive(TestEngine.ALLUXIO);
        StatefulSet fiveMasters = new StatefulSetBuilder(storedStatefulSet()).editSpec().withReplicas(5).endSpec().build();
        StatefulSetClaims.of(fiveMasters).forEach(claim -> client.resource(claim).create());
        client.resource(new PersistentVolumeClaimBuilder(StatefulSetClaims.of(fiveMasters).get(3))
                .editMetadata().withName("journal-demo-master-master-3").endMetadata().build()).create();

        // When the spec asks for five masters and the runtime is reconciled
        resize(5);

        // Then the stale claims were deleted before the StatefulSet grew, and every other claim stays
        List<String> writes = requests.writesSinceLastCall();
        String claims = "/api/v1/namespaces/" + NAMESPACE + "/persistentvolumeclaims/";
        assertThat(writes).filteredOn(write -> write.startsWith("DELETE " + claims))
                .containsExactly("DELETE " + claims + "journal-demo-master-3", "DELETE " + claims + "journal-demo-master-4");
        int lastClaimDeletion = writes.indexOf("DELETE " + claims + "journal-demo-master-4");
        int statefulSetGrown = indexOfFirst(writes, write -> write.contains("/statefulsets/demo-master"));
        assertThat(lastClaimDeletion).isLessThan(statefulSetGrown);
        assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .extracting(claim -> claim.getMetadata().getName())
                .containsExactlyInAnyOrder("journal-demo-master-0", "journal-demo-master-1", "journal-demo-master-2",
                        "journal-demo-master-master-3");
    }

    private static int indexOfFirst(List<String> requests, Predicate<String> matching) {
        return IntStream.range(0, requests.size()).filter(i -> matching.test(requests.get(i))).findFirst()
                .orElseThrow(() -> new AssertionError("no such request among " + requests));
    }

    @Test
    void shrinkingAnAlluxioRuntimeFromFiveToThreeRemovesTheStoppedMastersThroughTheLeader() {
        // Given a reconciled five-master Alluxio runtime with running pods, member 1 leading
        reconciled(TestEngine.ALLUXIO, 5);
        IntStream.range(0, 5).forEach(this::createPod);
        quorum.set("demo-master-3", Role.FOLLOWER).set("demo-master-4", Role.FOLLOWER);

        // When the spec asks for three masters and the runtime is reconciled
        resize(3);

        // Then the StatefulSet runs three masters, members 3 and 4 were removed from both journal quorums
        // by commands on the leader, and the remaining three restarted with the leader last
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getReplicas()).isEqualTo(3);
        assertThat(exec.calls()).extracting(RecordingPodExec.Call::pod).containsOnly("demo-master-1");
        assertThat(exec.deadlines()).containsOnly(CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT);
        assertThat(exec.calls()).extracting(call -> String.join(" ", call.argv())).containsExactly(
                "alluxio fsadmin journal quorum remove -domain MASTER -address "
                        + "demo-master-3.demo-master.data.svc.cluster.local:19200",
                "alluxio fsadmin journal quorum remove -domain JOB_MASTER -address "
                        + "demo-master-3.demo-master.data.svc.cluster.local:20003",
                "alluxio fsadmin journal quorum remove -domain MASTER -address "
                        + "demo-master-4.demo-master.data.svc.cluster.local:19200",
                "alluxio fsadmin journal quorum remove -domain JOB_MASTER -address "
                        + "demo-master-4.demo-master.data.svc.cluster.local:20003");
        assertThat(podsDeletedSinceLastCall()).containsExactly("demo-master-0", "demo-master-2", "demo-master-1");
        assertThat(stored(NAME).getStatus().getReplicas()).isEqualTo(3);
    }

    @Test
    void anUnsafeJumpFromThreeToSevenIsRefusedInTheStatusAndNothingIsApplied() {
        // Given a reconciled three-master Alluxio runtime
        reconciled(TestEngine.ALLUXIO, 3);

        // When the spec asks for seven masters at once
        resize(7);

        // Then the provider's reason is in the status, the running size is kept, and only the status was written
        CacheRuntimeStatus status = stored(NAME).getStatus();
        assertThat(status.getViolations()).singleElement().asString().startsWith("replicas: ");
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(requests.writesSinceLastCall())
                .containsExactly("PATCH /apis/data.cacheha.dev/v1alpha1/namespaces/data/cacheruntimes/demo/status");
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getReplicas()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void growingTheJournalOfARunningRuntimeIsRefusedInTheStatusUntilItIsSetBack(TestEngine engine) {
        // Given a reconciled three-master runtime with a 1Gi claim journal
        reconciled(engine, 3);

        // When its journal is asked to grow to 2Gi
        reconcileAfter(spec -> spec.getJournal().setSize("2Gi"));

        // Then the status says why that cannot be, nothing but the status is written, and the claim
        // template stays at 1Gi
        assertRefusedWithNothingApplied("journal: size 1Gi -> 2Gi " + IMMUTABLE + "; set it back to 1Gi, "
                + "or back up the metadata, delete the runtime and create it again");
        assertThat(storedStatefulSet().getSpec().getVolumeClaimTemplates()).singleElement()
                .extracting(claim -> claim.getSpec().getResources().getRequests().get("storage").toString())
                .isEqualTo("1Gi");

        // And when the size is set back, the violation is gone and nothing else is written
        ReconcileOutcome setBack = reconcileAfter(spec -> spec.getJournal().setSize("1Gi"));
        assertThat(setBack.status()).get().extracting(CacheRuntimeStatus::getViolations).isNull();
        assertThat(setBack.applied()).isNotEmpty().allMatch(object -> object.action() == ApplyAction.UNCHANGED);
        assertThat(requests.writesSinceLastCall())
                .containsExactly("PATCH /apis/data.cacheha.dev/v1alpha1/namespaces/data/cacheruntimes/demo/status");
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void changingTheStorageClassAndAccessModesOfARunningJournalReportsBothChanges(TestEngine engine) {
        // Given a reconciled three-master runtime with a claim journal in the default class, ReadWriteOnce
        reconciled(engine, 3);

        // When both its storage class and its access modes change
        reconcileAfter(spec -> {
            spec.getJournal().setStorageClass("fast-ssd");
            spec.getJournal().setAccessModes(List.of("ReadWriteOncePod"));
        });

        // Then both are refused at once, and nothing but the status is written
        String fix = "or back up the metadata, delete the runtime and create it again";
        assertRefusedWithNothingApplied(
                "journal: storageClass standard -> fast-ssd " + IMMUTABLE + "; set it back to standard, " + fix,
                "journal: accessModes [ReadWriteOnce] -> [ReadWriteOncePod] " + IMMUTABLE
                        + "; set it back to [ReadWriteOnce], " + fix);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void movingARunningJournalFromAClaimToMemoryIsRefused(TestEngine engine) {
        // Given a reconciled three-master runtime with a claim journal
        reconciled(engine, 3);

        // When its journal is asked to move into memory
        reconcileAfter(spec -> journalInMemory(spec, "1Gi"));

        // Then the move is refused and the claim template stays
        assertRefusedWithNothingApplied("journal: type pvc -> memory " + IMMUTABLE + "; set it back to pvc, "
                + "or back up the metadata, delete the runtime and create it again");
        assertThat(storedStatefulSet().getSpec().getVolumeClaimTemplates()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void movingARunningJournalFromMemoryToAClaimIsRefused(TestEngine engine) {
        // Given a reconciled three-master runtime with its journal in memory
        reconciledInMemory(engine, "1Gi");

        // When its journal is asked to move to a claim
        reconcileAfter(spec -> {
            JournalSpec claim = new JournalSpec();
            claim.setType(JournalSpec.PVC);
            claim.setSize("1Gi");
            spec.setJournal(claim);
        });

        // Then the move is refused and the StatefulSet keeps no claim template
        assertRefusedWithNothingApplied("journal: type memory -> pvc " + IMMUTABLE + "; set it back to memory, "
                + "or back up the metadata, delete the runtime and create it again");
        assertThat(storedStatefulSet().getSpec().getVolumeClaimTemplates()).isNullOrEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestEngine.class)
    void resizingAJournalInMemoryChangesOnlyThePodTemplateAndIsApplied(TestEngine engine) {
        // Given a reconciled three-master runtime with its journal in memory, capped at 1Gi
        reconciledInMemory(engine, "1Gi");

        // When the cap grows to 2Gi
        ReconcileOutcome outcome = reconcileAfter(spec -> spec.getJournal().setSizeLimit("2Gi"));

        // Then the StatefulSet is patched with the new cap and nothing is refused (the mock server appends
        // patched lists where a real one replaces them, so the new volume is looked for, not the old one's absence)
        assertThat(outcome.withAction(ApplyAction.UPDATED)).extracting(AppliedObject::kind).contains("StatefulSet");
        assertThat(requests.writesSinceLastCall())
                .contains("PATCH /apis/apps/v1/namespaces/data/statefulsets/demo-master");
        assertThat(stored(NAME).getStatus().getViolations()).isNullOrEmpty();
        assertThat(storedStatefulSet().getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getEmptyDir() != null)
                .extracting(volume -> volume.getEmptyDir().getSizeLimit().toString()).contains("2Gi");
    }

    @Test
    void aWriteTheServerRefusesIsWrittenToTheStatusMessageAndThrown() {
        // Given a reconciled runtime whose ConfigMap someone edited, and a server that refuses the first patch
        reconciledWithItsConfigMapEditedByHand();
        server.expect().patch().withPath("/api/v1/namespaces/data/configmaps/demo-master-config")
                .andReturn(422, new StatusBuilder().withStatus("Failure").withCode(422).withReason("Invalid")
                        .withMessage("admission webhook \"policy\" denied the request").build())
                .once();

        // When it is reconciled
        Throwable thrown = catchThrowable(() -> reconciler.reconcile(NAMESPACE, NAME));

        // Then the failure is thrown to the caller and the status message says what was refused and why
        assertThat(thrown).isInstanceOf(KubernetesClientException.class);
        assertThat(stored(NAME).getStatus().getMessage()).startsWith("applying the plan failed: ")
                .contains("demo-master-config").contains("denied the request");
        assertThat(stored(NAME).getStatus().getReplicas()).isEqualTo(3);

        // And when the server accepts the patch again, the next reconcile applies it and clears the message
        reconciler.reconcile(NAMESPACE, NAME);
        assertThat(stored(NAME).getStatus().getMessage()).isNull();
        assertThat(client.configMaps().inNamespace(NAMESPACE).withName("demo-master-config").get().getData()
                .get("raft.properties")).startsWith("raft.members=demo-master-0.");
    }

    /** Runtime "demo" of the example engine, reconciled once, whose ConfigMap someone then edited. */
    private void reconciledWithItsConfigMapEditedByHand() {
        reconciled(TestEngine.EXAMPLE_RAFT, 3);
        client.configMaps().inNamespace(NAMESPACE).withName("demo-master-config").edit(configMap -> {
            configMap.getData().put("raft.properties", "raft.members=elsewhere:1");
            return configMap;
        });
    }

    /** Runtime "demo" of {@code engine} with three masters and a journal in memory, reconciled once. */
    private void reconciledInMemory(TestEngine engine, String sizeLimit) {
        reconcilingWith(engine, Duration.ofSeconds(5));
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, NAME, engine.engine(), 3);
        journalInMemory(runtime.getSpec(), sizeLimit);
        client.resource(runtime).create();
        reconciler.reconcile(NAMESPACE, NAME);
        assertThat(stored(NAME).getStatus().getViolations()).isNullOrEmpty();
    }

    /**
     * Runtime "demo" of {@code engine} with three masters, reconciled once, their pods running with member 1
     * leading, and members 3 and 4 answering as followers once a change to five starts them.
     */
    private void readyToGrowToFive(TestEngine engine) {
        reconciled(engine, 3);
        IntStream.range(0, 3).forEach(this::createPod);
        quorum.set("demo-master-3", Role.FOLLOWER).set("demo-master-4", Role.FOLLOWER);
    }

    /** The pods deleted since the last look at the requests, in order. */
    private List<String> podsDeletedSinceLastCall() {
        String podDeletion = "DELETE /api/v1/namespaces/" + NAMESPACE + "/pods/";
        return requests.writesSinceLastCall().stream()
                .filter(request -> request.startsWith(podDeletion))
                .map(request -> request.substring(podDeletion.length()))
                .toList();
    }

    /** Runtime "demo" of {@code engine} with {@code replicas} masters, reconciled once. */
    private void reconciled(TestEngine engine, int replicas) {
        reconcilingWith(engine, Duration.ofSeconds(5));
        create(NAME, engine, replicas);
        reconciler.reconcile(NAMESPACE, NAME);
    }

    /** Asks runtime "demo" for {@code replicas} masters and reconciles it; requests are counted from here. */
    private ReconcileOutcome resize(int replicas) {
        return reconcileAfter(spec -> spec.setReplicas(replicas));
    }

    /** Edits runtime "demo"'s spec with {@code edit} and reconciles it; requests are counted from here. */
    private ReconcileOutcome reconcileAfter(Consumer<CacheRuntimeSpec> edit) {
        CacheRuntime runtime = stored(NAME);
        edit.accept(runtime.getSpec());
        client.resource(runtime).update();
        requests.sinceLastCall();
        return reconciler.reconcile(NAMESPACE, NAME);
    }

    /** Gives {@code spec} a journal in memory capped at {@code sizeLimit}. */
    private static void journalInMemory(CacheRuntimeSpec spec, String sizeLimit) {
        JournalSpec journal = new JournalSpec();
        journal.setType(JournalSpec.MEMORY);
        journal.setSizeLimit(sizeLimit);
        spec.setJournal(journal);
    }

    /** The status "demo" has after a refused journal change, and the only write that refusal may send. */
    private void assertRefusedWithNothingApplied(String... violations) {
        CacheRuntimeStatus status = stored(NAME).getStatus();
        assertThat(status.getViolations()).containsExactly(violations);
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(requests.writesSinceLastCall())
                .containsExactly("PATCH /apis/data.cacheha.dev/v1alpha1/namespaces/data/cacheruntimes/demo/status");
    }

    private StatefulSet storedStatefulSet() {
        return client.apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get();
    }

    private void create(String name, TestEngine engine, int replicas) {
        client.resource(Runtimes.runtime(NAMESPACE, name, engine.engine(), replicas)).create();
    }

    private CacheRuntime stored(String name) {
        return client.resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private static HighAvailabilityProvider provider(TestEngine engine) {
        return HighAvailabilityProviders.load().get(engine.engine());
    }

    /** The commands the engine's plan from three to five masters runs, each as run on {@code leader}. */
    private static List<RecordingPodExec.Call> leaderCommandsOfGrowingToFive(TestEngine engine, String leader) {
        return provider(engine).planReplicaChange(spec(3), 5).steps().stream()
                .filter(Step.ExecOnLeader.class::isInstance)
                .map(Step.ExecOnLeader.class::cast)
                .map(step -> new RecordingPodExec.Call(leader, step.container(), step.argv()))
                .toList();
    }

    /** The spec {@link Runtimes#runtime} describes. */
    private static HaSpec spec(int replicas) {
        return HaSpec.builder(NAME, NAMESPACE).replicas(replicas).journal(JournalStorage.persistentVolume("1Gi"))
                .build();
    }

    private void createPod(int ordinal) {
        client.resource(new PodBuilder()
                .withNewMetadata().withName("demo-master-" + ordinal).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName("master").endContainer().endSpec()
                .build()).create();
    }
}
