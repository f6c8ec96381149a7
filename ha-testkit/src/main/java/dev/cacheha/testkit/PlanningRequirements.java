package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What is planned for a valid spec: equal plans for equal specs, the members, the budget and the labels. */
public abstract class PlanningRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected PlanningRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("plans the same objects in the same order for equal specs, however they were built")
    void plansTheSameObjectsInTheSameOrderForEqualSpecs() {
        HaSpec forwards = subject().validSpec(NAME, NAMESPACE)
                .property("cache-ha.testkit.a", "1").property("cache-ha.testkit.b", "2").build();
        HaSpec backwards = subject().validSpec(NAME, NAMESPACE)
                .property("cache-ha.testkit.b", "2").property("cache-ha.testkit.a", "1").build();

        HaPlan first = provider().plan(forwards);
        HaPlan again = provider().plan(forwards);
        HaPlan reordered = provider().plan(backwards);

        assertThat(again).isEqualTo(first);
        assertThat(again.toString()).isEqualTo(first.toString());
        assertThat(reordered).isEqualTo(first);
        assertThat(reordered.toString()).isEqualTo(first.toString());
    }

    @Test
    @DisplayName("lists one journal address per member, in ordinal order, inside the runtime's namespace")
    void listsOneJournalAddressPerMemberInOrdinalOrderInsideTheNamespace() {
        for (int replicas : QUORUM_SIZES) {
            HaPlan plan = provider().plan(spec(replicas));

            assertThat(plan.members()).as("members of %d", replicas).extracting(Member::ordinal)
                    .containsExactlyElementsOf(IntStream.range(0, replicas).boxed().toList());
            assertThat(plan.members()).as("pod names of %d", replicas).extracting(Member::podName)
                    .doesNotHaveDuplicates();
            assertThat(plan.journalAddresses()).as("journal addresses of %d", replicas)
                    .hasSize(replicas).doesNotHaveDuplicates();
            for (Member member : plan.members()) {
                String address = PlanObjects.journalHost(plan, member.ordinal());
                assertThat(member.namespace()).as("namespace of %s", member.podName()).isEqualTo(NAMESPACE);
                assertThat(member.host()).as("host of %s", member.podName()).contains("." + NAMESPACE + ".");
                assertThat(address).as("journal address %d of %d", member.ordinal(), replicas)
                        .contains("." + NAMESPACE + ".")
                        .satisfiesAnyOf(
                                host -> assertThat(host).isEqualTo(member.host()),
                                host -> assertThat(host).startsWith(member.podName() + "."));
            }
        }
    }

    @Test
    @DisplayName("keeps a majority of masters through voluntary disruptions with a PodDisruptionBudget")
    void keepsAMajorityThroughVoluntaryDisruptions() {
        for (int replicas : QUORUM_SIZES.subList(1, QUORUM_SIZES.size())) {
            HaPlan plan = provider().plan(spec(replicas));

            List<PodDisruptionBudget> budgets = PlanObjects.all(plan, PodDisruptionBudget.class);
            assertThat(budgets).as("disruption budgets of %d", replicas).hasSize(1);
            PodDisruptionBudget budget = budgets.get(0);
            assertThat(budget.getSpec().getMinAvailable().getIntVal()).as("minAvailable of %d", replicas)
                    .isEqualTo(replicas / 2 + 1);
            assertThat(PlanObjects.podLabels(plan))
                    .as("pod labels, which the budget selects")
                    .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    @DisplayName("puts every object, pod and claim in the runtime's namespace with the runtime's labels")
    void labelsEveryObjectPodAndClaimAsTheRuntimesMasters() {
        HaPlan plan = provider().plan(spec(JournalStorage.persistentVolume("1Gi")));
        Map<String, String> labels = RuntimeLabels.masters(provider().engine(), NAME);

        assertThat(plan.objects()).isNotEmpty().allSatisfy(object -> {
            assertThat(object.getMetadata().getLabels()).as("labels of %s", PlanObjects.describe(object))
                    .containsAllEntriesOf(labels);
            assertThat(object.getMetadata().getNamespace()).as("namespace of %s", PlanObjects.describe(object))
                    .isEqualTo(NAMESPACE);
        });
        assertThat(PlanObjects.podLabels(plan)).as("pod labels").containsAllEntriesOf(labels);
        assertThat(ClaimFixtures.claimsOf(plan)).as("claims").isNotEmpty()
                .allSatisfy(claim -> assertThat(claim.getMetadata().getLabels()).containsAllEntriesOf(labels));
    }
}
