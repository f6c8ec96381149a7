package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimTemplateChangesTest {

    @Test
    void aSizeTheServerStoresInAnotherUnitIsNoChange() {
        // Given a running StatefulSet whose claim template the server stored as 1Gi, and a plan asking 1024Mi
        StatefulSet live = withJournalClaim("1Gi", "ReadWriteOnce");
        StatefulSet desired = withJournalClaim("1024Mi", "ReadWriteOnce");

        // When they are compared, then nothing is refused
        assertThat(ClaimTemplateChanges.refused(live, desired)).isEmpty();
    }

    @Test
    void fieldsTheServerAddsToATemplateAreNoChange() {
        // Given a running claim template with the volume mode the API server fills in
        StatefulSet live = withJournalClaim("1Gi", "ReadWriteOnce");
        live.getSpec().getVolumeClaimTemplates().get(0).getSpec().setVolumeMode("Filesystem");

        // When it is compared with the plan's template, which sets no volume mode, then nothing is refused
        assertThat(ClaimTemplateChanges.refused(live, withJournalClaim("1Gi", "ReadWriteOnce"))).isEmpty();
    }

    @Test
    void everyChangedFieldIsOneViolationOnTheJournal() {
        // Given a plan that changes both the size and the access modes of the running template
        StatefulSet live = withJournalClaim("1Gi", "ReadWriteOnce");
        StatefulSet desired = withJournalClaim("5Gi", "ReadWriteMany");

        // When they are compared, then each change is its own violation on the journal field
        assertThat(ClaimTemplateChanges.refused(live, desired))
                .extracting(violation -> violation.field() + ": " + violation.rule().split(" cannot ")[0])
                .containsExactly("journal: accessModes [ReadWriteOnce] -> [ReadWriteMany]", "journal: size 1Gi -> 5Gi");
    }

    private static StatefulSet withJournalClaim(String size, String accessMode) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName("demo-master").endMetadata()
                .withNewSpec()
                .addNewVolumeClaimTemplate()
                .withNewMetadata().withName("journal").endMetadata()
                .withNewSpec().withStorageClassName("standard").withAccessModes(List.of(accessMode))
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build();
    }
}
