package dev.cacheha.toolkit.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.toolkit.QuorumNames;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The toolkit orders a raft engine's membership commands around the StatefulSet so a majority keeps running. */
class ReplicaChangeTest {

    private static final EngineRules RULES = new EngineRules("peer", "-peer", Map.of("raft", 7001), new TreeMap<>());
    private static final Function<HaSpec, HaPlan> PLANNER = spec -> new HaPlan("peer", Map.of(),
            new QuorumNames(spec, RULES).members(),
            new QuorumNames(spec, RULES).addresses(7001), List.of());

    /** An engine whose members join and leave only when the leader is told. */
    private static final ReplicaChange EXPLICIT = new ReplicaChange(RULES, "peer-master", "journal",
            member -> List.of(List.of("peer", "remove", member.podName())),
            member -> List.of(List.of("peer", "add", member.podName())));

    private static HaSpec running(int replicas) {
        return HaSpec.builder("demo", "cache").replicas(replicas).build();
    }

    @Test
    void givenAnEngineThatAddsMembersExplicitlyWhenGrowingThenEachNewMemberIsAddedAfterItStartsAndBeforeTheWait() {
        ReplicaChangePlan plan = EXPLICIT.plan(running(3), 5, PLANNER);

        assertThat(plan.steps()).extracting(step -> step.getClass().getSimpleName()).containsExactly(
                "DeleteClaims", "Apply", "ExecOnLeader", "ExecOnLeader", "AwaitQuorum", "RollMembers");
        assertThat(plan.steps().subList(2, 4)).extracting(step -> ((Step.ExecOnLeader) step).argv()).containsExactly(
                List.of("peer", "add", "demo-peer-3"), List.of("peer", "add", "demo-peer-4"));
        assertThat(((Step.DeleteClaims) plan.steps().get(0)).claimNames())
                .containsExactly("journal-demo-peer-3", "journal-demo-peer-4");
    }

    @Test
    void givenAnyEngineWhenShrinkingThenMembersAreRemovedOnlyAfterTheStatefulSetStoppedThem() {
        ReplicaChangePlan plan = EXPLICIT.plan(running(5), 3, PLANNER);

        assertThat(plan.steps()).extracting(step -> step.getClass().getSimpleName()).containsExactly(
                "Apply", "ExecOnLeader", "ExecOnLeader", "RollMembers", "AwaitQuorum");
        assertThat(plan.steps().subList(1, 3)).extracting(step -> ((Step.ExecOnLeader) step).container())
                .containsOnly("peer-master");
        assertThat(((Step.RollMembers) plan.steps().get(3)).members()).extracting(Member::podName)
                .containsExactly("demo-peer-0", "demo-peer-1", "demo-peer-2");
        assertThat(plan.target().members()).hasSize(3);
    }

    @Test
    void givenAnEngineWhoseMembersJoinByThemselvesAndAMemoryJournalWhenGrowingThenNothingRunsOnTheLeader() {
        ReplicaChange joining = ReplicaChange.removing(RULES, "peer-master", "journal",
                member -> List.of(List.of("peer", "remove", member.podName())));
        HaSpec memory = running(3).toBuilder().journal(JournalStorage.memory("1Gi")).build();

        assertThat(joining.plan(memory, 5, PLANNER).steps()).extracting(step -> step.getClass().getSimpleName())
                .containsExactly("Apply", "AwaitQuorum", "RollMembers");
    }

    @Test
    void givenAChangeThatSkipsASizeThenItIsRefusedOnReplicasWithThePathThatWorks() {
        assertThatThrownBy(() -> EXPLICIT.plan(running(3), 7, PLANNER))
                .isInstanceOfSatisfying(SpecValidationException.class, refused -> {
                    assertThat(refused.violations()).singleElement().satisfies(violation -> {
                        assertThat(violation.field()).isEqualTo("replicas");
                        assertThat(violation.rule()).contains("3 -> 5 -> 7");
                    });
                });
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({"1, 3, false", "3, 5, true", "3, 7, false", "5, 7, true", "7, 3, false", "5, 3, true", "3, 1, false",
            "7, 5, true"})
    void aChangeKeepsAQuorumWhenTheCommonMembersAreAMajorityOfBoth(int from, int to, boolean keeps) {
        // Then the rule min(n, m) >= max(n, m) / 2 + 1 holds exactly for the safe changes
        assertThat(ReplicaChange.keepsQuorum(from, to)).isEqualTo(keeps);
    }
}
