package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cleanup of runtime {@code a} (three masters, namespace {@code team}) against claim sets built to trick it:
 * look-alike names, other namespaces, forged or missing labels, odd ordinals.
 */
class AlluxioJournalClaimsTest {

    private static final String NAMESPACE = "team";
    private static final HaSpec RUNTIME_A = HaSpec.builder("a", NAMESPACE).replicas(3).build();

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    /** A claim exactly as runtime {@code a}'s StatefulSet makes it, for member {@code ordinal}. */
    private static PersistentVolumeClaim ownClaim(int ordinal) {
        return claim("journal-a-master-" + ordinal, UnaryOperator.identity());
    }

    /** A claim named {@code name} that looks like one of runtime {@code a}'s until {@code change} alters it. */
    private static PersistentVolumeClaim claim(String name, UnaryOperator<PersistentVolumeClaimBuilder> change) {
        PersistentVolumeClaimBuilder builder = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(new HashMap<>(RuntimeLabels.masters("alluxio", "a")))
                .addToAnnotations(RuntimeLabels.DELETE_CLAIM, "true")
                .endMetadata()
                .withNewSpec().withStorageClassName("standard").endSpec();
        return change.apply(builder).build();
    }

    private static UnaryOperator<PersistentVolumeClaimBuilder> label(String key, String value) {
        return builder -> builder.editMetadata().addToLabels(key, value).endMetadata();
    }

    private static UnaryOperator<PersistentVolumeClaimBuilder> withoutLabel(String key) {
        return builder -> builder.editMetadata().removeFromLabels(key).endMetadata();
    }

    private static UnaryOperator<PersistentVolumeClaimBuilder> namespace(String namespace) {
        return builder -> builder.editMetadata().withNamespace(namespace).endMetadata();
    }

    private static Arguments set(String what, List<PersistentVolumeClaim> claims, List<String> owned,
            String reasonOfTheOthers) {
        return Arguments.of(what, claims, owned, reasonOfTheOthers);
    }

    private static List<PersistentVolumeClaim> ownClaimsAnd(PersistentVolumeClaim... foreign) {
        List<PersistentVolumeClaim> claims = new ArrayList<>(List.of(ownClaim(0), ownClaim(1), ownClaim(2)));
        claims.addAll(List.of(foreign));
        return claims;
    }

    private static final List<String> OWN = List.of("journal-a-master-0", "journal-a-master-1", "journal-a-master-2");

    static Stream<Arguments> adversarialClaimSets() {
        return Stream.of(
                set("only its own claims", ownClaimsAnd(), OWN, ""),
                set("no claims at all", List.of(), List.of(), ""),
                set("a member claim of a longer StatefulSet a-master-x-master",
                        ownClaimsAnd(claim("journal-a-master-x-master-0", UnaryOperator.identity())),
                        OWN, "belongs to another StatefulSet"),
                set("the claims of runtime a-master, properly labelled",
                        ownClaimsAnd(claim("journal-a-master-master-0", label(RuntimeLabels.INSTANCE, "a-master")),
                                claim("journal-a-master-master-1", label(RuntimeLabels.INSTANCE, "a-master"))),
                        OWN, "belongs to another StatefulSet"),
                set("a claim of runtime a-master with runtime a's labels forged",
                        ownClaimsAnd(claim("journal-a-master-master-0", UnaryOperator.identity())),
                        OWN, "belongs to another StatefulSet"),
                set("runtime a's exact claim names in another namespace",
                        ownClaimsAnd(claim("journal-a-master-0", namespace("other")),
                                claim("journal-a-master-1", namespace("team-2"))),
                        OWN, "namespace"),
                set("a claim without a namespace",
                        ownClaimsAnd(claim("journal-a-master-1", namespace(null))), OWN, "namespace unset"),
                set("the right name with every label missing",
                        List.of(claim("journal-a-master-0", builder -> builder.editMetadata().withLabels(null)
                                .endMetadata())),
                        List.of(), "is missing"),
                set("the right name with another runtime's instance label",
                        List.of(claim("journal-a-master-0", label(RuntimeLabels.INSTANCE, "b"))),
                        List.of(), "app.kubernetes.io/instance is \"b\", not \"a\""),
                set("the right name without an instance label",
                        List.of(claim("journal-a-master-2", withoutLabel(RuntimeLabels.INSTANCE))),
                        List.of(), "app.kubernetes.io/instance is missing"),
                set("the right name labelled for another engine",
                        List.of(claim("journal-a-master-0", label(RuntimeLabels.NAME, "jindo"))),
                        List.of(), "app.kubernetes.io/name is \"jindo\""),
                set("the right name labelled as a worker",
                        List.of(claim("journal-a-master-0", label(RuntimeLabels.COMPONENT, "worker"))),
                        List.of(), "app.kubernetes.io/component is \"worker\""),
                set("the right name managed by someone else",
                        List.of(claim("journal-a-master-0", label(RuntimeLabels.MANAGED_BY, "helm"))),
                        List.of(), "app.kubernetes.io/managed-by is \"helm\""),
                set("ordinals with a leading zero",
                        ownClaimsAnd(claim("journal-a-master-01", UnaryOperator.identity()),
                                claim("journal-a-master-00", UnaryOperator.identity())),
                        OWN, "belongs to another StatefulSet"),
                set("an empty, a negative and a signed ordinal",
                        ownClaimsAnd(claim("journal-a-master-", UnaryOperator.identity()),
                                claim("journal-a-master--1", UnaryOperator.identity()),
                                claim("journal-a-master-+1", UnaryOperator.identity())),
                        OWN, "belongs to another StatefulSet"),
                set("ordinals with trailing text, non-ASCII digits or blanks",
                        ownClaimsAnd(claim("journal-a-master-1x", UnaryOperator.identity()),
                                claim("journal-a-master-\u0661", UnaryOperator.identity()),
                                claim("journal-a-master-0 ", UnaryOperator.identity())),
                        OWN, "belongs to another StatefulSet"),
                set("an ordinal too large for a StatefulSet",
                        ownClaimsAnd(claim("journal-a-master-99999999999", UnaryOperator.identity())),
                        OWN, "belongs to another StatefulSet"),
                set("ordinals beyond the largest quorum a spec allows",
                        ownClaimsAnd(claim("journal-a-master-7", UnaryOperator.identity()),
                                claim("journal-a-master-99", UnaryOperator.identity())),
                        OWN, "beyond the largest quorum"),
                set("another claim template of the same StatefulSet",
                        ownClaimsAnd(claim("data-a-master-0", UnaryOperator.identity()),
                                claim("cache-a-master-1", UnaryOperator.identity())),
                        OWN, "its name is not journal-a-master-<ordinal>"),
                set("runtimes whose names start or end like a",
                        ownClaimsAnd(claim("journal-aa-master-0", label(RuntimeLabels.INSTANCE, "aa")),
                                claim("journal-ba-master-0", label(RuntimeLabels.INSTANCE, "ba")),
                                claim("journal-a-0", UnaryOperator.identity())),
                        OWN, "its name is not journal-a-master-<ordinal>"),
                set("names that wrap runtime a's claim names",
                        ownClaimsAnd(claim("xjournal-a-master-0", UnaryOperator.identity()),
                                claim("JOURNAL-a-master-0", UnaryOperator.identity()),
                                claim("journal-a-master", UnaryOperator.identity())),
                        OWN, "its name is not journal-a-master-<ordinal>"),
                set("a look-alike without the delete annotation of the claim template",
                        List.of(claim("journal-a-master-0", builder -> builder.editMetadata().withAnnotations(null)
                                .endMetadata())),
                        List.of(), "lacks the annotation"),
                set("a claim an operator marked to keep",
                        ownClaimsAnd(claim("journal-a-master-4", builder -> builder.editMetadata()
                                .addToAnnotations(RuntimeLabels.DELETE_CLAIM, "false").endMetadata())),
                        OWN, "someone asked to keep this journal"),
                set("a claim without a name",
                        ownClaimsAnd(claim(null, UnaryOperator.identity())), OWN, "has no name"),
                set("claims of members removed by a scale-down, listed out of order",
                        List.of(ownClaim(6), ownClaim(2), ownClaim(4), ownClaim(0), ownClaim(1), ownClaim(3)),
                        List.of("journal-a-master-0", "journal-a-master-1", "journal-a-master-2",
                                "journal-a-master-3", "journal-a-master-4", "journal-a-master-6"),
                        ""),
                set("every kind of look-alike at once",
                        ownClaimsAnd(claim("journal-a-master-x-master-0", UnaryOperator.identity()),
                                claim("journal-a-master-master-0", label(RuntimeLabels.INSTANCE, "a-master")),
                                claim("journal-a-master-0", namespace("other")),
                                claim("journal-a-master-7", label(RuntimeLabels.INSTANCE, "b")),
                                claim("journal-a-master-007", UnaryOperator.identity()),
                                claim("journal-aa-master-0", UnaryOperator.identity())),
                        OWN, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversarialClaimSets")
    void cleanupSelectsExactlyTheRuntimesOwnClaims(String what, List<PersistentVolumeClaim> claims,
            List<String> expectedOwned, String reasonOfTheOthers) {
        // When runtime a's cleanup looks at the claim set
        CleanupPlan plan = provider.cleanup(RUNTIME_A, claims);

        // Then it selects exactly runtime a's claims, by ordinal, all in runtime a's namespace
        assertThat(plan.delete()).extracting(claim -> claim.getMetadata().getName())
                .containsExactlyElementsOf(expectedOwned);
        assertThat(plan.delete()).allSatisfy(claim ->
                assertThat(claim.getMetadata().getNamespace()).isEqualTo(NAMESPACE));
        // And keeps every other claim, each with a reason that says what is wrong with it
        assertThat(plan.kept()).hasSize(claims.size() - expectedOwned.size());
        assertThat(plan.kept()).allSatisfy(kept -> {
            assertThat(plan.delete()).doesNotContain(kept.claim());
            assertThat(kept.reason()).isNotBlank().contains(reasonOfTheOthers);
        });
    }

    @Test
    void runtimeAMasterTakesItsOwnClaimsAndNeverRuntimeAs() {
        // Given the claims of runtime a and runtime a-master side by side
        HaSpec runtimeAMaster = HaSpec.builder("a-master", NAMESPACE).build();
        PersistentVolumeClaim ofA = ownClaim(0);
        PersistentVolumeClaim ofAMaster = claim("journal-a-master-master-0", label(RuntimeLabels.INSTANCE, "a-master"));

        // When each runtime cleans up
        CleanupPlan forA = provider.cleanup(RUNTIME_A, List.of(ofA, ofAMaster));
        CleanupPlan forAMaster = provider.cleanup(runtimeAMaster, List.of(ofA, ofAMaster));

        // Then each takes only its own
        assertThat(forA.delete()).containsExactly(ofA);
        assertThat(forAMaster.delete()).containsExactly(ofAMaster);
        assertThat(forAMaster.kept()).singleElement().satisfies(kept -> {
            assertThat(kept.claim()).isEqualTo(ofA);
            assertThat(kept.reason()).contains("journal-a-master-master-<ordinal>");
        });
    }

    @Test
    void theClaimsTheStatefulSetMakesAreExactlyTheOnesCleanupSelects() {
        // Given the claims Kubernetes makes from the plan's claim template, one per member
        var template = provider.plan(RUNTIME_A).object(StatefulSet.class)
                .orElseThrow().getSpec().getVolumeClaimTemplates().get(0);
        List<PersistentVolumeClaim> made = AlluxioNames.of(RUNTIME_A).members().stream()
                .map(member -> new PersistentVolumeClaimBuilder(template)
                        .editMetadata()
                        .withName(template.getMetadata().getName() + "-" + member.podName())
                        .withNamespace(member.namespace())
                        .withLabels(Map.copyOf(template.getMetadata().getLabels()))
                        .endMetadata()
                        .build())
                .toList();

        // When runtime a cleans up
        CleanupPlan plan = provider.cleanup(RUNTIME_A, made);

        // Then every claim its StatefulSet made is selected
        assertThat(plan.delete()).containsExactlyElementsOf(made);
        assertThat(plan.kept()).isEmpty();
    }
}
