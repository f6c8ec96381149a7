package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Choosing the claims to delete with a runtime: every claim its StatefulSet made and marked for deletion,
 * not one claim of anybody else, and no exception whatever the namespace holds.
 */
public abstract class CleanupRequirements extends ProviderRequirements {

    private final HaSpec owner = spec(JournalStorage.persistentVolume("10Gi"));

    /** A group that checks {@code subject}. */
    protected CleanupRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("selects every claim the runtime's StatefulSet made")
    void selectsEveryClaimTheRuntimesStatefulSetMade() {
        List<PersistentVolumeClaim> owned = ClaimFixtures.claimsOf(provider().plan(owner));

        CleanupPlan cleanup = provider().cleanup(owner, everyForeignClaimThen(owned));

        assertThat(owned).isNotEmpty();
        assertThat(cleanup.delete()).containsAll(owned);
    }

    @Test
    @DisplayName("selects the claims a scale-down left behind, up to the largest quorum a spec allows")
    void selectsTheClaimsAScaleDownLeftBehind() {
        HaPlan plan = provider().plan(owner);
        List<PersistentVolumeClaim> leftovers = ClaimFixtures.leftoverClaimsOf(plan);

        CleanupPlan cleanup = provider().cleanup(owner, everyForeignClaimThen(leftovers));

        assertThat(leftovers).isNotEmpty();
        assertThat(cleanup.delete()).containsAll(leftovers);
    }

    @Test
    @DisplayName("selects not one claim of another runtime, namespace or look-alike name")
    void selectsNotOneForeignClaim() {
        List<PersistentVolumeClaim> owned = ClaimFixtures.claimsOf(provider().plan(owner));
        SoftAssertions softly = new SoftAssertions();

        for (ClaimFixtures.ForeignClaims group : foreign()) {
            List<PersistentVolumeClaim> offered = new ArrayList<>(group.claims());
            offered.addAll(owned);

            CleanupPlan cleanup = provider().cleanup(owner, offered);

            softly.assertThat(cleanup.delete()).as("claims selected among %s", group.why())
                    .filteredOn(group.claims()::contains)
                    .extracting(claim -> claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName())
                    .isEmpty();
        }
        softly.assertAll();
    }

    @Test
    @DisplayName("accounts for every claim offered, keeping each other claim with a reason")
    void keepsEveryOtherClaimWithAReason() {
        List<PersistentVolumeClaim> offered = everyForeignClaimThen(ClaimFixtures.claimsOf(provider().plan(owner)));

        CleanupPlan cleanup = provider().cleanup(owner, offered);

        List<PersistentVolumeClaim> accounted = new ArrayList<>(cleanup.delete());
        cleanup.kept().forEach(kept -> accounted.add(kept.claim()));
        assertThat(accounted).containsExactlyInAnyOrderElementsOf(offered);
        assertThat(cleanup.kept()).allSatisfy(kept -> assertThat(kept.reason()).isNotBlank());
    }

    @Test
    @DisplayName("never throws on odd claims (no metadata, labels or annotations; huge or non-decimal ordinals)"
            + " and keeps each")
    void neverThrowsOnOddClaimsAndKeepsEach() {
        HaPlan plan = provider().plan(owner);
        List<PersistentVolumeClaim> odd = ClaimFixtures.oddClaims(plan);
        List<PersistentVolumeClaim> offered = new ArrayList<>(odd);
        offered.addAll(ClaimFixtures.claimsOf(plan));

        CleanupPlan cleanup = provider().cleanup(owner, offered);

        assertThat(cleanup.delete()).as("claims selected")
                .containsExactlyInAnyOrderElementsOf(ClaimFixtures.claimsOf(plan));
        assertThat(cleanup.kept()).as("claims kept").extracting(CleanupPlan.Kept::claim)
                .containsExactlyInAnyOrderElementsOf(odd);
    }

    @Test
    @DisplayName("keeps the runtime's claims that lack the delete-claim annotation or set it otherwise")
    void keepsTheRuntimesClaimsThatLackTheDeleteClaimAnnotation() {
        HaPlan plan = provider().plan(owner);
        List<PersistentVolumeClaim> unmarked = ClaimFixtures.claimsWithoutDeleteMark(plan);
        List<PersistentVolumeClaim> leftovers = ClaimFixtures.leftoverClaimsOf(plan);
        List<PersistentVolumeClaim> offered = new ArrayList<>(unmarked);
        offered.addAll(leftovers);

        CleanupPlan cleanup = provider().cleanup(owner, offered);

        // The annotation is the claim's own statement that it goes with the runtime: an operator who changed
        // it, or a claim made by hand under the runtime's name, keeps its journal.
        assertThat(cleanup.delete()).as("claims selected").containsExactlyInAnyOrderElementsOf(leftovers);
        assertThat(cleanup.kept()).as("claims kept").extracting(CleanupPlan.Kept::claim)
                .containsExactlyInAnyOrderElementsOf(unmarked);
    }

    private List<ClaimFixtures.ForeignClaims> foreign() {
        HaPlan plan = provider().plan(owner);
        List<HaPlan> lookAlikes = ClaimFixtures.lookAlikeNames(plan, NAME).stream()
                .map(name -> provider().plan(subject().validSpec(name, NAMESPACE).journal(owner.journal()).build()))
                .toList();
        return ClaimFixtures.foreignClaims(plan, lookAlikes);
    }

    /** Every foreign claim of every group, then {@code owned}: the claims of a crowded namespace. */
    private List<PersistentVolumeClaim> everyForeignClaimThen(List<PersistentVolumeClaim> owned) {
        List<PersistentVolumeClaim> offered = new ArrayList<>();
        foreign().forEach(group -> offered.addAll(group.claims()));
        offered.addAll(owned);
        return offered;
    }
}
