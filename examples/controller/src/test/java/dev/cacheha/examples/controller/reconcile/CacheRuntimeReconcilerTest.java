package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cacheha.examples.controller.fake.ExampleRaftProvider;
import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ServerRequests;
import dev.cacheha.examples.controller.fake.StatefulSetClaims;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus.Role;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CacheRuntimeReconcilerTest {

    private static final String NAMESPACE = "data";
    private static final String NAME = "demo";

    KubernetesMockServer server;
    KubernetesClient client;

    private final FakeQuorum quorum = FakeQuorum.forExampleRaft()
            .with("demo-master-1", "demo-master-0", "demo-master-2");
    private final RecordingPodExec exec = RecordingPodExec.succeeding("reconfigured");
    private CacheRuntimeReconciler reconciler;
    private ServerRequests requests;

    @BeforeEach
    void setUp() {
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntime.class));
        reconciler = new CacheRuntimeReconciler(client, HighAvailabilityProviders.load(),
                new ClusterAccess(quorum, exec, Duration.ofMillis(500)),
                new BoundedWait(Duration.ofSeconds(5), Duration.ofMillis(10)));
        requests = new ServerRequests(server);
    }

    @Test
    void aSpecThatBreaksRulesGetsEveryViolationInItsStatusAndNothingIsApplied() {
        // Given a runtime with an even replica count, an unknown journal type and a port the engine lacks
        CacheRuntime runtime = Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 4);
        runtime.getSpec().getJournal().setType("tape");
        create(runtime);

        // When it is reconciled
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then the status lists both broken rules with their field paths, and no object exists
        assertThat(outcome.applied()).isEmpty();
        assertThat(stored().getStatus().getViolations())
                .anySatisfy(v -> assertThat(v).startsWith("journal.type: \"tape\" is not a journal type"))
                .anySatisfy(v -> assertThat(v).startsWith("replicas: 4 is even"))
                .hasSize(2);
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.services().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    }

    @Test
    void theFirstReconcileCreatesEveryPlannedObjectOwnedByTheRuntimeAndRecordsTheLeader() {
        // Given a valid three-master runtime whose member 1 leads
        create(Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 3));

        // When it is reconciled
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then the four planned objects exist, each controlled by the runtime
        assertThat(outcome.applied()).extracting(AppliedObject::kind, AppliedObject::action).containsExactly(
                tuple("ConfigMap", ApplyAction.CREATED),
                tuple("Service", ApplyAction.CREATED),
                tuple("PodDisruptionBudget", ApplyAction.CREATED),
                tuple("StatefulSet", ApplyAction.CREATED));
        CacheRuntime stored = stored();
        assertThat(appliedObjects()).hasSize(4).allSatisfy(object -> assertThat(object.getMetadata()
                .getOwnerReferences()).singleElement().satisfies(owner -> {
                    assertThat(owner.getKind()).isEqualTo("CacheRuntime");
                    assertThat(owner.getName()).isEqualTo(NAME);
                    assertThat(owner.getUid()).isEqualTo(stored.getMetadata().getUid());
                    assertThat(owner.getController()).isTrue();
                }));
        // And the status names the leader the members reported
        assertThat(stored.getStatus().getLeader()).isEqualTo("demo-master-1");
        assertThat(stored.getStatus().getQuorumHealth()).isEqualTo("HEALTHY");
        assertThat(stored.getStatus().getReplicas()).isEqualTo(3);
        assertThat(stored.getStatus().getViolations()).isNullOrEmpty();
        assertThat(stored.getMetadata().getFinalizers()).contains(CacheRuntimeReconciler.CLEANUP_FINALIZER);
    }

    @Test
    void aSecondReconcileOfAnUnchangedRuntimeSendsNoWriteRequest() {
        // Given a runtime reconciled once
        create(Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 3));
        reconciler.reconcile(NAMESPACE, NAME);
        List<String> firstRound = requests.sinceLastCall();

        // When it is reconciled again without any change
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then every object is unchanged and the server received reads only
        assertThat(firstRound).anyMatch(request -> request.startsWith("POST "));
        assertThat(outcome.withAction(ApplyAction.UNCHANGED)).hasSize(4);
        List<String> secondRound = requests.sinceLastCall();
        assertThat(secondRound).isNotEmpty().allMatch(request -> request.startsWith("GET "));
    }

    @Test
    void anObjectChangedByHandIsPatchedBackAndOnlyIt() {
        // Given a reconciled runtime whose ConfigMap someone edited
        create(Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 3));
        reconciler.reconcile(NAMESPACE, NAME);
        client.configMaps().inNamespace(NAMESPACE).withName("demo-master-config")
                .edit(cm -> {
                    cm.getData().put("raft.properties", "raft.members=elsewhere:1");
                    return cm;
                });
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
    void growingFromThreeToFiveRunsTheProvidersStepsAndRestartsTheLeaderLast() {
        // Given a reconciled three-master runtime with running pods, member 1 leading
        create(Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 3));
        reconciler.reconcile(NAMESPACE, NAME);
        IntStream.range(0, 3).forEach(this::createPod);
        // and the two new members join as followers once they start
        quorum.set("demo-master-3", Role.FOLLOWER).set("demo-master-4", Role.FOLLOWER);

        // When the spec asks for five masters and the runtime is reconciled
        CacheRuntime runtime = stored();
        runtime.getSpec().setReplicas(5);
        client.resource(runtime).update();
        requests.sinceLastCall();
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then the StatefulSet has five replicas, the old pods were deleted followers first and leader last,
        // the reconfiguration ran on the leader, and the status records the new size
        assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getReplicas()).isEqualTo(5);
        assertThat(requests.writesSinceLastCall())
                .filteredOn(request -> request.startsWith("DELETE "))
                .containsExactly(
                        "DELETE /api/v1/namespaces/data/pods/demo-master-0",
                        "DELETE /api/v1/namespaces/data/pods/demo-master-2",
                        "DELETE /api/v1/namespaces/data/pods/demo-master-1");
        assertThat(exec.calls()).containsExactly(new RecordingPodExec.Call("demo-master-1",
                ExampleRaftProvider.CONTAINER, ExampleRaftProvider.RECONFIGURE));
        assertThat(outcome.status()).get().extracting(CacheRuntimeStatus::getReplicas, CacheRuntimeStatus::getMessage)
                .containsExactly(5, null);
        assertThat(stored().getStatus().getReplicas()).isEqualTo(5);
    }

    @Test
    void aReplicaChangeWhoseNewMembersNeverAnswerStopsBeforeRestartingAnything() {
        // Given a reconciled three-master runtime whose new members will never answer
        reconciler = new CacheRuntimeReconciler(client, HighAvailabilityProviders.load(),
                new ClusterAccess(quorum, exec, Duration.ofMillis(500)),
                new BoundedWait(Duration.ofMillis(200), Duration.ofMillis(10)));
        create(Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 3));
        reconciler.reconcile(NAMESPACE, NAME);
        IntStream.range(0, 3).forEach(this::createPod);

        // When the spec asks for five masters
        CacheRuntime runtime = stored();
        runtime.getSpec().setReplicas(5);
        client.resource(runtime).update();
        requests.sinceLastCall();
        reconciler.reconcile(NAMESPACE, NAME);

        // Then no pod was restarted, nothing ran on the leader, and the status keeps the running size and says why
        assertThat(requests.writesSinceLastCall()).noneMatch(request -> request.startsWith("DELETE "));
        assertThat(exec.calls()).isEmpty();
        CacheRuntimeStatus status = stored().getStatus();
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getMessage()).contains("replica change 3 -> 5 stopped at")
                .contains("5 answering members and one leader");
    }

    @Test
    void deletingTheRuntimeDeletesItsJournalClaimsAndLeavesALookAlikeRuntimesClaims() {
        // Given runtime "demo" and a look-alike runtime "demo-master" in the same namespace, each with the
        // claims its StatefulSet made
        create(Runtimes.runtime(NAMESPACE, NAME, ExampleRaftProvider.ENGINE, 3));
        create(Runtimes.runtime(NAMESPACE, "demo-master", ExampleRaftProvider.ENGINE, 3));
        reconciler.reconcile(NAMESPACE, NAME);
        reconciler.reconcile(NAMESPACE, "demo-master");
        client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems().stream()
                .flatMap(statefulSet -> StatefulSetClaims.of(statefulSet).stream())
                .forEach(claim -> client.resource(claim).create());

        // When "demo" is deleted and reconciled
        client.resource(stored()).delete();
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, NAME);

        // Then exactly its three claims are gone, the look-alike's stay, and the runtime is released
        assertThat(outcome.deletedClaims())
                .containsExactly("journal-demo-master-0", "journal-demo-master-1", "journal-demo-master-2");
        assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems())
                .extracting(claim -> claim.getMetadata().getName())
                .containsExactlyInAnyOrder("journal-demo-master-master-0", "journal-demo-master-master-1",
                        "journal-demo-master-master-2");
        assertThat(stored()).isNull();
        assertThat(client.resources(CacheRuntime.class).inNamespace(NAMESPACE).withName("demo-master").get())
                .isNotNull();
    }

    private void create(CacheRuntime runtime) {
        client.resource(runtime).create();
    }

    private CacheRuntime stored() {
        return client.resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(NAME).get();
    }

    private List<HasMetadata> appliedObjects() {
        return Stream.<HasMetadata>concat(Stream.concat(
                        client.configMaps().inNamespace(NAMESPACE).list().getItems().stream(),
                        client.services().inNamespace(NAMESPACE).list().getItems().stream()),
                Stream.concat(
                        client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).list().getItems().stream(),
                        client.apps().statefulSets().inNamespace(NAMESPACE).list().getItems().stream()))
                .toList();
    }

    private void createPod(int ordinal) {
        client.resource(new PodBuilder()
                .withNewMetadata().withName("demo-master-" + ordinal).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName(ExampleRaftProvider.CONTAINER).endContainer().endSpec()
                .build()).create();
    }
}
