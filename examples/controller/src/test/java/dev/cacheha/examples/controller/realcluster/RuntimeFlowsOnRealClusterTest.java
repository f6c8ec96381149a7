package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.MemberRebuildRequest;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.reconcile.CacheRuntimeReconciler;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The controller's flows on the real control plane, with exactly the rights of {@code deploy/rbac.yaml}: the
 * StatefulSet controller makes the pods and the journal claims from the controller's objects, kwok runs the
 * pods to Ready on its nodes, the garbage collector follows the owner references. One controller and one
 * namespace (Pod Security "restricted" enforced) for the class; one runtime per test.
 */
class RuntimeFlowsOnRealClusterTest extends OneControllerPerClass {

    /** The pod-template annotation that carries the configuration a pod was made with, as users see it. */
    private static final String CONFIG_DIGEST = "data.cacheha.dev/config-digest";

    /** Creates runtime {@code name} of {@code replicas} Alluxio masters; member 1 leads once its pod is Ready. */
    private static CacheRuntime create(String name, int replicas) {
        controller.membersAnswer(name, 1);
        return admin().resource(Runtimes.runtime(namespace(), name, "alluxio", replicas)).create();
    }

    private static CacheRuntime edit(String name, Consumer<CacheRuntime> change) {
        return controller.edit(name, change);
    }

    private static List<Pod> pods(String name) {
        return admin().pods().inNamespace(namespace()).withLabel("app.kubernetes.io/instance", name).list()
                .getItems().stream().filter(pod -> pod.getMetadata().getName().startsWith(name + "-master-"))
                .toList();
    }

    private static List<PersistentVolumeClaim> claims(String name) {
        return admin().persistentVolumeClaims().inNamespace(namespace()).list().getItems().stream()
                .filter(claim -> claim.getMetadata().getName().matches(".*-" + name + "-master-\\d+"))
                .toList();
    }

    /** Waits until exactly the pods of ordinals {@code 0 .. replicas-1} of runtime {@code name} are Ready. */
    private static void awaitReadyPods(String name, int replicas) {
        List<String> expected = IntStream.range(0, replicas).mapToObj(ordinal -> name + "-master-" + ordinal).toList();
        Await.until(replicas + " Ready pods of " + name, ControllerOnRealCluster.BUDGET, () -> {
            List<Pod> pods = pods(name);
            return pods.stream().map(pod -> pod.getMetadata().getName()).sorted().toList().equals(expected)
                    && expected.stream().allMatch(controller::podReady);
        }, () -> "pods: " + pods(name).stream().map(pod -> pod.getMetadata().getName() + " "
                + pod.getStatus().getPhase()).toList());
    }

    @Test
    void aCreatedRuntimeBecomesReadyWithPodsAndClaimsTheStatefulSetControllerMadeOnTheFakeNodes() {
        // Given the controller with the rights of deploy/rbac.yaml

        // When a three-master runtime is created
        create("ready", 3);

        // Then it becomes Ready with member 1 as leader, and the cleanup finalizer on it
        CacheRuntime ready = controller.awaitReady("ready", 1);
        assertThat(ready.getStatus().getLeader()).isEqualTo("ready-master-1");
        assertThat(ready.getStatus().getMessage()).isNull();
        assertThat(ready.getMetadata().getFinalizers()).contains(CacheRuntimeReconciler.CLEANUP_FINALIZER);
        // And the StatefulSet controller made three pods, admitted under "restricted", each Ready on its own node
        awaitReadyPods("ready", 3);
        assertThat(pods("ready")).extracting(pod -> pod.getSpec().getNodeName()).doesNotContainNull()
                .doesNotHaveDuplicates();
        // And three journal claims in the default storage class, bound
        Await.until("three bound claims", ControllerOnRealCluster.BUDGET, () -> claims("ready").size() == 3
                && claims("ready").stream().allMatch(claim -> "Bound".equals(claim.getStatus().getPhase())),
                () -> "claims: " + claims("ready"));
        assertThat(claims("ready")).allSatisfy(claim -> assertThat(claim.getSpec().getStorageClassName())
                .isEqualTo(RealCluster.STORAGE_CLASS));
    }

    @Test
    void aRuntimeGrowsFromThreeToFiveMastersAndShrinksBackToThree() {
        // Given a Ready three-master runtime
        create("grow", 3);
        controller.awaitReady("grow", 1);

        // When it grows to five
        edit("grow", runtime -> runtime.getSpec().setReplicas(5));

        // Then it is Ready with five members, each pod Ready, the StatefulSet at five
        CacheRuntime five = controller.awaitReady("grow", 2);
        assertThat(five.getStatus().getReplicas()).isEqualTo(5);
        assertThat(five.getStatus().getReplicaChange()).isNull();
        awaitReadyPods("grow", 5);
        assertThat(statefulSet("grow").getSpec().getReplicas()).isEqualTo(5);

        // When it shrinks back to three
        edit("grow", runtime -> runtime.getSpec().setReplicas(3));

        // Then it is Ready with three members and the pods of members 3 and 4 are gone
        CacheRuntime three = controller.awaitReady("grow", 3);
        assertThat(three.getStatus().getReplicas()).isEqualTo(3);
        assertThat(three.getStatus().getReplicaChange()).isNull();
        awaitReadyPods("grow", 3);
        assertThat(statefulSet("grow").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aRebuiltLastMemberGetsAFreshJournalClaimFromTheStatefulSetControllerAndTheOthersKeepTheirs() {
        // Given a Ready three-master runtime with its three bound journal claims
        create("rebuild", 3);
        controller.awaitReady("rebuild", 1);
        Await.until("three bound claims of rebuild", ControllerOnRealCluster.BUDGET, () -> claims("rebuild").size() == 3
                && claims("rebuild").stream().allMatch(claim -> "Bound".equals(claim.getStatus().getPhase())),
                () -> "claims: " + claims("rebuild"));
        Map<String, String> before = claimUids("rebuild");

        // When member 2 is to be rebuilt
        edit("rebuild", runtime -> runtime.getSpec().setMemberRebuild(new MemberRebuildRequest(2)));

        // Then the rebuild succeeds, the runtime is Ready again with three Ready pods and no steps recorded
        controller.await("rebuild", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getMemberRebuild() != null
                && MemberRebuildProgress.SUCCEEDED.equals(runtime.getStatus().getMemberRebuild().phase()),
                "rebuild Succeeded");
        CacheRuntime ready = controller.awaitReady("rebuild", 2);
        assertThat(ready.getStatus().getSteps()).isNull();
        awaitReadyPods("rebuild", 3);
        // And member 2 runs on a claim the StatefulSet controller made anew; members 0 and 1 on theirs
        Await.until("a new claim of member 2", ControllerOnRealCluster.BUDGET,
                () -> claimUids("rebuild").size() == 3, () -> "claims: " + claimUids("rebuild"));
        Map<String, String> after = claimUids("rebuild");
        String rebuilt = before.keySet().stream().filter(name -> name.endsWith("-rebuild-master-2")).findFirst()
                .orElseThrow();
        assertThat(after.get(rebuilt)).isNotNull().isNotEqualTo(before.get(rebuilt));
        before.remove(rebuilt);
        assertThat(after).containsAllEntriesOf(before);
    }

    private static Map<String, String> claimUids(String name) {
        return claims(name).stream().filter(claim -> claim.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(claim -> claim.getMetadata().getName(),
                        claim -> claim.getMetadata().getUid()));
    }

    private static StatefulSet statefulSet(String name) {
        return admin().apps().statefulSets().inNamespace(namespace()).withName(name + "-master").get();
    }

    @Test
    void aPropertyChangeRestartsTheFollowersFirstAndTheLeaderLast() {
        // Given a Ready three-master runtime whose member 1 leads, and every pod deletion of it recorded in order
        create("roll", 3);
        controller.awaitReady("roll", 1);
        awaitReadyPods("roll", 3);
        Set<String> restarted = Collections.synchronizedSet(new LinkedHashSet<>());
        try (Watch watch = admin().pods().inNamespace(namespace()).withLabel("app.kubernetes.io/instance", "roll")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        if (action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null) {
                            restarted.add(pod.getMetadata().getName());
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // The test ends the watch; a broken one leaves the order incomplete, which fails below.
                    }
                })) {

            // When a property changes
            controller.requests().sinceLastCall();
            edit("roll", runtime -> runtime.getSpec()
                    .setProperties(Map.of("alluxio.master.journal.checkpoint.period.entries", "1000")));

            // Then the runtime is Ready again at the new generation, with nothing left to say, every pod running the
            // new configuration
            CacheRuntime rolled = controller.awaitReady("roll", 2);
            assertThat(rolled.getStatus().getMessage()).isNull();
            String digest = statefulSet("roll").getSpec().getTemplate().getMetadata().getAnnotations()
                    .get(CONFIG_DIGEST);
            Await.until("every pod of roll on the new configuration", ControllerOnRealCluster.BUDGET,
                    () -> pods("roll").size() == 3 && pods("roll").stream()
                            .allMatch(pod -> digest.equals(pod.getMetadata().getAnnotations().get(CONFIG_DIGEST))),
                    () -> "restarted so far: " + restarted);
            // And the pods were restarted one each, the followers 0 and 2 before the leader 1, each by one delete of
            // the controller
            assertThat(new ArrayList<>(restarted)).containsExactly("roll-master-0", "roll-master-2", "roll-master-1");
            assertThat(controller.requests().sinceLastCall()).filteredOn(request -> request.verb().equals("delete")
                    && request.path().contains("/pods/")).extracting(ControllerRequests.Request::object)
                    .containsExactly("roll-master-0", "roll-master-2", "roll-master-1");
        }
    }

    @Test
    void aDeletedRuntimeLeavesNoObjectBehindAndLeavesLookAlikeAndForeignObjectsUntouched() {
        // Given a Ready runtime with its bound claims
        create("gone", 3);
        CacheRuntime gone = controller.awaitReady("gone", 1);
        Await.until("three claims of gone", ControllerOnRealCluster.BUDGET, () -> claims("gone").size() == 3,
                () -> "claims: " + claims("gone"));
        String claimTemplate = claims("gone").get(0).getMetadata().getName().replaceAll("-gone-master-\\d+$", "");
        // And a look-alike claim (a journal claim's name, a user's labels), a ConfigMap that carries the runtime's
        // instance label without its owner, and a foreign Service
        PersistentVolumeClaim lookAlikeClaim = admin().resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName(claimTemplate + "-gone-master-5").withNamespace(namespace()).addToLabels("app", "billing")
                .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
                .endSpec().build()).create();
        ConfigMap lookAlikeMap = admin().resource(new ConfigMapBuilder().withNewMetadata().withName("gone-notes")
                .withNamespace(namespace()).addToLabels("app.kubernetes.io/instance", "gone").endMetadata()
                .addToData("note", "kept").build()).create();
        HasMetadata foreign = admin().resource(new ServiceBuilder().withNewMetadata().withName("billing")
                .withNamespace(namespace()).endMetadata().withNewSpec().addToSelector("app", "billing")
                .addNewPort().withPort(8080).endPort().endSpec().build()).create();

        // When the runtime is deleted
        admin().resource(gone).delete();

        // Then the runtime is gone once its finalizer ran, and nothing it owned is left: no claim, no pod, no
        // object controlled by it (the garbage collector followed the owner references)
        Await.until("runtime gone", ControllerOnRealCluster.BUDGET, () -> controller.runtime("gone") == null,
                () -> "runtime: " + controller.runtime("gone"));
        String uid = gone.getMetadata().getUid();
        Await.until("no object of gone left", ControllerOnRealCluster.BUDGET,
                () -> objectsOf("gone", uid).isEmpty(), () -> "left: " + objectsOf("gone", uid));
        // And the look-alike and foreign objects are exactly as they were
        for (HasMetadata untouched : List.of(lookAlikeClaim, lookAlikeMap, foreign)) {
            HasMetadata now = admin().resource(untouched).get();
            assertThat(now).as(untouched.getKind() + " " + untouched.getMetadata().getName()).isNotNull();
            assertThat(now.getMetadata().getDeletionTimestamp()).isNull();
            assertThat(now.getMetadata().getUid()).isEqualTo(untouched.getMetadata().getUid());
        }
    }

    /**
     * Every object of the namespace that runtime {@code name} made: those controlled by {@code uid}, its pods, and
     * the claims labelled as its masters'.
     */
    private static List<String> objectsOf(String name, String uid) {
        List<HasMetadata> made = new ArrayList<>(controller.objectsControlledBy(uid));
        made.addAll(pods(name));
        made.addAll(admin().persistentVolumeClaims().inNamespace(namespace())
                .withLabel("app.kubernetes.io/instance", name).list().getItems());
        return made.stream().map(object -> object.getKind() + " " + object.getMetadata().getName()).toList();
    }
}
