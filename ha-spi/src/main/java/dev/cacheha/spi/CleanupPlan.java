package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.List;

/**
 * Which journal claims to delete when a runtime goes away, and why every other claim stays.
 *
 * @param delete the claims this runtime owns
 * @param kept every other claim that was offered, each with the reason it is not this runtime's
 */
public record CleanupPlan(List<PersistentVolumeClaim> delete, List<Kept> kept) {

    public CleanupPlan {
        delete = List.copyOf(delete);
        kept = List.copyOf(kept);
    }

    /**
     * A claim left alone.
     *
     * @param claim the claim
     * @param reason why it is not this runtime's, for logs and events
     */
    public record Kept(PersistentVolumeClaim claim, String reason) {
        public Kept {
            requireNonNull(claim, "claim");
            requireNonNull(reason, "reason");
        }
    }
}
