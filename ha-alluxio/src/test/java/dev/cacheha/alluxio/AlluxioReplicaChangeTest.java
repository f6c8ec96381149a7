package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Replica changes keep a majority of the members running at every step, or are refused with a way forward. */
class AlluxioReplicaChangeTest {

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    private static HaSpec running(int replicas) {
        return HaSpec.builder("demo", "cache").replicas(replicas).build();
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5, 7})
    void keepingTheSizeNeedsNoSteps(int replicas) {
        // When the quorum is "changed" to its own size
        ReplicaChangePlan plan = provider.planReplicaChange(running(replicas), replicas);

        // Then there is nothing to do, and the target is the current plan
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.fromReplicas()).isEqualTo(replicas);
        assertThat(plan.toReplicas()).isEqualTo(replicas);
        assertThat(plan.target()).isEqualTo(provider.plan(running(replicas)));
    }

    @Test
    void growingFromThreeToFiveStartsTheNewMembersWaitsForAllThenRestartsTheOldOnes() {
        // When three masters grow to five
        ReplicaChangePlan plan = provider.planReplicaChange(running(3), 5);

        // Then the new objects are applied, all five are awaited, and the three old members restart
        assertThat(plan.fromReplicas()).isEqualTo(3);
        assertThat(plan.toReplicas()).isEqualTo(5);
        assertThat(plan.target()).isEqualTo(provider.plan(running(5)));
        assertThat(plan.target().object(StatefulSet.class).orElseThrow().getSpec().getReplicas()).isEqualTo(5);
        assertThat(plan.steps()).hasSize(4);
        assertThat(((Step.DeleteClaims) plan.steps().get(0)).claimNames())
                .containsExactly("journal-demo-master-3", "journal-demo-master-4");
        assertThat(plan.steps().get(1)).isInstanceOf(Step.Apply.class);
        assertThat(plan.steps().get(2)).isEqualTo(new Step.AwaitQuorum(5, plan.steps().get(2).description()));
        assertThat(((Step.RollMembers) plan.steps().get(3)).members()).extracting(Member::podName)
                .containsExactly("demo-master-0", "demo-master-1", "demo-master-2");
    }

    @Test
    void growingAMemoryJournalDeletesNoClaims() {
        // Given a memory journal
        HaSpec spec = running(5).toBuilder().journal(JournalStorage.memory("1Gi")).build();

        // When it grows to seven
        ReplicaChangePlan plan = provider.planReplicaChange(spec, 7);

        // Then no claim is deleted: there are none
        assertThat(plan.steps()).noneMatch(Step.DeleteClaims.class::isInstance);
        assertThat(plan.steps().get(0)).isInstanceOf(Step.Apply.class);
    }

    @Test
    void shrinkingFromFiveToThreeStopsTheMembersFirstThenRemovesThemFromBothQuorums() {
        // Given five masters with a moved journal port
        HaSpec spec = running(5).toBuilder().port(AlluxioPorts.JOURNAL, 29200).build();

        // When they shrink to three
        ReplicaChangePlan plan = provider.planReplicaChange(spec, 3);

        // Then the StatefulSet shrinks first, members 3 and 4 leave both journal quorums, the rest restart
        String host3 = "demo-master-3.demo-master.cache.svc.cluster.local";
        String host4 = "demo-master-4.demo-master.cache.svc.cluster.local";
        assertThat(plan.steps()).hasSize(7);
        assertThat(plan.steps().get(0)).isInstanceOf(Step.Apply.class);
        assertThat(plan.steps().subList(1, 5)).extracting(step -> ((Step.ExecOnLeader) step).argv())
                .containsExactly(
                        removal("MASTER", host3 + ":29200"),
                        removal("JOB_MASTER", host3 + ":20003"),
                        removal("MASTER", host4 + ":29200"),
                        removal("JOB_MASTER", host4 + ":20003"));
        assertThat(plan.steps().subList(1, 5)).allSatisfy(step ->
                assertThat(((Step.ExecOnLeader) step).container()).isEqualTo("alluxio-master"));
        assertThat(((Step.RollMembers) plan.steps().get(5)).members()).extracting(Member::podName)
                .containsExactly("demo-master-0", "demo-master-1", "demo-master-2");
        assertThat(plan.steps().get(6)).isEqualTo(new Step.AwaitQuorum(3, plan.steps().get(6).description()));
        assertThat(plan.target().object(StatefulSet.class).orElseThrow().getSpec().getReplicas()).isEqualTo(3);
        assertThat(plan.target().properties().get("alluxio.master.embedded.journal.addresses"))
                .doesNotContain("demo-master-3");
    }

    private static List<String> removal(String domain, String address) {
        return List.of("alluxio", "fsadmin", "journal", "quorum", "remove", "-domain", domain, "-address", address);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"3, 5", "5, 7", "7, 5", "5, 3"})
    void changesWhoseCommonMembersAreAMajorityOfBothSizesArePlanned(int from, int to) {
        // When the change keeps min(from, to) members, a majority of max(from, to)
        ReplicaChangePlan plan = provider.planReplicaChange(running(from), to);

        // Then it is planned
        assertThat(plan.toReplicas()).isEqualTo(to);
        assertThat(plan.steps()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1} via {2}")
    @CsvSource({"7, 3, 7 -> 5 -> 3", "3, 7, 3 -> 5 -> 7"})
    void skippingASizeIsRefusedWithTheStepsThatWork(int from, int to, String path) {
        // When the change would leave fewer common members than a majority of the larger quorum
        // Then it is refused on field replicas, naming the stepwise path
        assertThatThrownBy(() -> provider.planReplicaChange(running(from), to))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).singleElement().satisfies(violation -> {
                            assertThat(violation.field()).isEqualTo("replicas");
                            assertThat(violation.rule()).contains("fewer than a majority of 7 (4)")
                                    .contains("change in steps").contains(path);
                        }));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 3", "3, 1", "1, 7", "5, 1"})
    void changesToOrFromASingleMasterAreRefusedWithoutAPath(int from, int to) {
        // When one side of the change is a single master
        // Then it is refused, saying no sequence of changes helps
        assertThatThrownBy(() -> provider.planReplicaChange(running(from), to))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).singleElement().satisfies(violation -> {
                            assertThat(violation.field()).isEqualTo("replicas");
                            assertThat(violation.rule()).contains("no sequence of changes avoids this")
                                    .contains("recreate the runtime with " + to + " master");
                        }));
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(ints = {0, 4, 9})
    void anInvalidNewSizeIsRefusedAsAnInvalidSpec(int newReplicas) {
        // When the new size is not a valid quorum size
        // Then the spec's own replica rule refuses it
        assertThatThrownBy(() -> provider.planReplicaChange(running(3), newReplicas))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).extracting(Violation::field).containsExactly("replicas"));
    }
}
