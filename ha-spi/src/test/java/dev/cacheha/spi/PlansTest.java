package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plans a provider returns: what they insist on, and that they keep their own copies of what they are given. */
class PlansTest {

    private static Member member(int ordinal) {
        return new Member(ordinal, "fluid", "cache-master-" + ordinal, "cache-master-" + ordinal + ".cache-master");
    }

    private static HostPort journalAddress(int ordinal) {
        return new HostPort("cache-master-" + ordinal + ".cache-master", 19200);
    }

    private static HaPlan planOfOneMaster() {
        return new HaPlan("test-engine", Map.of(), List.of(member(0)), List.of(journalAddress(0)), List.of());
    }

    @Test
    void aPlanKeepsPropertiesInTheOrderTheEngineListsThem() {
        // Given properties in the engine's file order, which is not alphabetical
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("z.first", "1");
        properties.put("a.second", "2");

        // When a plan is made
        HaPlan plan = new HaPlan("test-engine", properties, List.of(), List.of(), List.of());

        // Then the order is kept
        assertThat(plan.properties().keySet()).containsExactly("z.first", "a.second");
    }

    @Test
    void aPlanNeedsOneJournalAddressPerMember() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HaPlan("test-engine", Map.of(), List.of(member(0), member(1)),
                        List.of(journalAddress(0)), List.of()))
                .withMessage("one journal address per member: 2 members, 1 addresses");
    }

    @Test
    void aPlanKeepsItsOwnCopiesOfEveryCollection() {
        // Given collections the provider goes on changing after making the plan
        Map<String, String> properties = new LinkedHashMap<>(Map.of("k", "v"));
        List<Member> members = new ArrayList<>(List.of(member(0)));
        List<HostPort> addresses = new ArrayList<>(List.of(journalAddress(0)));
        List<HasMetadata> objects = new ArrayList<>(List.of(new ConfigMapBuilder().withNewMetadata()
                .withName("cache-master").endMetadata().build()));
        HaPlan plan = new HaPlan("test-engine", properties, members, addresses, objects);

        properties.clear();
        members.add(member(1));
        addresses.add(journalAddress(1));
        objects.clear();

        // Then the plan is unchanged, and its own collections refuse changes
        assertThat(plan.properties()).containsOnlyKeys("k");
        assertThat(plan.members()).containsExactly(member(0));
        assertThat(plan.journalAddresses()).containsExactly(journalAddress(0));
        assertThat(plan.objects()).hasSize(1);
        assertThatThrownBy(() -> plan.members().add(member(2))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void objectFindsTheFirstObjectOfAKind() {
        Service service = new ServiceBuilder().withNewMetadata().withName("cache-master").endMetadata().build();
        ConfigMap first = new ConfigMapBuilder().withNewMetadata().withName("first").endMetadata().build();
        ConfigMap second = new ConfigMapBuilder().withNewMetadata().withName("second").endMetadata().build();
        HaPlan plan = new HaPlan("test-engine", Map.of(), List.of(), List.of(), List.of(service, first, second));

        assertThat(plan.object(ConfigMap.class)).containsSame(first);
        assertThat(plan.object(Service.class)).containsSame(service);
        assertThat(plan.object(PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void aReplicaChangePlanKeepsItsOwnCopyOfItsSteps() {
        // Given steps, one rolling members from a list the provider keeps, one running a command
        List<Member> toRoll = new ArrayList<>(List.of(member(0)));
        List<String> argv = new ArrayList<>(List.of("journal", "quorum", "info"));
        List<Step> steps = new ArrayList<>(List.of(
                new Step.Apply(planOfOneMaster(), true, "add the new masters"),
                new Step.AwaitQuorum(3, "the new masters join"),
                new Step.RollMembers(toRoll, "pick up the new member list"),
                new Step.ExecOnLeader("master", argv, "check the quorum")));
        ReplicaChangePlan change = new ReplicaChangePlan(3, 1, planOfOneMaster(), steps);

        // When the provider changes its lists afterwards
        steps.clear();
        toRoll.add(member(1));
        argv.clear();

        // Then the plan is unchanged
        assertThat(change.steps()).hasSize(4).extracting(Step::description).containsExactly(
                "add the new masters", "the new masters join", "pick up the new member list", "check the quorum");
        assertThat(((Step.RollMembers) change.steps().get(2)).members()).containsExactly(member(0));
        assertThat(((Step.ExecOnLeader) change.steps().get(3)).argv())
                .containsExactly("journal", "quorum", "info");
        assertThatThrownBy(() -> change.steps().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aReplicaChangePlanWhoseTargetHasAnotherSizeIsRefused() {
        assertThatThrownBy(() -> new ReplicaChangePlan(1, 3, planOfOneMaster(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the target plan has 1 members, but the change goes to 3");
    }

    @Test
    void aReplicaChangePlanNeedsATarget() {
        assertThatThrownBy(() -> new ReplicaChangePlan(1, 3, null, List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("target");
    }

    @Test
    void aCleanupPlanKeepsItsOwnCopiesOfWhatToDeleteAndWhatToKeep() {
        PersistentVolumeClaim ours = claim("journal-cache-master-0");
        PersistentVolumeClaim theirs = claim("journal-cache-master-master-0");
        List<PersistentVolumeClaim> delete = new ArrayList<>(List.of(ours));
        List<CleanupPlan.Kept> kept = new ArrayList<>(List.of(new CleanupPlan.Kept(theirs, "owned by cache-master")));
        CleanupPlan plan = new CleanupPlan(delete, kept);

        delete.clear();
        kept.clear();

        assertThat(plan.delete()).containsExactly(ours);
        assertThat(plan.kept()).extracting(CleanupPlan.Kept::reason).containsExactly("owned by cache-master");
        assertThatThrownBy(() -> plan.delete().add(theirs)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aKeptClaimNeedsAReason() {
        assertThatThrownBy(() -> new CleanupPlan.Kept(claim("journal-other-0"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("reason");
    }

    private static PersistentVolumeClaim claim(String name) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("fluid")
                .endMetadata().build();
    }
}
