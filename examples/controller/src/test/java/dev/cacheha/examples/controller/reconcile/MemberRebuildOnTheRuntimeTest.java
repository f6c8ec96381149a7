package dev.cacheha.examples.controller.reconcile;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.MemberRebuildRequest;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.fake.ApiServerFaults;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.StatusWrites;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.Step;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A member rebuild requested on the runtime ({@code spec.memberRebuild}), against the CRUD mock API server with the
 * Alluxio provider: its steps run through the runner every operation uses, recorded in {@code status.steps}, and it
 * is refused, changing nothing, when it would cost the majority. On the mock server because it fails, on cue, the
 * status write that records one step (a 500), and checks each claim DELETE against the pods that exist at the moment
 * the server receives it, which a real API server does not let a test see; the rebuild's happy path and its
 * refusals are proven on the real control plane ({@code realcluster.RuntimeFlowsOnRealClusterTest},
 * {@code realcluster.ReconcileOnRealClusterTest}).
 */
class MemberRebuildOnTheRuntimeTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    private static final String NAME = "demo";
    private static final String REBUILT_CLAIM = "journal-demo-master-2";

    private ControllerHarness harness;
    /** Claim DELETEs that arrived while a pod of the claim's ordinal existed. */
    private final List<String> claimsOfRunningMembers = new CopyOnWriteArrayList<>();
    /** Every replica count the controller wrote to the StatefulSet, in order. */
    private final List<Integer> scales = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A Ready three-master Alluxio runtime {@value #NAME} led by member 1; pods answer only while they exist. */
    private void readyRuntime() {
        harness = new ControllerHarness(ENGINE);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2")
                .answeringOnlyWhile(pod -> harness.faults().exists("/api/v1/namespaces/" + NAMESPACE + "/pods/"
                        + pod));
        harness.faults().observe(this::observe);
        harness.test().resource(Runtimes.runtime(NAMESPACE, NAME, ENGINE.engine(), 3)).create();
        harness.awaitReadyAt(NAME, 1, BUDGET);
    }

    private void observe(RecordedRequest request) {
        String path = request.getPath().replaceAll("\\?.*", "");
        Matcher claim = Pattern.compile("/persistentvolumeclaims/[a-z-]+-(" + NAME + "-master-\\d+)$").matcher(path);
        if (request.getMethod().equals("DELETE") && claim.find()
                && harness.faults().exists("/api/v1/namespaces/" + NAMESPACE + "/pods/" + claim.group(1))) {
            claimsOfRunningMembers.add(path);
        }
        Matcher scale = Pattern.compile("\\{\"spec\":\\{\"replicas\":(\\d+)}}").matcher(request.getUtf8Body()
                .replace(" ", ""));
        if (request.getMethod().equals("PATCH") && path.endsWith("/statefulsets/demo-master") && scale.matches()) {
            scales.add(Integer.parseInt(scale.group(1)));
        }
    }

    private void requestRebuild(int member) {
        harness.edit(NAME, runtime -> runtime.getSpec().setMemberRebuild(new MemberRebuildRequest(member)));
    }

    private CacheRuntime awaitRebuild(String phase) {
        return harness.await(NAME, runtime -> runtime.getStatus() != null
                && runtime.getStatus().getMemberRebuild() != null
                && phase.equals(runtime.getStatus().getMemberRebuild().phase()), BUDGET, "rebuild " + phase);
    }

    /** The steps of the Alluxio provider's rebuild of member 2 of three, member 1 leading, as it plans them. */
    static List<Step> rebuildSteps() {
        TranslatedRuntime translated = Runtimes.translator()
                .translate(Runtimes.runtime(NAMESPACE, NAME, ENGINE.engine(), 3));
        List<Member> members = translated.provider().plan(translated.spec()).members();
        LeaderStatus status = LeaderStatus.fromAnswers(members.stream().map(member -> new MemberAnswer(member,
                member.ordinal() == 1 ? Role.LEADER : Role.FOLLOWER, "test", Duration.ZERO, "")).toList(), "test",
                Duration.ZERO);
        return translated.provider().planMemberRebuild(translated.spec(), status, 2).steps();
    }

    @Test
    void aRebuildOfTheLastMemberStopsItAloneDeletesOnlyItsJournalByUidAndEndsWhenItFollows() {
        // Given a Ready runtime and its three journal claims
        readyRuntime();
        Map<String, String> claimsBefore = harness.journalClaimUids();
        assertThat(claimsBefore).hasSize(3);

        // When member 2 is to be rebuilt
        requestRebuild(2);

        // Then the rebuild succeeds and the runtime is Ready again at the new generation, no steps left recorded
        CacheRuntime rebuilt = awaitRebuild(MemberRebuildProgress.SUCCEEDED);
        assertThat(rebuilt.getStatus().getMemberRebuild().member()).isEqualTo(2);
        CacheRuntime ready = harness.awaitReadyAt(NAME, 2, BUDGET);
        assertThat(ready.getStatus().getSteps()).isNull();
        assertThat(ready.getStatus().getMemberRebuild().phase()).isEqualTo(MemberRebuildProgress.SUCCEEDED);
        // And only member 2 was stopped (the StatefulSet went to 2, then back to 3, never lower)
        assertThat(scales).containsExactly(2, 3);
        // And only member 2's journal was replaced, never while its pod existed; the others kept theirs
        Map<String, String> claimsAfter = harness.journalClaimUids();
        assertThat(claimsAfter.keySet()).isEqualTo(claimsBefore.keySet());
        assertThat(claimsAfter.get(REBUILT_CLAIM)).isNotEqualTo(claimsBefore.get(REBUILT_CLAIM));
        claimsBefore.remove(REBUILT_CLAIM);
        assertThat(claimsAfter).containsAllEntriesOf(claimsBefore);
        assertThat(claimsOfRunningMembers).isEmpty();
    }

    /** Every step of the Alluxio rebuild, by index. */
    static IntStream rebuildStepIndexes() {
        return IntStream.range(0, rebuildSteps().size());
    }

    @ParameterizedTest(name = "interrupted after step {0}")
    @MethodSource("rebuildStepIndexes")
    void aRebuildInterruptedAfterAnyStepResumesDeletingTheJournalOnceAndNeverOfARunningMember(int step) {
        // Given a Ready runtime, and the API server failing every status write that records step `step` of the
        // rebuild as done
        readyRuntime();
        Map<String, String> claimsBefore = harness.journalClaimUids();
        ApiServerFaults.Fault crash = harness.faults().fail(StatusWrites.recordingOperationStepDone(NAME,
                "memberRebuild", step, rebuildSteps().size()), 500, Integer.MAX_VALUE);

        // When member 2 is to be rebuilt and the controller dies right after step `step`, before it could record it
        requestRebuild(2);
        Eventually.within(BUDGET, "the write recording step " + step, () -> crash.hits() > 0 ? true : null);
        harness.stop();
        crash.clear();
        // And a new controller takes over
        harness.start();

        // Then the rebuild ends Succeeded and the runtime is Ready, only member 2 ever stopped
        awaitRebuild(MemberRebuildProgress.SUCCEEDED);
        harness.awaitReadyAt(NAME, 2, BUDGET);
        assertThat(scales).isNotEmpty().allMatch(replicas -> replicas >= 2);
        // And member 2's journal was replaced, never while its pod existed, and the others kept theirs
        assertThat(claimsOfRunningMembers).isEmpty();
        Map<String, String> claimsAfter = harness.journalClaimUids();
        assertThat(claimsAfter.get(REBUILT_CLAIM)).isNotEqualTo(claimsBefore.get(REBUILT_CLAIM));
        claimsBefore.remove(REBUILT_CLAIM);
        assertThat(claimsAfter).containsAllEntriesOf(claimsBefore);
    }
}
