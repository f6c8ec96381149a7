package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.MemberRebuildRequest;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.StatefulSetClaims;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.reconcile.CacheRuntimeReconciler;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.realcluster.Await;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The controller's reconcile on the real control plane, with exactly the rights of {@code deploy/rbac.yaml}: what
 * it creates, what it leaves alone, what it deletes and with which precondition, what it sends when nothing
 * changed, and how a rolling restart heals a member its configuration kept down. The StatefulSet controller makes
 * the pods and claims, the garbage collector follows owner references, and the server checks every precondition
 * the controller sends. One controller and one namespace for the class; one runtime per test.
 */
class ReconcileOnRealClusterTest extends OneControllerPerClass {

    /** The pod-template annotation that carries the configuration a pod was made with. */
    private static final String CONFIG_DIGEST = "data.cacheha.dev/config-digest";

    /** Creates runtime {@code name} of three Alluxio masters, member 1 leading, and waits until it is Ready. */
    private static CacheRuntime createReady(String name) {
        controller.membersAnswer(name, 1);
        admin().resource(Runtimes.runtime(namespace(), name, "alluxio", 3)).create();
        return controller.awaitReady(name, 1);
    }

    private static CacheRuntime edit(String name, Consumer<CacheRuntime> change) {
        return controller.edit(name, change);
    }

    private static StatefulSet statefulSet(String name) {
        return admin().apps().statefulSets().inNamespace(namespace()).withName(name + "-master").get();
    }

    private static Optional<Condition> condition(CacheRuntime runtime, String type) {
        return runtime.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    /** The journal claims of runtime {@code name}'s masters not being deleted, by name, with their UIDs. */
    private static Map<String, String> claimUids(String name) {
        return admin().persistentVolumeClaims().inNamespace(namespace()).list().getItems().stream()
                .filter(claim -> claim.getMetadata().getName().matches(".*-" + name + "-master-\\d+")
                        && claim.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(claim -> claim.getMetadata().getName(),
                        claim -> claim.getMetadata().getUid()));
    }

    /** The controller's requests since the last call with verb {@code verb} on {@code resource} ("pods", ...). */
    private static List<ControllerRequests.Request> sent(List<ControllerRequests.Request> requests, String verb,
            String resource) {
        return requests.stream().filter(request -> request.verb().equals(verb)
                && request.path().split("\\?")[0].contains("/" + resource + "/")).toList();
    }

    @Test
    void aRuntimeBecomesReadyWithOwnedObjectsConditionsAndMetrics() {
        // Given the controller and a three-master runtime whose member 1 leads

        // When the runtime is created
        CacheRuntime ready = createReady("conditions");

        // Then it becomes Ready with every condition at its generation, its objects controlled by it
        assertThat(ready.getStatus().getLeader()).isEqualTo("conditions-master-1");
        assertThat(ready.getStatus().getConditions()).extracting(Condition::getType)
                .containsExactly("BackupReady", "Progressing", "QuorumHealthy", "Ready");
        assertThat(ready.getStatus().getConditions()).allMatch(c -> c.getObservedGeneration() == 1L);
        assertThat(condition(ready, "Progressing").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(ready.getMetadata().getFinalizers()).contains(CacheRuntimeReconciler.CLEANUP_FINALIZER);
        assertThat(statefulSet("conditions").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(ready.getMetadata().getUid()));
        // And the quorum health gauge says HEALTHY
        assertThat(controller.registry().get(ControllerMetrics.QUORUM_HEALTH).tags("namespace", namespace(), "name",
                "conditions", "health", "HEALTHY").gauge().value()).isEqualTo(1.0);
        assertThat(controller.registry().get(ControllerMetrics.DISCOVERY_LATENCY).timer().count()).isPositive();
    }

    @Test
    void aResyncOfAnUnchangedRuntimeSendsNoWriteAndNoGet() {
        // Given a Ready runtime, the Event telling so written (it follows the status write that made it Ready),
        // and every request so far taken
        createReady("steady");
        Await.until("the Ready event of steady", ControllerOnRealCluster.BUDGET, () -> admin().v1().events()
                .inNamespace(namespace()).list().getItems().stream().anyMatch(event -> "Ready".equals(event.getReason())
                        && "steady".equals(event.getInvolvedObject().getName())), () -> "");
        controller.requests().sinceLastCall();
        double reconcilesBefore = Backups.reconciles(controller.registry(), "steady");

        // When a watched object changes in a field the controller does not set, which triggers a reconcile: an
        // annotation added as kubectl annotate adds it (a merge patch under a manager of its own; a write under
        // fabric8's default manager would be taken for the controller's own create, which records its fields so)
        admin().configMaps().inNamespace(namespace()).withName("steady-master-ha").patch(new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-annotate").build(),
                "{\"metadata\":{\"annotations\":{\"touched\":\"yes\"}}}");
        Await.until("a reconcile of steady", ControllerOnRealCluster.BUDGET,
                () -> Backups.reconciles(controller.registry(), "steady") > reconcilesBefore, () -> "");

        // Then the controller sent nothing at all: reads came from the informers, nothing was written
        assertThat(controller.requests().sinceLastCall()).filteredOn(request -> !request.verb().equals("watch"))
                .isEmpty();
    }

    @Test
    void aForeignObjectWithAPlannedNameIsLeftUntouchedAndReported() {
        // Given another application's Service with the name the plan gives the runtime's first Service
        controller.membersAnswer("taken", 1);
        CacheRuntime spec = Runtimes.runtime(namespace(), "taken", "alluxio", 3);
        TranslatedRuntime translated = Runtimes.translator().translate(spec);
        String planned = translated.provider().plan(translated.spec()).objects().stream()
                .filter(object -> object instanceof Service).findFirst().orElseThrow().getMetadata().getName();
        Service foreign = admin().resource(new ServiceBuilder().withNewMetadata().withName(planned)
                .withNamespace(namespace()).addToLabels("app", "billing").endMetadata()
                .withNewSpec().addToSelector("app", "billing").addNewPort().withPort(8080).endPort().endSpec()
                .build()).create();
        controller.requests().sinceLastCall();

        // When a runtime named taken is created
        admin().resource(spec).create();

        // Then its status names the Service as what blocks it, Ready is False
        CacheRuntime blocked = controller.await("taken", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getBlockedBy() != null, "blockedBy");
        assertThat(blocked.getStatus().getBlockedBy()).singleElement().asString()
                .startsWith("Service " + planned + ": not controlled by any owner");
        assertThat(condition(blocked, "Ready").orElseThrow().getReason()).isEqualTo("ForeignObject");
        // And the Service is exactly as it was, never patched, never adopted
        Service after = admin().services().inNamespace(namespace()).withName(planned).get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
        assertThat(after.getSpec().getSelector()).isEqualTo(Map.of("app", "billing"));
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(controller.requests().sinceLastCall())
                .noneMatch(request -> request.writes() && request.path().contains("/services/" + planned));
        // And nothing else of the plan was applied either
        assertThat(statefulSet("taken")).isNull();
    }

    @Test
    void anOwnedObjectThatLeftThePlanIsDeletedWithItsUidAsPrecondition() {
        // Given a Ready runtime with journal traffic restricted, so it has a NetworkPolicy
        controller.membersAnswer("policy", 1);
        CacheRuntime runtime = Runtimes.runtime(namespace(), "policy", "alluxio", 3);
        runtime.getSpec().setRestrictJournalTraffic(true);
        admin().resource(runtime).create();
        String uid = controller.awaitReady("policy", 1).getMetadata().getUid();
        List<NetworkPolicy> policies = controller.objectsControlledBy(uid).stream()
                .filter(object -> object instanceof NetworkPolicy).map(NetworkPolicy.class::cast).toList();
        assertThat(policies).hasSize(1);
        controller.requests().sinceLastCall();

        // When the restriction is turned off
        edit("policy", r -> r.getSpec().setRestrictJournalTraffic(false));
        controller.awaitReady("policy", 2);

        // Then the NetworkPolicy is gone, deleted by the one delete the controller sent, with its UID as
        // precondition
        Await.until("the NetworkPolicy pruned", ControllerOnRealCluster.BUDGET, () -> controller
                .objectsControlledBy(uid).stream().noneMatch(object -> object instanceof NetworkPolicy), () -> "");
        assertThat(controller.requests().sinceLastCall()).filteredOn(request -> request.verb().equals("delete"))
                .singleElement().satisfies(delete -> {
                    assertThat(delete.path()).contains("/networkpolicies/" + policies.get(0).getMetadata().getName());
                    assertThat(delete.body()).contains(policies.get(0).getMetadata().getUid());
                });
    }

    @Test
    void aDriftedOwnedObjectIsServerSideAppliedByFieldManagerCacheHaWithItsResourceVersion() {
        // Given a Ready runtime and every request so far taken
        createReady("applied");
        controller.requests().sinceLastCall();

        // When a property changes, which changes the ConfigMap and the StatefulSet's pod template
        edit("applied", r -> r.getSpec()
                .setProperties(Map.of("alluxio.master.journal.checkpoint.period.entries", "1000")));
        controller.awaitReady("applied", 2);

        // Then both were updated by patches with field manager cache-ha, forced, each carrying the resourceVersion
        // the cache saw (a reconcile whose informer has not seen its own update yet applies again, which the
        // resourceVersion precondition guards)
        List<ControllerRequests.Request> patches = controller.requests().sinceLastCall().stream()
                .filter(request -> request.verb().equals("patch") && request.path().matches(
                        ".*/(configmaps/applied-master-ha|statefulsets/applied-master)\\?.*"))
                .toList();
        assertThat(patches).extracting(request -> request.path().replaceAll("\\?.*", ""))
                .contains("/api/v1/namespaces/" + namespace() + "/configmaps/applied-master-ha",
                        "/apis/apps/v1/namespaces/" + namespace() + "/statefulsets/applied-master");
        assertThat(patches).allSatisfy(apply -> {
            assertThat(apply.path()).contains("fieldManager=cache-ha").contains("force=true");
            assertThat(apply.body()).contains("resourceVersion");
        });
        // And the server recorded them as server-side applies of cache-ha, no other kind of write of its own
        for (HasMetadata object : List.<HasMetadata>of(statefulSet("applied"),
                admin().configMaps().inNamespace(namespace()).withName("applied-master-ha").get())) {
            List<ManagedFieldsEntry> own = object.getMetadata().getManagedFields().stream()
                    .filter(entry -> "cache-ha".equals(entry.getManager())).toList();
            assertThat(own).as(object.getKind()).isNotEmpty().allMatch(entry -> "Apply".equals(entry.getOperation()));
        }
    }

    @Test
    void aStaleClaimOfAGrowIsDeletedOnlyWithItsUidAsPreconditionAndMember3GetsAFreshOne() {
        // Given a Ready three-master runtime, and a claim of member 3 left by an earlier shrink
        createReady("stale");
        PersistentVolumeClaim stale = leftoverClaims("stale", 3).get(0);
        controller.requests().sinceLastCall();

        // When it grows to 5
        edit("stale", r -> r.getSpec().setReplicas(5));
        controller.awaitReady("stale", 2);

        // Then exactly that claim was deleted once, with its UID as precondition
        List<ControllerRequests.Request> deletes = sent(controller.requests().sinceLastCall(), "delete",
                "persistentvolumeclaims");
        assertThat(deletes).singleElement().satisfies(delete -> {
            assertThat(delete.object()).isEqualTo(stale.getMetadata().getName());
            assertThat(delete.body()).contains("\"uid\":\"" + stale.getMetadata().getUid() + "\"");
        });
        // And member 3 runs on a claim the StatefulSet controller made anew
        Await.until("five claims of stale", ControllerOnRealCluster.BUDGET, () -> claimUids("stale").size() == 5,
                () -> "claims: " + claimUids("stale"));
        assertThat(claimUids("stale").get(stale.getMetadata().getName())).isNotEqualTo(stale.getMetadata().getUid());
    }

    @Test
    void aGrowInterruptedAfterTheStatefulSetWasScaledAndRetriedDeletesNoClaimOfARunningMember() {
        // Given a Ready three-master runtime, and claims of members 3 and 4 left by an earlier shrink
        createReady("crash");
        controller.quorum().set("crash-master-3", Role.UNREACHABLE).set("crash-master-4", Role.UNREACHABLE);
        List<String> leftover = leftoverClaims("crash", 3, 4).stream().map(claim -> claim.getMetadata().getUid())
                .toList();
        controller.requests().sinceLastCall();

        // When it grows to 5, and members 3 and 4 never answer, so the change stops at the quorum wait
        edit("crash", r -> r.getSpec().setReplicas(5));
        controller.await("crash", r -> r.getStatus().getReplicaChange() != null && r.getStatus().getSteps() != null
                && r.getStatus().getSteps().nextStep() >= 2, "the change waiting for its quorum");
        Await.until("pod crash-master-4 Ready", ControllerOnRealCluster.BUDGET,
                () -> controller.podReady("crash-master-4"), () -> controller.describePods("crash"));
        // And the controller crashes, and its recorded progress is lost, as if the write never arrived
        controller.stop();
        CacheRuntime lost = controller.runtime("crash");
        lost.getStatus().setReplicaChange(null);
        lost.getStatus().setReplicas(3);
        admin().resource(lost).updateStatus();
        assertThat(sent(controller.requests().sinceLastCall(), "delete", "persistentvolumeclaims"))
                .allSatisfy(delete -> assertThat(leftover).anyMatch(uid -> delete.body().contains(uid)));
        Map<String, String> claimsOfRunningMembers = claimUids("crash");
        // And a new controller takes over while members 3 and 4 answer as followers
        controller.membersAnswer("crash", 1);
        controller.restart();

        // Then the runtime reaches 5 members
        CacheRuntime five = controller.awaitReady("crash", 2);
        assertThat(five.getStatus().getReplicas()).isEqualTo(5);
        // And the new controller deleted no claim at all: members 3 and 4 run on theirs
        assertThat(sent(controller.requests().sinceLastCall(), "delete", "persistentvolumeclaims")).isEmpty();
        assertThat(claimUids("crash")).hasSize(5).isEqualTo(claimsOfRunningMembers);
    }

    /**
     * Creates the journal claims of {@code ordinals} of runtime {@code name} as its StatefulSet would have made them,
     * as an earlier scale-down leaves them behind, and returns them as stored.
     */
    private static List<PersistentVolumeClaim> leftoverClaims(String name, int... ordinals) {
        List<String> suffixes = IntStream.of(ordinals).mapToObj(ordinal -> "-" + name + "-master-" + ordinal)
                .toList();
        return StatefulSetClaims.of(new StatefulSetBuilder(statefulSet(name)).editSpec()
                        .withReplicas(HaSpec.MAX_REPLICAS).endSpec().build()).stream()
                .filter(claim -> suffixes.stream().anyMatch(claim.getMetadata().getName()::endsWith))
                .map(claim -> admin().resource(claim).create())
                .toList();
    }

    @Test
    void deletingARuntimeDeletesOnlyItsOwnClaimsNotThoseOfARuntimeWhoseNamesStartTheSame() {
        // Given runtime pre and runtime pre-master in one namespace, both Ready with their journal claims
        createReady("pre");
        controller.membersAnswer("pre-master", 0);
        admin().resource(Runtimes.runtime(namespace(), "pre-master", "alluxio", 3)).create();
        controller.awaitReady("pre-master", 1);
        Await.until("three claims each", ControllerOnRealCluster.BUDGET, () -> claimUids("pre").size() == 3
                && claimUids("pre-master").size() == 3, () -> "claims: " + claimUids("pre"));
        Map<String, String> preClaims = claimUids("pre");
        Map<String, String> preMasterClaims = claimUids("pre-master");
        controller.requests().sinceLastCall();

        // When runtime pre is deleted
        admin().resources(CacheRuntime.class).inNamespace(namespace()).withName("pre").delete();
        Await.until("pre gone", ControllerOnRealCluster.BUDGET, () -> controller.runtime("pre") == null,
                () -> "runtime: " + controller.runtime("pre"));

        // Then exactly pre's three claims were deleted, each with its UID as precondition
        assertThat(sent(controller.requests().sinceLastCall(), "delete", "persistentvolumeclaims")).hasSize(3)
                .allSatisfy(delete -> {
                    assertThat(preClaims).containsKey(delete.object());
                    assertThat(delete.body()).contains("\"uid\":\"" + preClaims.get(delete.object()) + "\"");
                });
        Await.until("pre's claims gone", ControllerOnRealCluster.BUDGET, () -> claimUids("pre").isEmpty(),
                () -> "claims: " + claimUids("pre"));
        // And pre-master's claims are all there, the same claims
        assertThat(claimUids("pre-master")).isEqualTo(preMasterClaims);
    }

    @Test
    void aLeaderCommandFailingWithAMegabyteOfStandardErrorIsReportedByItsFirstAndLastLinesWithinTheBound() {
        // Given a Ready five-master runtime whose commands fail with a megabyte of standard error
        controller.membersAnswer("bounded", 1);
        admin().resource(Runtimes.runtime(namespace(), "bounded", "alluxio", 5)).create();
        controller.awaitReady("bounded", 1);
        String stderr = "first: the member list is refused\n" + ("y".repeat(1_023) + "\n").repeat(1_024)
                + "last: giving up";
        controller.exec().answering(call -> call.pod().startsWith("bounded-") ? new PodExec.Result(1, "", stderr)
                : new PodExec.Result(0, "done", ""));
        try {
            // When it shrinks to 3 and the command that takes members 3 and 4 out of the quorum fails
            edit("bounded", runtime -> runtime.getSpec().setReplicas(3));
            CacheRuntime failed = controller.await("bounded", runtime -> runtime.getStatus().getMessage() != null
                    && runtime.getStatus().getMessage().startsWith("reconcile failed"), "the failure reported");

            // Then the message names the command's first and last lines, and no string of the status the server
            // stored is over the bound
            assertThat(failed.getStatus().getMessage()).contains("exited 1: first: the member list is refused")
                    .contains("(1016 lines left out)").endsWith("last: giving up");
            assertThat(failed.getStatus().getMessage().length()).isLessThanOrEqualTo(StatusText.MAX_CHARACTERS);
            assertThat(failed.getStatus().getConditions()).extracting(Condition::getMessage)
                    .allMatch(message -> message.length() <= StatusText.MAX_CHARACTERS);
        } finally {
            // And once the command succeeds the shrink completes (nothing of it left retrying for the next test)
            controller.exec().answering(call -> new PodExec.Result(0, "done", ""));
        }
        controller.awaitReady("bounded", 2);
    }

    /** Asks for member {@code member} of runtime {@code name} to be rebuilt; waits for the rebuild in {@code phase}. */
    private static CacheRuntime rebuild(String name, int member, String phase) {
        edit(name, runtime -> runtime.getSpec().setMemberRebuild(new MemberRebuildRequest(member)));
        return controller.await(name, runtime -> runtime.getStatus() != null
                && runtime.getStatus().getMemberRebuild() != null
                && phase.equals(runtime.getStatus().getMemberRebuild().phase()), "rebuild " + phase);
    }

    /** Asserts that {@code sent} deleted nothing and wrote no StatefulSet. */
    private static void assertChangedNothing(List<ControllerRequests.Request> sent) {
        assertThat(sent).noneMatch(request -> request.verb().equals("delete"));
        assertThat(sent).noneMatch(request -> request.writes() && request.path().contains("/statefulsets"));
    }

    @Test
    void aRebuildThatWouldCostTheMajorityIsRefusedChangingNothingAndRunsOnceTheOthersAreBack() {
        // Given a Ready runtime whose member 0 stops answering
        createReady("majority");
        Await.until("three claims of majority", ControllerOnRealCluster.BUDGET,
                () -> claimUids("majority").size() == 3, () -> "claims: " + claimUids("majority"));
        Map<String, String> claimsBefore = claimUids("majority");
        controller.quorum().set("majority-master-0", Role.UNREACHABLE);
        controller.requests().sinceLastCall();

        // When member 2 is to be rebuilt: without it only the leader answers, no majority of three
        CacheRuntime refused = rebuild("majority", 2, MemberRebuildProgress.REFUSED);

        // Then the rebuild is refused with the SPI's reason, and nothing was deleted or scaled
        assertThat(refused.getStatus().getMemberRebuild().message())
                .startsWith("spec.memberRebuild.member 2: status.members: without member 2 only 1 member(s)")
                .contains("rebuilding it would cost the quorum");
        assertThat(refused.getStatus().getSteps()).isNull();
        assertChangedNothing(controller.requests().sinceLastCall());
        assertThat(claimUids("majority")).isEqualTo(claimsBefore);

        // When member 0 answers again, then the requested rebuild runs and succeeds on a new claim of member 2
        controller.quorum().set("majority-master-0", Role.FOLLOWER);
        controller.await("majority", runtime -> MemberRebuildProgress.SUCCEEDED.equals(
                runtime.getStatus().getMemberRebuild().phase()), "rebuild Succeeded");
        String rebuilt = "journal-majority-master-2";
        Await.until("a new claim of member 2", ControllerOnRealCluster.BUDGET,
                () -> claimUids("majority").get(rebuilt) != null
                        && !claimUids("majority").get(rebuilt).equals(claimsBefore.get(rebuilt)),
                () -> "claims: " + claimUids("majority"));
    }

    @Test
    void aRebuildOfAMemberBelowTheLastIsRefusedWithTheReasonChangingNothing() {
        // Given a Ready runtime
        createReady("lowest");
        Await.until("three claims of lowest", ControllerOnRealCluster.BUDGET,
                () -> claimUids("lowest").size() == 3, () -> "claims: " + claimUids("lowest"));
        Map<String, String> claimsBefore = claimUids("lowest");
        controller.requests().sinceLastCall();

        // When member 0 is to be rebuilt
        CacheRuntime refused = rebuild("lowest", 0, MemberRebuildProgress.REFUSED);

        // Then it is refused: scaling the StatefulSet down to stop it would stop members 1 and 2 too
        assertThat(refused.getStatus().getMemberRebuild().message()).isEqualTo("spec.memberRebuild.member: 0 is"
                + " not the last member (2): this controller stops a member by scaling its StatefulSet down, which"
                + " would stop the members above it too");
        assertChangedNothing(controller.requests().sinceLastCall());
        assertThat(claimUids("lowest")).isEqualTo(claimsBefore);
    }

    /** The configuration digest a pod of runtime heal cannot run on: its master crash-loops and never answers. */
    private static volatile String badDigest = "none yet";

    @Test
    void aMemberCrashLoopingOnABadConfigurationIsRestartedOnceTheChangeIsRevertedAndTheQuorumEndsHealthy() {
        // Given a Ready Alluxio runtime led by member 1, whose members do not answer while they run a bad
        // configuration (the crash-loop revert scenario of issue #20)
        controller.quorum().answeringOnlyWhile(pod -> controller.podReady(pod) && !badDigest.equals(digestOf(pod)));
        try {
            createReady("heal");
            controller.requests().sinceLastCall();

            // When a bad property is set: member 0, restarted first, crash-loops and the roll stops there
            badDigest = digestAfter(runtime -> runtime.getSpec()
                    .setProperties(Map.of("alluxio.user.file.writetype.default", "CACHE_THROUGH")));
            controller.await("heal", runtime -> runtime.getStatus().getMessage() != null
                    && runtime.getStatus().getMessage().endsWith("waiting for a HEALTHY quorum before restarting"
                            + " heal-master-1 (now DEGRADED)"), "the roll stopped at the crash-looping member 0");
            // And the change is reverted
            digestAfter(runtime -> runtime.getSpec().setProperties(null));

            // Then member 0 is restarted on the reverted configuration, and the runtime ends Ready and HEALTHY
            CacheRuntime healed = controller.await("heal", runtime -> runtime.getStatus().getObservedGeneration() == 3
                    && "HEALTHY".equals(runtime.getStatus().getQuorumHealth())
                    && condition(runtime, "Ready").filter(ready -> ready.getStatus().equals("True")).isPresent(),
                    "Ready and HEALTHY at generation 3");
            assertThat(healed.getStatus().getLeader()).isEqualTo("heal-master-1");
            // And only member 0 was ever restarted: on the bad configuration, then back off it
            assertThat(sent(controller.requests().sinceLastCall(), "delete", "pods"))
                    .extracting(ControllerRequests.Request::object)
                    .containsExactly("heal-master-0", "heal-master-0");
        } finally {
            controller.quorum().answeringOnlyWhile(controller::podReady);
        }
    }

    /** The configuration digest pod {@code name} runs, as the pod informer has it, or null. */
    private static String digestOf(String name) {
        Pod pod = controller.pod(name);
        return pod == null || pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(CONFIG_DIGEST);
    }

    /** Edits runtime heal with {@code change} and returns the pod template digest it leads to. */
    private static String digestAfter(Consumer<CacheRuntime> change) {
        String before = templateDigest("heal");
        edit("heal", change);
        String[] now = new String[1];
        Await.until("a new pod template digest of heal", ControllerOnRealCluster.BUDGET, () -> {
            now[0] = templateDigest("heal");
            return !Objects.equals(now[0], before);
        }, () -> "digest: " + now[0]);
        return now[0];
    }

    private static String templateDigest(String name) {
        return statefulSet(name).getSpec().getTemplate().getMetadata().getAnnotations().get(CONFIG_DIGEST);
    }
}
