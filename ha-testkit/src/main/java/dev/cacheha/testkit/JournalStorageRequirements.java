package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where the journal lives: claims of the asked size and class, or memory; and claims go with the runtime. */
public abstract class JournalStorageRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected JournalStorageRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("gives a persistent journal claims of the asked size in storage class standard unless told otherwise")
    void givesAPersistentJournalClaimsInStorageClassStandardUnlessToldOtherwise() {
        List<PersistentVolumeClaim> standard = templates(provider().plan(spec(JournalStorage.persistentVolume("5Gi"))));
        List<PersistentVolumeClaim> fast = templates(provider().plan(
                spec(JournalStorage.persistentVolume("5Gi").withStorageClass("fast-ssd"))));

        assertThat(standard).as("claim templates").isNotEmpty().allSatisfy(template -> {
            assertThat(template.getSpec().getStorageClassName()).isEqualTo(JournalStorage.DEFAULT_STORAGE_CLASS);
            assertThat(bytes(template.getSpec().getResources().getRequests().get("storage")))
                    .isEqualTo(bytes(new Quantity("5Gi")));
        });
        assertThat(fast).as("claim templates with a storage class").isNotEmpty()
                .allSatisfy(template -> assertThat(template.getSpec().getStorageClassName()).isEqualTo("fast-ssd"));
    }

    @Test
    @DisplayName("deletes the journal claims with the runtime: retention whenDeleted Delete, and the claims say so")
    void deletesTheJournalClaimsWithTheRuntime() {
        HaPlan plan = provider().plan(spec(JournalStorage.persistentVolume("5Gi")));
        StatefulSet statefulSet = ClaimFixtures.statefulSet(plan);

        // Both must hold: Kubernetes deletes by the policy, cleanup and operators go by the annotation; if they
        // disagree, a deleted runtime leaves journals behind, or a claim says it goes when it stays.
        assertThat(Optional.ofNullable(statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy())
                .map(StatefulSetPersistentVolumeClaimRetentionPolicy::getWhenDeleted))
                .as("persistentVolumeClaimRetentionPolicy.whenDeleted of %s", PlanObjects.describe(statefulSet))
                .contains("Delete");
        assertThat(templates(plan)).as("claim templates").isNotEmpty().allSatisfy(template ->
                assertThat(Optional.ofNullable(template.getMetadata().getAnnotations()).orElse(Map.of()))
                        .as("annotations of claim template %s", template.getMetadata().getName())
                        .containsEntry(RuntimeLabels.DELETE_CLAIM, "true"));
    }

    @Test
    @DisplayName("keeps a memory journal in an emptyDir of medium Memory and makes no claims")
    void keepsAMemoryJournalInAnEmptyDirOfMediumMemoryAndMakesNoClaims() {
        HaPlan plan = provider().plan(spec(JournalStorage.memory("2Gi")));

        assertThat(templates(plan)).as("claim templates").isEmpty();
        assertThat(PlanObjects.podSpec(plan).getVolumes()).as("pod volumes")
                .anySatisfy(volume -> {
                    assertThat(volume.getEmptyDir()).isNotNull();
                    assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");
                    assertThat(bytes(volume.getEmptyDir().getSizeLimit())).isEqualTo(bytes(new Quantity("2Gi")));
                });
    }

    private static List<PersistentVolumeClaim> templates(HaPlan plan) {
        return Optional.ofNullable(ClaimFixtures.statefulSet(plan).getSpec().getVolumeClaimTemplates())
                .orElse(List.of());
    }

    private static Object bytes(Quantity quantity) {
        return quantity == null ? null : Quantity.getAmountInBytes(quantity).stripTrailingZeros();
    }
}
