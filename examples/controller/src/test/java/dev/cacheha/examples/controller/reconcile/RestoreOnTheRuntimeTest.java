package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static dev.cacheha.examples.controller.fake.ControllerHarness.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.RestoreRequest;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.ApiServerFaults;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ServerRequests;
import dev.cacheha.examples.controller.fake.ServerRequests.Request;
import dev.cacheha.examples.controller.fake.StatusWrites;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.Step;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A restore requested on the runtime ({@code spec.restore.backupName}), run by the controller on JOSDK against the
 * CRUD mock API server with the Alluxio provider's own restore plan: the order of what it sends, refusals that
 * change nothing, interruptions after every step, and the steady state after. On the mock server because it fails
 * requests on cue (the status write that records one step, one claim DELETE) and orders what the controller sent by
 * when the server received it, checking each claim DELETE against the pods that exist at that moment, which a real
 * API server does not let a test see; a backup and a restore are proven on the real control plane
 * ({@code realcluster.BackupAndRestoreOnRealClusterTest}).
 */
class RestoreOnTheRuntimeTest {

    private static final Duration BUDGET = Duration.ofSeconds(45);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    private static final String NAME = "demo";
    private static final String BACKUP_FILE_NAME = "alluxio-backup-2026-11-30.gz";
    private static final String FILE = "/backups/data/demo/" + BACKUP_FILE_NAME;
    private static final String RESTORE_PROPERTY = "alluxio.master.journal.init.from.backup";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private ControllerHarness harness;
    /** What the controller sent and ran, in the order the server and the members saw it. */
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    /** Claim DELETEs that arrived while a pod of the claim's ordinal existed. */
    private final List<String> claimsOfRunningMembers = new CopyOnWriteArrayList<>();
    private volatile int checkExitCode;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    /**
     * A Ready three-master Alluxio runtime {@value #NAME} led by member 1 and its Succeeded backup
     * {@code nightly}; every request of the controller and every command it runs go to the timeline.
     */
    private void readyRuntimeWithBackup() {
        harness = new ControllerHarness(ENGINE);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2")
                .answeringOnlyWhile(pod -> harness.faults().exists("/api/v1/namespaces/" + NAMESPACE + "/pods/"
                        + pod));
        harness.exec().answering(this::answer);
        harness.faults().observe(this::observe);
        Backups.labelledClaim(harness, "backups");
        harness.test().resource(Backups.withBackupVolume(Runtimes.runtime(NAMESPACE, NAME, ENGINE.engine(), 3)))
                .create();
        Backups.awaitReady(harness, NAME, BUDGET);
        harness.test().resource(Backups.toSharedVolume("nightly", NAME, "/backups")).create();
        Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.SUCCEEDED, BUDGET);
    }

    /** The members' side of a command: a backup reports a file in the directory it was given. */
    private PodExec.Result answer(RecordingPodExec.Call call) {
        timeline.add("exec " + call.pod() + " " + String.join(" ", call.argv()));
        if (call.argv().contains("backup")) {
            String directory = call.argv().stream().filter(argument -> argument.startsWith("/backups/"))
                    .findFirst().orElseThrow();
            return new PodExec.Result(0, ENGINE.backupOutput(directory + "/" + BACKUP_FILE_NAME), "");
        }
        if (call.argv().get(0).equals("test")) {
            return new PodExec.Result(checkExitCode, "", checkExitCode == 0 ? "" : "no such file");
        }
        return new PodExec.Result(0, "", "");
    }

    private void observe(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent != null && agent.startsWith(ServerRequests.TEST_AGENT) || request.getPath().contains("watch=true")) {
            return;
        }
        String path = request.getPath().replaceAll("\\?.*", "");
        timeline.add(request.getMethod() + " " + path + " " + request.getUtf8Body());
        Matcher claim = Pattern.compile("/persistentvolumeclaims/[a-z-]+-(" + NAME + "-master-\\d+)$").matcher(path);
        if (request.getMethod().equals("DELETE") && claim.find()
                && harness.faults().exists("/api/v1/namespaces/" + NAMESPACE + "/pods/" + claim.group(1))) {
            claimsOfRunningMembers.add(path);
        }
    }

    private CacheRuntime requestRestore(String backupName) {
        return harness.edit(NAME, runtime -> runtime.getSpec().setRestore(new RestoreRequest(backupName)));
    }

    private CacheRuntime awaitRestore(String phase) {
        return harness.await(NAME, runtime -> runtime.getStatus() != null && runtime.getStatus().getRestore() != null
                && phase.equals(runtime.getStatus().getRestore().phase()), BUDGET, "restore " + phase);
    }




    private int first(Predicate<String> entry) {
        return IntStream.range(0, timeline.size()).filter(index -> entry.test(timeline.get(index))).findFirst()
                .orElseThrow(() -> new AssertionError("nothing in the timeline matches: " + timeline));
    }

    private List<Integer> all(Predicate<String> entry) {
        return IntStream.range(0, timeline.size()).filter(index -> entry.test(timeline.get(index))).boxed().toList();
    }

    private static boolean statefulSetWrite(String entry) {
        return entry.matches("(PATCH|PUT|POST|DELETE) /apis/apps/v1/namespaces/data/statefulsets.*");
    }

    private static boolean claimDelete(String entry) {
        return entry.startsWith("DELETE /api/v1/namespaces/data/persistentvolumeclaims/");
    }

    /** The steps of the Alluxio provider's restore of a three-master runtime, as it plans them. */
    static List<Step> restoreSteps() {
        TranslatedRuntime translated = Runtimes.translator()
                .translate(Runtimes.runtime(NAMESPACE, NAME, ENGINE.engine(), 3));
        Member leader = new Member(1, NAMESPACE, "demo-master-1", "demo-master-1");
        return translated.provider().planRestore(translated.spec(), new Backup(ENGINE.engine(), NAMESPACE, NAME,
                new BackupTarget.SharedVolume("/backups"), FILE, leader)).steps();
    }

    @Test
    void aRestoreChecksFirstStopsWipesEachClaimByUidStartsWithTheRestorePropertyAndEndsWithout() {
        // Given a Ready runtime, its backup nightly, and its three journal claims
        readyRuntimeWithBackup();
        Map<String, String> claimsBefore = harness.journalClaimUids();
        assertThat(claimsBefore).hasSize(3);
        timeline.clear();

        // When a restore from nightly is requested
        requestRestore("nightly");

        // Then it succeeds, and the runtime is Ready again at the new generation
        CacheRuntime restored = awaitRestore(RestoreProgress.SUCCEEDED);
        RestoreProgress record = restored.getStatus().getRestore();
        assertThat(record.backupName()).isEqualTo("nightly");
        assertThat(record.backupUid()).isEqualTo(harness.backup("nightly").getMetadata().getUid());
        assertThat(record.location()).isEqualTo(FILE);
        assertThat(record.endedAt().nextStep()).isEqualTo(restoreSteps().size());
        CacheRuntime ready = harness.awaitReadyAt(NAME, 2, BUDGET);
        assertThat(condition(ready, RuntimeConditions.RESTORED).orElseThrow().getStatus()).isEqualTo("True");

        // And the check that the backup is there ran on member 0 before any StatefulSet change
        int check = first(entry -> entry.equals("exec demo-master-0 test -s " + FILE));
        int stop = first(entry -> statefulSetWrite(entry) && entry.contains("\"replicas\":0"));
        assertThat(check).isLessThan(first(RestoreOnTheRuntimeTest::statefulSetWrite));
        // And each claim was deleted once, after the scale to 0, by its UID, with no pod of its ordinal left
        List<Integer> deletes = all(RestoreOnTheRuntimeTest::claimDelete);
        assertThat(deletes).hasSize(3).allSatisfy(index -> assertThat(index).isGreaterThan(stop));
        assertThat(deletes.stream().map(timeline::get).toList()).allSatisfy(delete -> {
            String claim = delete.split(" ")[1].substring(delete.split(" ")[1].lastIndexOf('/') + 1);
            assertThat(delete).contains("\"uid\":\"" + claimsBefore.get(claim) + "\"");
        }).extracting(delete -> delete.split(" ")[1]).doesNotHaveDuplicates();
        assertThat(claimsOfRunningMembers).isEmpty();
        // And the restore property went out after the claims were gone, before the members started again
        int withProperty = first(entry -> entry.matches("PATCH /api/v1/namespaces/data/configmaps/.*")
                && entry.contains(RESTORE_PROPERTY));
        int start = first(entry -> statefulSetWrite(entry) && entry.contains("{\"spec\":{\"replicas\":3}}"));
        assertThat(withProperty).isGreaterThan(deletes.get(2)).isLessThan(start);
        // And afterwards no object of the runtime carries the property, and the members run on fresh claims
        assertThat(harness.test().configMaps().inNamespace(NAMESPACE).list().getItems())
                .isNotEmpty().allSatisfy(map -> assertThat(JSON.asJson(map)).doesNotContain(RESTORE_PROPERTY));
        assertThat(JSON.asJson(harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master")
                .get())).doesNotContain(RESTORE_PROPERTY);
        assertThat(harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get()
                .getSpec().getReplicas()).isEqualTo(3);
        Map<String, String> claimsAfter = harness.journalClaimUids();
        assertThat(claimsAfter.keySet()).isEqualTo(claimsBefore.keySet());
        assertThat(claimsAfter.values()).doesNotContainAnyElementsOf(claimsBefore.values());
        // And dropping the property changed the pod template, so each member was restarted once more, one at a
        // time, after the restore was recorded as Succeeded (the controller deletes pods for nothing else here)
        int succeeded = first(entry -> entry.startsWith("PATCH /apis/data.cacheha.dev/v1alpha1/namespaces/data/"
                + "cacheruntimes/demo/status") && entry.contains("\"phase\":\"Succeeded\""));
        List<Integer> podDeletes = all(entry -> entry.startsWith("DELETE /api/v1/namespaces/data/pods/"));
        assertThat(podDeletes).allSatisfy(index -> assertThat(index).isGreaterThan(succeeded));
        assertThat(podDeletes.stream().map(timeline::get)
                .map(delete -> delete.split(" ")[1].substring(delete.split(" ")[1].lastIndexOf('/') + 1)))
                .containsExactlyInAnyOrder("demo-master-0", "demo-master-1", "demo-master-2");
    }

    @Test
    void theSteadyStateAfterARestoreSendsNoRequest() {
        // Given a runtime restored from nightly and Ready again, with nothing of that in flight: the reconcile that
        // wrote Ready sends its Events after the write the test sees, so one more reconcile is awaited first (a
        // runtime's reconciles never overlap)
        readyRuntimeWithBackup();
        requestRestore("nightly");
        awaitRestore(RestoreProgress.SUCCEEDED);
        harness.awaitReadyAt(NAME, 2, BUDGET);
        touchAndAwaitAnUnchangedReconcile("before");
        harness.requests().sinceLastCall();

        // When a watched object changes in a field the controller does not set, which triggers reconciles
        touchAndAwaitAnUnchangedReconcile("after");

        // Then the controller sent nothing, and the restore did not run again
        assertThat(harness.requests().sinceLastCall()).filteredOn(request -> !request.path().contains("watch=true"))
                .isEmpty();
        assertThat(harness.exec().calls()).filteredOn(call -> call.argv().get(0).equals("test")).hasSize(1);
        assertThat(harness.runtime(NAME).getStatus().getRestore().phase()).isEqualTo(RestoreProgress.SUCCEEDED);
    }

    /** Annotates the runtime's ConfigMap with {@code touched=value} and waits for a reconcile that changed nothing. */
    private void touchAndAwaitAnUnchangedReconcile(String value) {
        double unchangedBefore = unchangedReconciles();
        harness.test().configMaps().inNamespace(NAMESPACE).withName("demo-master-ha")
                .edit(map -> new ConfigMapBuilder(map).editMetadata().addToAnnotations("touched", value)
                        .endMetadata().build());
        Eventually.within(BUDGET, "a reconcile that found everything unchanged",
                () -> unchangedReconciles() > unchangedBefore ? true : null);
    }

    private double unchangedReconciles() {
        return harness.registry().get(ControllerMetrics.RECONCILE_OUTCOMES)
                .tag("outcome", ControllerMetrics.Outcome.UNCHANGED.name()).counter().count();
    }

    /** Requests the restore and asserts it was refused with {@code reason}, having deleted and scaled nothing. */
    private void assertRefusedChangingNothing(String backupName, String reason) {
        harness.requests().sinceLastCall();
        Map<String, String> claimsBefore = harness.journalClaimUids();

        requestRestore(backupName);

        CacheRuntime refused = awaitRestore(RestoreProgress.REFUSED);
        assertThat(refused.getStatus().getRestore().message()).contains(reason);
        assertThat(condition(refused, RuntimeConditions.READY).orElseThrow().getReason()).isEqualTo("RestoreRefused");
        assertThat(condition(refused, RuntimeConditions.RESTORED).orElseThrow().getStatus()).isEqualTo("False");
        List<Request> sent = harness.requests().sinceLastCall();
        assertThat(sent).noneMatch(request -> request.method().equals("DELETE"));
        assertThat(sent).noneMatch(request -> request.writes() && request.path().contains("/statefulsets"));
        assertThat(harness.exec().calls()).noneMatch(call -> call.argv().get(0).equals("test"));
        assertThat(harness.journalClaimUids()).isEqualTo(claimsBefore);
    }

    @Test
    void aRestoreOfAMissingBackupIsRefusedWithTheReasonAndChangesNothing() {
        // Given a Ready runtime
        readyRuntimeWithBackup();

        // When a restore from a backup that does not exist is requested, then it is refused and nothing changed
        assertRefusedChangingNothing("ghost", "spec.restore.backupName: no CacheRuntimeBackup ghost in namespace"
                + " data");
    }

    @Test
    void aRestoreOfAnotherRuntimesBackupIsRefusedWithTheReasonAndChangesNothing() {
        // Given a Ready runtime and another runtime with its own Succeeded backup
        readyRuntimeWithBackup();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            harness.quorum().set("other-master-" + ordinal, ordinal == 0 ? Role.LEADER : Role.FOLLOWER);
        }
        harness.test().resource(Backups.withBackupVolume(Runtimes.runtime(NAMESPACE, "other", ENGINE.engine(), 3)))
                .create();
        Backups.awaitReady(harness, "other", BUDGET);
        harness.test().resource(Backups.toSharedVolume("other-nightly", "other", "/backups")).create();
        Backups.awaitPhase(harness, "other-nightly", CacheRuntimeBackupStatus.SUCCEEDED, BUDGET);

        // When demo is asked to restore from other's backup, then it is refused as foreign and nothing changed
        assertRefusedChangingNothing("other-nightly", "backup other-nightly was taken from alluxio runtime"
                + " data/other, not from this alluxio runtime data/demo: a foreign backup is never restored");
    }

    @Test
    void aRestoreOfABackupThatDidNotSucceedIsRefusedWithTheReasonAndChangesNothing() {
        // Given a Ready runtime and a backup of it that failed (its command exited 1)
        readyRuntimeWithBackup();
        harness.exec().answering(call -> new PodExec.Result(1, "", "disk full"));
        harness.test().resource(Backups.toSharedVolume("broken", NAME, "/backups")).create();
        Backups.awaitPhase(harness, "broken", CacheRuntimeBackupStatus.FAILED, BUDGET);
        harness.exec().answering(this::answer);

        // When a restore from it is requested, then it is refused and nothing changed
        assertRefusedChangingNothing("broken", "spec.restore.backupName: backup broken is Failed, not Succeeded");
    }

    @Test
    void aCheckThatFindsNoBackupRefusesTheRestoreBeforeAnythingStops() {
        // Given a Ready runtime and a backup whose file is gone from the volume
        readyRuntimeWithBackup();
        checkExitCode = 1;
        harness.requests().sinceLastCall();
        Map<String, String> claimsBefore = harness.journalClaimUids();

        // When a restore from it is requested
        requestRestore("nightly");

        // Then the check refused it, with the reason, at step 0, and nothing was stopped or deleted
        CacheRuntime refused = awaitRestore(RestoreProgress.REFUSED);
        assertThat(refused.getStatus().getRestore().endedAt().nextStep()).isZero();
        assertThat(refused.getStatus().getRestore().message()).startsWith("[test, -s, " + FILE + "] on"
                + " demo-master-0 exited 1 (no such file), so nothing was stopped or deleted");
        List<Request> sent = harness.requests().sinceLastCall();
        assertThat(sent).noneMatch(request -> request.method().equals("DELETE"));
        assertThat(sent).noneMatch(request -> request.writes() && request.path().contains("/statefulsets"));
        assertThat(harness.journalClaimUids()).isEqualTo(claimsBefore);
    }

    @Test
    void aBackupAskedForWhileARestoreRunsWaitsUntilItEnds() {
        // Given a restore held at its StopMembers step: the cluster does not remove the pods yet
        readyRuntimeWithBackup();
        harness.statefulSets().paused(true);
        requestRestore("nightly");
        harness.await(NAME, runtime -> runtime.getStatus().getRestore() != null
                && runtime.getStatus().getSteps() != null
                && Objects.equals(runtime.getStatus().getSteps().nextStep(), 1)
                && runtime.getStatus().getRestore().message() != null, BUDGET, "the restore waiting for pods");

        // When another backup is asked for
        harness.test().resource(Backups.toSharedVolume("during", NAME, "/backups")).create();

        // Then it waits, saying why, and no backup command ran
        CacheRuntimeBackupStatus pending = Backups.awaitPhase(harness, "during", CacheRuntimeBackupStatus.PENDING,
                BUDGET).getStatus();
        assertThat(pending.getMessage()).isEqualTo("runtime demo is being restored from nightly; its metadata is"
                + " replaced until the restore ends");
        assertThat(harness.exec().calls()).filteredOn(call -> call.argv().contains("backup")).hasSize(1);

        // When the pods go and the restore ends, then the backup is taken on the restored quorum
        harness.statefulSets().paused(false);
        awaitRestore(RestoreProgress.SUCCEEDED);
        Backups.awaitPhase(harness, "during", CacheRuntimeBackupStatus.SUCCEEDED, BUDGET);
        assertThat(harness.exec().calls()).filteredOn(call -> call.argv().contains("backup")).hasSize(2);
    }

    /** Every step of the Alluxio restore of three members, by index. */
    static IntStream restoreStepIndexes() {
        return IntStream.range(0, restoreSteps().size());
    }

    /** Matches the status writes of the runtime that record step {@code step} of the restore as done. */
    private static Predicate<RecordedRequest> recordingRestoreStepDone(int step) {
        return StatusWrites.recordingOperationStepDone(NAME, "restore", step, restoreSteps().size());
    }

    @ParameterizedTest(name = "interrupted after step {0}")
    @MethodSource("restoreStepIndexes")
    void aRestoreInterruptedAfterAnyStepResumesDeletingNoClaimTwiceAndNoneOfARunningMember(int step) {
        // Given a Ready runtime with its backup, and the API server failing every status write that records
        // step `step` of the restore as done
        readyRuntimeWithBackup();
        Map<String, String> claimsBefore = harness.journalClaimUids();
        ApiServerFaults.Fault crash = harness.faults().fail(recordingRestoreStepDone(step), 500, Integer.MAX_VALUE);
        timeline.clear();

        // When a restore is requested and the controller dies right after step `step`, before it could record it
        requestRestore("nightly");
        Eventually.within(BUDGET, "the write recording step " + step, () -> crash.hits() > 0 ? true : null);
        harness.stop();
        crash.clear();
        // And a new controller takes over
        harness.start();

        // Then the restore ends Succeeded and the runtime is Ready
        awaitRestore(RestoreProgress.SUCCEEDED);
        harness.awaitReadyAt(NAME, 2, BUDGET);
        // And each old claim was deleted exactly once, by its UID, never while a pod of its ordinal existed
        List<String> deletes = all(RestoreOnTheRuntimeTest::claimDelete).stream().map(timeline::get).toList();
        assertThat(deletes).hasSize(3).extracting(delete -> delete.split(" ")[1]).doesNotHaveDuplicates();
        assertThat(deletes).allSatisfy(delete -> assertThat(claimsBefore.values())
                .anyMatch(uid -> delete.contains("\"uid\":\"" + uid + "\"")));
        assertThat(claimsOfRunningMembers).isEmpty();
        assertThat(harness.journalClaimUids().values()).hasSize(3).doesNotContainAnyElementsOf(claimsBefore.values());
    }

    @Test
    void aRestoreWhoseBackupWasDeletedAfterTheJournalsWereWipedIsAbortedByRemovingSpecRestore() {
        // Given a restore that wiped every journal, then lost its controller and its backup
        readyRuntimeWithBackup();
        int lastWipe = IntStream.range(0, restoreSteps().size())
                .filter(index -> restoreSteps().get(index) instanceof Step.WipeJournal).max().orElseThrow();
        ApiServerFaults.Fault crash = harness.faults().fail(recordingRestoreStepDone(lastWipe), 500,
                Integer.MAX_VALUE);
        requestRestore("nightly");
        Eventually.within(BUDGET, "the write recording the last wipe", () -> crash.hits() > 0 ? true : null);
        harness.stop();
        crash.clear();
        harness.test().resources(CacheRuntimeBackup.class).inNamespace(NAMESPACE).withName("nightly").delete();
        harness.start();
        harness.await(NAME, runtime -> runtime.getStatus().getRestore().message() != null
                && runtime.getStatus().getRestore().message().startsWith("waiting: spec.restore.backupName: no"
                        + " CacheRuntimeBackup nightly"), BUDGET, "the restore waiting for its backup");

        // When spec.restore is removed
        harness.edit(NAME, runtime -> runtime.getSpec().setRestore(null));

        // Then the restore is Aborted, stating how far it came and what the members run on
        CacheRuntime aborted = awaitRestore(RestoreProgress.ABORTED);
        // (the restarted controller may or may not have run the idempotent last wipe again before it saw the
        // backup gone, so the count is the one before or after that step)
        assertThat(aborted.getStatus().getRestore().message()).matches("aborted because spec\\.restore no"
                + " longer names nightly, with (" + lastWipe + "|" + (lastWipe + 1) + ") step\\(s\\) done.*")
                .contains("which is empty if the journals were wiped");
        // And the runtime runs its three members again, Ready, without the restore's property anywhere
        CacheRuntime ready = harness.awaitReadyAt(NAME, 3, BUDGET);
        assertThat(ready.getStatus().getRestore().phase()).isEqualTo(RestoreProgress.ABORTED);
        assertThat(condition(ready, RuntimeConditions.RESTORED).orElseThrow().getStatus()).isEqualTo("False");
        StatefulSet set = harness.test().apps().statefulSets().inNamespace(NAMESPACE).withName("demo-master").get();
        assertThat(set.getSpec().getReplicas()).isEqualTo(3);
        assertThat(JSON.asJson(set)).doesNotContain(RESTORE_PROPERTY);
        assertThat(harness.test().configMaps().inNamespace(NAMESPACE).list().getItems())
                .allSatisfy(map -> assertThat(JSON.asJson(map)).doesNotContain(RESTORE_PROPERTY));
    }

    @Test
    void anApiErrorOnAClaimDeleteIsRetriedAndTheRestoreCompletes() {
        // Given a Ready runtime with its backup, and the API server refusing the first claim DELETE with 500
        readyRuntimeWithBackup();
        ApiServerFaults.Fault refused = harness.faults().fail(request -> request.getMethod().equals("DELETE")
                && request.getPath().contains("/persistentvolumeclaims/"), 500, 1);

        // When a restore is requested
        requestRestore("nightly");

        // Then the refused delete was retried and the restore succeeded with fresh claims
        awaitRestore(RestoreProgress.SUCCEEDED);
        harness.awaitReadyAt(NAME, 2, BUDGET);
        assertThat(refused.hits()).isEqualTo(1);
        assertThat(claimsOfRunningMembers).isEmpty();
        Eventually.within(BUDGET, "three journal claims", () -> harness.journalClaimUids().size() == 3 ? true : null);
    }

    @Test
    void aFailedReconcileReportsItsErrorOnTheProgressItRecordedNotOnTheStatusItStartedFrom() {
        // Given a Ready runtime with its backup, and the API server refusing once the scale back to three members
        // (403, as a webhook or a missing permission would: the client retries a 5xx itself)
        readyRuntimeWithBackup();
        harness.faults().fail(request -> request.getMethod().equals("PATCH")
                && request.getPath().contains("/statefulsets/")
                && request.getUtf8Body().replace(" ", "").equals("{\"spec\":{\"replicas\":3}}"), 403, 1);
        int start = IntStream.range(0, restoreSteps().size())
                .filter(index -> restoreSteps().get(index) instanceof Step.StartMembers)
                .findFirst().orElseThrow();
        timeline.clear();

        // When a restore is requested: the reconcile that wipes the journals and applies the restore plan records
        // each step, then fails on the start
        requestRestore("nightly");
        awaitRestore(RestoreProgress.SUCCEEDED);

        // Then the status that reports the failure still records every step before the start as done: a status
        // from before them would make the retry run them again
        String failure = timeline.get(first(entry -> entry.startsWith("PATCH ")
                && entry.contains("/cacheruntimes/demo/status ") && entry.contains("reconcile failed")));
        List<?> operations = JSON.unmarshal(failure.split(" ", 3)[2], List.class);
        Map<?, ?> steps = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) operations.get(0)).get("value")).get("steps");
        assertThat(((Number) steps.get("nextStep")).intValue()).isEqualTo(start);
    }
}
