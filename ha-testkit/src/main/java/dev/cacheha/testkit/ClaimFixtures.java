package dev.cacheha.testkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Journal claims as a StatefulSet makes them ({@code <template>-<statefulset>-<ordinal>}, carrying the
 * template's and the selector's labels), and claims that only look like a runtime's. Names are learned from
 * a provider's plan, never assumed, so the fixtures fit any engine.
 */
public final class ClaimFixtures {

    private ClaimFixtures() {}

    /**
     * Claims that are not the runtime's and that a careless cleanup would take, in groups.
     *
     * @param why what makes the group foreign, in words
     * @param claims the claims
     */
    public record ForeignClaims(String why, List<PersistentVolumeClaim> claims) {
        public ForeignClaims {
            requireNonNull(why, "why");
            claims = List.copyOf(claims);
        }
    }

    /** A claim {@code name} in {@code namespace} with {@code labels}. */
    public static PersistentVolumeClaim claim(String namespace, String name, Map<String, String> labels) {
        return claim(namespace, name, labels, Map.of());
    }

    /** A claim in {@code namespace} named {@code name} with {@code labels} and {@code annotations}. */
    public static PersistentVolumeClaim claim(String namespace, String name, Map<String, String> labels,
            Map<String, String> annotations) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(new TreeMap<>(labels))
                .withAnnotations(new TreeMap<>(annotations))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .endSpec()
                .build();
    }

    /** The StatefulSet of {@code plan}; every plan the kit checks has one. */
    public static StatefulSet statefulSet(HaPlan plan) {
        return plan.object(StatefulSet.class).orElseThrow(
                () -> new AssertionError("the " + plan.engine() + " plan has no StatefulSet: " + plan.objects()));
    }

    /** Every claim the StatefulSet of {@code plan} makes, template by template, ordinal by ordinal. */
    public static List<PersistentVolumeClaim> claimsOf(HaPlan plan) {
        return claimsOf(plan, 0, plan.members().size());
    }

    /**
     * The claims a larger StatefulSet of the same runtime made and a scale-down left behind
     * ({@code whenScaled: Retain}): ordinals from the current size up to {@link HaSpec#MAX_REPLICAS}. They are
     * still the runtime's and go with it.
     */
    public static List<PersistentVolumeClaim> leftoverClaimsOf(HaPlan plan) {
        return claimsOf(plan, plan.members().size(), HaSpec.MAX_REPLICAS);
    }

    private static List<PersistentVolumeClaim> claimsOf(HaPlan plan, int fromOrdinal, int toOrdinal) {
        StatefulSet statefulSet = statefulSet(plan);
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : templates(statefulSet)) {
            for (int ordinal = fromOrdinal; ordinal < toOrdinal; ordinal++) {
                claims.add(claim(namespace(statefulSet), claimName(template, statefulSet, Integer.toString(ordinal)),
                        claimLabels(statefulSet, template), claimAnnotations(template)));
            }
        }
        return claims;
    }

    /**
     * Foreign claims around the runtime of {@code owner}: the same claims in another namespace or with
     * other labels, claims with ordinals the StatefulSet never made, look-alike names, and the claims of
     * the runtimes in {@code lookAlikes} (see {@link #lookAlikeNames}).
     */
    public static List<ForeignClaims> foreignClaims(HaPlan owner, List<HaPlan> lookAlikes) {
        StatefulSet statefulSet = statefulSet(owner);
        String namespace = namespace(statefulSet);
        List<PersistentVolumeClaim> owned = claimsOf(owner);
        List<ForeignClaims> groups = new ArrayList<>();
        groups.add(new ForeignClaims("the same claims in another namespace",
                rewrite(owned, claim -> claim.editMetadata().withNamespace(namespace + "-other").endMetadata())));
        groups.add(new ForeignClaims("the same names with another runtime's instance label",
                withLabels(owned, Map.of(RuntimeLabels.INSTANCE, "someone-else"))));
        groups.add(new ForeignClaims("the same names with another engine's name label",
                withLabels(owned, Map.of(RuntimeLabels.NAME, "another-engine"))));
        groups.add(new ForeignClaims("the same names without labels",
                rewrite(owned, claim -> claim.editMetadata().withLabels(Map.of()).endMetadata())));
        groups.add(new ForeignClaims("the same names with only the instance label",
                rewrite(owned, claim -> claim.editMetadata()
                        .withLabels(Map.of(RuntimeLabels.INSTANCE, runtimeName(statefulSet))).endMetadata())));

        List<PersistentVolumeClaim> lookAlikeNames = new ArrayList<>();
        List<PersistentVolumeClaim> outOfRange = new ArrayList<>();
        for (PersistentVolumeClaim template : templates(statefulSet)) {
            Map<String, String> labels = claimLabels(statefulSet, template);
            Map<String, String> annotations = claimAnnotations(template);
            String prefix = claimName(template, statefulSet, "");
            for (String ordinal : List.of(Integer.toString(HaSpec.MAX_REPLICAS),
                    Integer.toString(HaSpec.MAX_REPLICAS + 1), "99", "01", "00", "-1", "+1", "1 ")) {
                outOfRange.add(claim(namespace, prefix + ordinal, labels, annotations));
            }
            String templateName = template.getMetadata().getName();
            String statefulSetName = statefulSet.getMetadata().getName();
            for (String name : List.of(
                    templateName + "-" + statefulSetName,
                    prefix,
                    prefix + "0-backup",
                    prefix + "0x",
                    prefix + "x",
                    "x" + prefix + "0",
                    templateName + "x-" + statefulSetName + "-0",
                    templateName + "-" + statefulSetName + "x-0",
                    templateName + "-x" + statefulSetName + "-0")) {
                lookAlikeNames.add(claim(namespace, name, labels, annotations));
            }
        }
        groups.add(new ForeignClaims("ordinals the StatefulSet never made", outOfRange));
        groups.add(new ForeignClaims("names that only look like the StatefulSet's claims", lookAlikeNames));
        for (HaPlan lookAlike : lookAlikes) {
            groups.add(new ForeignClaims("the claims of runtime \"" + runtimeName(statefulSet(lookAlike))
                    + "\", whose names start like this runtime's", claimsOf(lookAlike)));
        }
        return groups;
    }

    /**
     * Claims a careless cleanup trips over, around the runtime of {@code owner}: no metadata, no name, no
     * namespace, no labels and no annotations, and ordinals that are no {@code int} or no decimal
     * ({@code 2147483648}, twenty nines, {@code abc}, {@code 1e3}, an Arabic-Indic three that
     * {@link Character#isDigit} accepts). None of them is the runtime's; each is kept.
     */
    public static List<PersistentVolumeClaim> oddClaims(HaPlan owner) {
        StatefulSet statefulSet = statefulSet(owner);
        String namespace = namespace(statefulSet);
        List<PersistentVolumeClaim> odd = new ArrayList<>();
        odd.add(new PersistentVolumeClaim());
        odd.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(namespace).endMetadata().build());
        for (PersistentVolumeClaim template : templates(statefulSet)) {
            Map<String, String> labels = claimLabels(statefulSet, template);
            Map<String, String> annotations = claimAnnotations(template);
            String first = claimName(template, statefulSet, "0");
            odd.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(first).withLabels(labels)
                    .withAnnotations(annotations).endMetadata().build());
            odd.add(new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace(namespace).withName(first)
                    .withLabels(null).withAnnotations(null).endMetadata().build());
            for (String ordinal : List.of("2147483648", "9".repeat(20), "abc", "1e3", "\u0663")) {
                odd.add(claim(namespace, claimName(template, statefulSet, ordinal), labels, annotations));
            }
        }
        return odd;
    }

    /**
     * Claims named and labelled as the runtime's own that were not made from its claim template, or that an
     * operator asked to keep: without annotations, without {@link RuntimeLabels#DELETE_CLAIM}, and with it
     * set to {@code "false"}. Each is kept.
     */
    public static List<PersistentVolumeClaim> claimsWithoutDeleteMark(HaPlan owner) {
        StatefulSet statefulSet = statefulSet(owner);
        List<PersistentVolumeClaim> unmarked = new ArrayList<>();
        for (PersistentVolumeClaim template : templates(statefulSet)) {
            Map<String, String> labels = claimLabels(statefulSet, template);
            String namespace = namespace(statefulSet);
            unmarked.add(new PersistentVolumeClaimBuilder(
                    claim(namespace, claimName(template, statefulSet, "0"), labels))
                    .editMetadata().withAnnotations(null).endMetadata().build());
            unmarked.add(claim(namespace, claimName(template, statefulSet, "1"), labels,
                    Map.of("cache-ha.testkit/other", "true")));
            unmarked.add(claim(namespace, claimName(template, statefulSet, "2"), labels,
                    Map.of(RuntimeLabels.DELETE_CLAIM, "false")));
        }
        return unmarked;
    }

    /**
     * Runtime names whose claims start like the claims of runtime {@code name} (planned as {@code owner}):
     * the StatefulSet's own name, and the name with common suffixes. Plan each with the same provider and
     * pass the plans to {@link #foreignClaims}.
     */
    public static List<String> lookAlikeNames(HaPlan owner, String name) {
        TreeSet<String> names = new TreeSet<>(List.of(
                statefulSet(owner).getMetadata().getName(), name + "-master", name + "-master-x", name + "-0",
                name + "x"));
        names.remove(name);
        return List.copyOf(names);
    }

    private static List<PersistentVolumeClaim> templates(StatefulSet statefulSet) {
        return Optional.ofNullable(statefulSet.getSpec().getVolumeClaimTemplates()).orElse(List.of());
    }

    private static String claimName(PersistentVolumeClaim template, StatefulSet statefulSet, String ordinal) {
        return template.getMetadata().getName() + "-" + statefulSet.getMetadata().getName() + "-" + ordinal;
    }

    private static String namespace(StatefulSet statefulSet) {
        return statefulSet.getMetadata().getNamespace();
    }

    private static String runtimeName(StatefulSet statefulSet) {
        return Optional.ofNullable(statefulSet.getMetadata().getLabels())
                .map(labels -> labels.get(RuntimeLabels.INSTANCE))
                .orElse("");
    }

    /** Kubernetes gives a StatefulSet's claims the template's labels and the StatefulSet selector's labels. */
    private static Map<String, String> claimLabels(StatefulSet statefulSet, PersistentVolumeClaim template) {
        Map<String, String> labels = new TreeMap<>();
        Optional.ofNullable(template.getMetadata()).map(ObjectMeta::getLabels).ifPresent(labels::putAll);
        Optional.ofNullable(statefulSet.getSpec().getSelector())
                .map(selector -> selector.getMatchLabels())
                .ifPresent(labels::putAll);
        return labels;
    }

    /** Kubernetes copies the claim template's annotations, such as the retention annotation, to every claim. */
    private static Map<String, String> claimAnnotations(PersistentVolumeClaim template) {
        return Optional.ofNullable(template.getMetadata())
                .map(ObjectMeta::getAnnotations)
                .<Map<String, String>>map(TreeMap::new)
                .orElse(Map.of());
    }

    private static List<PersistentVolumeClaim> withLabels(List<PersistentVolumeClaim> claims,
            Map<String, String> changed) {
        return rewrite(claims, claim -> {
            Map<String, String> labels = new TreeMap<>(claim.buildMetadata().getLabels());
            labels.putAll(changed);
            return claim.editMetadata().withLabels(labels).endMetadata();
        });
    }

    private static List<PersistentVolumeClaim> rewrite(List<PersistentVolumeClaim> claims,
            UnaryOperator<PersistentVolumeClaimBuilder> change) {
        return claims.stream().map(claim -> change.apply(new PersistentVolumeClaimBuilder(claim)).build()).toList();
    }
}
