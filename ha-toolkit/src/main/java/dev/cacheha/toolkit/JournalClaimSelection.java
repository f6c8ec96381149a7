package dev.cacheha.toolkit;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Printable;
import dev.cacheha.spi.RuntimeLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which journal claims a runtime owns, by the SPI's rules, so that deleting runtime {@code a} deletes
 * {@code a}'s journals and nothing else. It never throws for an odd claim (no metadata, no labels, a huge
 * ordinal): every claim offered is either selected or kept with its reason; {@code null} entries are skipped.
 *
 * <p>A claim is the runtime's only if all of these hold:
 * <ol>
 *   <li>it is in the runtime's namespace;</li>
 *   <li>its name is exactly {@code <volume>-<statefulset>-<ordinal>}, the name the StatefulSet gives the
 *       claim of pod {@code <ordinal>}, with the ordinal a plain decimal ({@code 0} or no leading zero). So a
 *       claim of runtime {@code a-master} ({@code journal-a-master-master-0} when the StatefulSet suffix is
 *       {@code -master}) or of a StatefulSet {@code a-master-x-master} ({@code journal-a-master-x-master-0})
 *       has a suffix that is not an ordinal and is never runtime {@code a}'s;</li>
 *   <li>it carries every master label of the runtime, so its instance label names this runtime;</li>
 *   <li>it carries {@link RuntimeLabels#DELETE_CLAIM}{@code ="true"}, which the claim template puts on every
 *       claim it makes; an operator who sets it to anything else keeps that journal.</li>
 * </ol>
 *
 * <p>Ordinals at or above the current replica count, up to the largest quorum any spec allows
 * ({@link HaSpec#MAX_REPLICAS}), are the runtime's too: a scale-down keeps the claims of the removed members
 * ({@code whenScaled: Retain}), and nobody else creates claims with this name and these labels. An ordinal
 * beyond that no StatefulSet of this runtime ever made. Kubernetes itself deletes them with the StatefulSet
 * ({@code whenDeleted: Delete} covers every claim the set made), and so does this cleanup, for controllers that
 * delete claims themselves.
 */
public final class JournalClaimSelection {

    /** A StatefulSet ordinal as Kubernetes writes it; nine digits at most keeps it an {@code int}. */
    private static final Pattern ORDINAL = Pattern.compile("0|[1-9][0-9]{0,8}");
    /** Enough of a foreign name or label to recognise it in a reason. */
    private static final int MAX_SHOWN = 100;

    private final HaSpec spec;
    private final QuorumNames names;
    private final String claimPrefix;

    private JournalClaimSelection(QuorumNames names, String journalVolume) {
        this.spec = names.spec();
        this.names = names;
        this.claimPrefix = names.claimPrefix(journalVolume);
    }

    /**
     * Splits {@code claims} into those the runtime of {@code names} owns, by ordinal, and the rest, each with its
     * reason.
     *
     * @param names the runtime's names
     * @param journalVolume the name of the StatefulSet's journal claim template
     * @param claims typically every claim in the runtime's namespace
     */
    public static CleanupPlan select(QuorumNames names, String journalVolume, List<PersistentVolumeClaim> claims) {
        return new JournalClaimSelection(names, journalVolume).split(claims);
    }

    private CleanupPlan split(List<PersistentVolumeClaim> claims) {
        List<PersistentVolumeClaim> owned = new ArrayList<>();
        List<CleanupPlan.Kept> kept = new ArrayList<>();
        for (PersistentVolumeClaim claim : claims) {
            if (claim == null) {
                continue;
            }
            Optional<String> notOwned = whyNotOwned(claim);
            if (notOwned.isPresent()) {
                kept.add(new CleanupPlan.Kept(claim, notOwned.get()));
            } else {
                owned.add(claim);
            }
        }
        owned.sort(Comparator.comparingInt(this::ordinal));
        return new CleanupPlan(owned, kept);
    }

    private Optional<String> whyNotOwned(PersistentVolumeClaim claim) {
        ObjectMeta metadata = claim.getMetadata();
        if (metadata == null || metadata.getName() == null) {
            return Optional.of("it has no name, so no StatefulSet made it");
        }
        if (!spec.namespace().equals(metadata.getNamespace())) {
            return Optional.of("it is in namespace " + quote(metadata.getNamespace()) + ", not in "
                    + quote(spec.namespace()) + " where runtime " + quote(spec.name()) + " lives");
        }
        Optional<String> badName = whyNotOurName(metadata.getName());
        if (badName.isPresent()) {
            return badName;
        }
        Optional<String> badLabels = whyNotOurLabels(Objects.requireNonNullElse(metadata.getLabels(), Map.of()));
        if (badLabels.isPresent()) {
            return badLabels;
        }
        String deleteClaim = Objects.requireNonNullElse(metadata.getAnnotations(), Map.<String, String>of())
                .get(RuntimeLabels.DELETE_CLAIM);
        if (!"true".equals(deleteClaim)) {
            return Optional.of(deleteClaim == null
                    ? "it lacks the annotation " + RuntimeLabels.DELETE_CLAIM + "=\"true\" that this runtime's"
                            + " claim template puts on every claim, so it was not made from that template"
                    : "its annotation " + RuntimeLabels.DELETE_CLAIM + " is " + quote(deleteClaim)
                            + ", not \"true\": someone asked to keep this journal");
        }
        return Optional.empty();
    }

    private Optional<String> whyNotOurName(String name) {
        String expected = claimPrefix + "<ordinal>";
        if (!name.startsWith(claimPrefix)) {
            return Optional.of("its name is not " + expected + ", the name of this runtime's journal claims");
        }
        String suffix = name.substring(claimPrefix.length());
        if (!ORDINAL.matcher(suffix).matches()) {
            return Optional.of("its name has " + quote(suffix) + " where " + expected + " has an ordinal (0 or a"
                    + " decimal without leading zeros), so it belongs to another StatefulSet");
        }
        if (Integer.parseInt(suffix) >= HaSpec.MAX_REPLICAS) {
            return Optional.of("its ordinal " + suffix + " is beyond the largest quorum (" + HaSpec.MAX_REPLICAS
                    + " masters), so no StatefulSet of this runtime made it");
        }
        return Optional.empty();
    }

    private Optional<String> whyNotOurLabels(Map<String, String> labels) {
        List<String> mismatches = new ArrayList<>();
        names.labels().forEach((key, expected) -> {
            String actual = labels.get(key);
            if (actual == null) {
                mismatches.add("label " + key + " is missing");
            } else if (!actual.equals(expected)) {
                mismatches.add("label " + key + " is " + quote(actual) + ", not " + quote(expected));
            }
        });
        return mismatches.isEmpty()
                ? Optional.empty()
                : Optional.of(String.join("; ", mismatches) + ": it is not labelled as a master of runtime "
                        + quote(spec.name()));
    }

    private int ordinal(PersistentVolumeClaim ownedClaim) {
        return Integer.parseInt(ownedClaim.getMetadata().getName().substring(claimPrefix.length()));
    }

    private static String quote(String value) {
        return value == null ? "unset" : "\"" + Printable.excerpt(value, MAX_SHOWN) + "\"";
    }
}
