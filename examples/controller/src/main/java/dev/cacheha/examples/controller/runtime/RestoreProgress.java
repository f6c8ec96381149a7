package dev.cacheha.examples.controller.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Objects;

/**
 * {@code status.restore} of a {@link CacheRuntime}: the restore from a backup that {@code spec.restore} asks for,
 * its phase and how it ended. While it runs, {@code status.steps} records how far its steps have come (written
 * with this record before the first step and after each one, so a reconcile that stops halfway resumes at its
 * step), and once they ended this record says where ({@link #endedAt()}); kept once Succeeded, so the same
 * request does not run again.
 *
 * @param backupName the CacheRuntimeBackup restored from
 * @param backupUid its UID: a backup recreated under the same name is another backup, and a running restore stops
 * @param location where the backup lies, as the engine reported it
 * @param phase {@value #PENDING}, {@value #REFUSED}, {@value #RUNNING}, {@value #ABORTED} or {@value #SUCCEEDED}
 * @param endedAt once the restore's steps ended, where, in the record {@code status.steps} had while they ran: the
 *     check that refused it, the next step of an aborted one, past the last once Succeeded; null while they run or
 *     wait, and when no step is planned (Pending, refused before planning)
 * @param message what the restore waits for, why it was refused, or how it ended
 */
public record RestoreProgress(String backupName, String backupUid, String location,
        @SchemaFrom(type = Phase.class) String phase, StepProgress endedAt, String message) {

    /** Waits for something else to finish first (a replica change); nothing of the restore ran. */
    public static final String PENDING = "Pending";
    /** Refused with the reason in {@link #message()}; nothing was stopped, deleted or changed. */
    public static final String REFUSED = "Refused";
    /** Under way: {@code status.steps} names the first step not done. */
    public static final String RUNNING = "Running";
    /**
     * Ended before its last step because {@code spec.restore} was removed (or names another backup) while it ran:
     * the members are started again from whatever their journals hold at that step, which
     * {@link #message()} states; setting {@code spec.restore} restores again.
     */
    public static final String ABORTED = "Aborted";
    /** Every step done: the quorum runs on the backup's metadata. */
    public static final String SUCCEEDED = "Succeeded";

    /** The phases, as the CRD's schema lists them. */
    private enum Phase {
        @JsonProperty(RestoreProgress.PENDING) PENDING,
        @JsonProperty(RestoreProgress.REFUSED) REFUSED,
        @JsonProperty(RestoreProgress.RUNNING) RUNNING,
        @JsonProperty(RestoreProgress.ABORTED) ABORTED,
        @JsonProperty(RestoreProgress.SUCCEEDED) SUCCEEDED
    }

    /**
     * Whether this record ends the request for {@code backupName}: Succeeded, or refused by a failed check
     * (which has a step). Such a request never runs again; a refusal before any step (the backup missing or not
     * Succeeded yet) is looked at again, since the backup may still come.
     */
    public boolean ends(String backupName) {
        return Objects.equals(this.backupName, backupName)
                && (SUCCEEDED.equals(phase) || REFUSED.equals(phase) && endedAt != null);
    }

    /** The operation whose steps {@code status.steps} records while this restore runs. */
    public String operation() {
        return "restore from " + backupName + " (uid " + backupUid + ")";
    }
}
