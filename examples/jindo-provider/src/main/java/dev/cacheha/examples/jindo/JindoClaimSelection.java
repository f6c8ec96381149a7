package dev.cacheha.examples.jindo;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Picks the journal claims a Jindo runtime owns. A claim is the runtime's only if all three hold: it is in
 * the runtime's namespace, it carries the runtime's master labels, and its name is exactly one the
 * StatefulSet makes for an ordinal below {@link HaSpec#MAX_REPLICAS} (claims above the current size are left
 * from a scale-down and are still this runtime's). Names alone are not enough ({@code meta-a-jindofs-master-0} of
 * runtime {@code a} and {@code meta-a-jindofs-master-jindofs-master-0} of runtime {@code a-jindofs-master}
 * share a prefix), and neither are labels alone (anyone can copy labels).
 */
final class JindoClaimSelection {

    private JindoClaimSelection() {}

    static CleanupPlan select(JindoMasters masters, List<PersistentVolumeClaim> existingClaims) {
        Set<String> ownedNames = masters.spec().journal() instanceof JournalStorage.PersistentVolume
                ? IntStream.range(0, HaSpec.MAX_REPLICAS).mapToObj(masters::claim).collect(Collectors.toSet())
                : Set.of();
        List<PersistentVolumeClaim> delete = new ArrayList<>();
        List<CleanupPlan.Kept> kept = new ArrayList<>();
        for (PersistentVolumeClaim claim : existingClaims) {
            reasonToKeep(masters, ownedNames, claim).ifPresentOrElse(
                    reason -> kept.add(new CleanupPlan.Kept(claim, reason)),
                    () -> delete.add(claim));
        }
        return new CleanupPlan(delete, kept);
    }

    private static Optional<String> reasonToKeep(JindoMasters masters, Set<String> ownedNames,
            PersistentVolumeClaim claim) {
        String namespace = masters.spec().namespace();
        String claimNamespace = claim.getMetadata().getNamespace();
        if (!namespace.equals(claimNamespace)) {
            return Optional.of("in namespace " + claimNamespace + ", not " + namespace);
        }
        if (ownedNames.isEmpty()) {
            return Optional.of("runtime " + masters.spec().name() + " keeps its journal in an emptyDir and owns no claims");
        }
        if (!ownedNames.contains(claim.getMetadata().getName())) {
            return Optional.of("not a claim StatefulSet " + masters.statefulSet() + " makes for ordinals 0 to "
                    + (HaSpec.MAX_REPLICAS - 1) + ", the largest quorum a spec allows");
        }
        Map<String, String> labels = Objects.requireNonNullElse(claim.getMetadata().getLabels(), Map.of());
        List<String> missing = masters.labels().entrySet().stream()
                .filter(label -> !label.getValue().equals(labels.get(label.getKey())))
                .map(label -> label.getKey() + "=" + label.getValue())
                .toList();
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of("named like runtime " + masters.spec().name() + "'s claim but lacks its labels " + missing);
    }
}
