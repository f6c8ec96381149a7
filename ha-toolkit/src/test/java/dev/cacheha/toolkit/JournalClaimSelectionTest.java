package dev.cacheha.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalClaimSelectionTest {

    private static final HaSpec SPEC = HaSpec.builder("geese", "farm").build();
    private static final QuorumNames NAMES = GooseEngine.names(SPEC);

    private static PersistentVolumeClaim claim(String name, Map<String, String> labels, String deleteClaim) {
        PersistentVolumeClaimBuilder claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name)
                .withNamespace("farm").withLabels(labels).endMetadata();
        if (deleteClaim != null) {
            claim.editMetadata().addToAnnotations(RuntimeLabels.DELETE_CLAIM, deleteClaim).endMetadata();
        }
        return claim.build();
    }

    private static CleanupPlan select(PersistentVolumeClaim... claims) {
        return JournalClaimSelection.select(NAMES, "journal", new ArrayList<>(Arrays.asList(claims)));
    }

    @Test
    void theRuntimesAnnotatedClaimsAreSelectedByOrdinalIncludingOnesLeftByAScaleDown() {
        CleanupPlan plan = select(claim("journal-geese-goose-5", NAMES.labels(), "true"),
                claim("journal-geese-goose-0", NAMES.labels(), "true"));

        assertThat(plan.delete()).extracting(c -> c.getMetadata().getName())
                .containsExactly("journal-geese-goose-0", "journal-geese-goose-5");
        assertThat(plan.kept()).isEmpty();
    }

    @Test
    void aClaimWhoseAnnotationIsMissingOrNotTrueIsKept() {
        CleanupPlan plan = select(claim("journal-geese-goose-0", NAMES.labels(), "false"),
                claim("journal-geese-goose-1", NAMES.labels(), null));

        assertThat(plan.delete()).isEmpty();
        assertThat(plan.kept()).extracting(CleanupPlan.Kept::reason).satisfiesExactly(
                reason -> assertThat(reason).contains("someone asked to keep this journal"),
                reason -> assertThat(reason).contains("lacks the annotation"));
    }

    @Test
    void oddClaimsAreKeptWithAReasonAndNeverThrow() {
        PersistentVolumeClaim noMetadata = new PersistentVolumeClaim();
        PersistentVolumeClaim noLabels = claim("journal-geese-goose-0", null, "true");
        PersistentVolumeClaim hugeOrdinal = claim("journal-geese-goose-99999999999999999999", NAMES.labels(), "true");
        PersistentVolumeClaim leadingZero = claim("journal-geese-goose-01", NAMES.labels(), "true");
        PersistentVolumeClaim beyondLargestQuorum = claim("journal-geese-goose-7", NAMES.labels(), "true");
        PersistentVolumeClaim noNamespace = new PersistentVolumeClaim();
        noNamespace.setMetadata(new ObjectMeta());
        noNamespace.getMetadata().setName("journal-geese-goose-0");
        PersistentVolumeClaim lookAlike = claim("journal-geese-goose-goose-0", NAMES.labels(), "true");

        CleanupPlan plan = select(noMetadata, noLabels, hugeOrdinal, leadingZero, beyondLargestQuorum, noNamespace,
                lookAlike, null);

        assertThat(plan.delete()).isEmpty();
        assertThat(plan.kept()).hasSize(7).allSatisfy(kept -> assertThat(kept.reason()).isNotBlank());
    }

    @Test
    void aClaimOfAnotherRuntimeWithTheSameNameShapeIsKeptForItsLabels() {
        CleanupPlan plan = select(claim("journal-geese-goose-0",
                RuntimeLabels.masters("goose", "other"), "true"));

        assertThat(plan.delete()).isEmpty();
        assertThat(plan.kept()).singleElement().satisfies(kept ->
                assertThat(kept.reason()).contains("label app.kubernetes.io/instance is \"other\""));
    }

    @Test
    void nothingOfferedIsLost() {
        List<PersistentVolumeClaim> offered = List.of(claim("journal-geese-goose-0", NAMES.labels(), "true"),
                claim("data-0", Map.of(), null));

        CleanupPlan plan = JournalClaimSelection.select(NAMES, "journal", offered);

        assertThat(plan.delete().size() + plan.kept().size()).isEqualTo(offered.size());
    }
}
