package dev.cacheha.examples.controller.events;

import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a change of a runtime's status means for the people who look at it with {@code kubectl describe}: every
 * step of a replica change, a restore or a member rebuild (their one step record), every wait of a rolling restart
 * or a change, every refusal and failure, and leader and quorum health changes, each as one note. A new runtime's
 * start is one note ({@code Starting}), and its first Ready one more, naming the leader it starts with. The status
 * is the record; these notes tell its story.
 */
public final class RuntimeStatusEvents {

    /** Ready's reasons that say the runtime was refused, blocked or failed, rather than that it is busy. */
    private static final Set<String> WARNING_REASONS = Set.of("SpecRefused", "ForeignObject", "RestoreRefused",
            "RestoreAborted", "QuorumNO_QUORUM", "QuorumDEGRADED", "QuorumUNKNOWN");

    /** Ready's reasons whose story the Progressing condition or the restore's record tells. */
    private static final Set<String> TOLD_ELSEWHERE = Set.of("Progressing", RuntimeConditions.STARTING,
            "Restoring", "Restored", "RestoreRefused", "RestoreAborted");

    private static final String FAILED_PREFIX = "reconcile failed";

    private RuntimeStatusEvents() {}

    /** The notes that the change from {@code before} (null for none) to {@code after} calls for, in order. */
    public static List<EventNote> between(CacheRuntimeStatus before, CacheRuntimeStatus after) {
        CacheRuntimeStatus old = Objects.requireNonNullElseGet(before, CacheRuntimeStatus::new);
        List<EventNote> notes = new ArrayList<>();
        steps(old.getSteps(), after.getSteps()).ifPresent(notes::add);
        restore(old.getRestore(), after.getRestore()).ifPresent(notes::add);
        Optional<Condition> progressing = changed(old, after, "Progressing");
        progressing.filter(condition -> "True".equals(condition.getStatus()) && condition.getMessage() != null)
                .ifPresent(condition -> notes.add(EventNote.normal(condition.getReason(), condition.getMessage())));
        Optional<Condition> ready = changed(old, after, "Ready")
                .filter(condition -> !TOLD_ELSEWHERE.contains(condition.getReason()));
        boolean newLeader = !Objects.equals(old.getLeader(), after.getLeader()) && after.getLeader() != null;
        // A new runtime's first Ready and its first leader are one transition: one note names both.
        boolean firstReady = newLeader && ready.filter(condition -> "True".equals(condition.getStatus())).isPresent()
                && condition(old, "Ready").filter(was -> !RuntimeConditions.STARTING.equals(was.getReason()))
                        .isEmpty();
        ready.ifPresent(condition -> notes.add(ready(condition, after, firstReady)));
        if (newLeader && !firstReady) {
            notes.add(EventNote.normal("LeaderElected", after.getLeader() + " leads"
                    + (old.getLeader() == null ? "" : "; before, " + old.getLeader() + " led")));
        }
        String message = after.getMessage();
        if (message != null && message.startsWith(FAILED_PREFIX) && !message.equals(old.getMessage())) {
            notes.add(EventNote.warning("ReconcileFailed", message));
        }
        return notes;
    }

    private static EventNote ready(Condition ready, CacheRuntimeStatus after, boolean namingTheLeader) {
        String reason = ready.getReason();
        String message = Objects.requireNonNullElse(ready.getMessage(), reason)
                + (namingTheLeader ? "; " + after.getLeader() + " leads" : "");
        if ("SpecRefused".equals(reason) && after.getViolations() != null) {
            message = "spec refused: " + String.join("; ", after.getViolations());
        } else if ("ForeignObject".equals(reason) && after.getBlockedBy() != null) {
            message = "blocked: " + String.join("; ", after.getBlockedBy());
        }
        return new EventNote(WARNING_REASONS.contains(reason), reason, message);
    }

    private static Optional<EventNote> steps(StepProgress before, StepProgress after) {
        if (Objects.equals(before, after)) {
            return Optional.empty();
        }
        if (after == null) {
            return Optional.of(EventNote.normal("StepsDone", before.operation() + " done"));
        }
        if (before == null || !before.of(after.operation())) {
            return Optional.of(EventNote.normal("StepsStarted", after.operation() + " started; first step: "
                    + after.stepDescription()));
        }
        return Optional.of(EventNote.normal("StepDone", after.operation() + ": step " + after.nextStep()
                + " done (" + before.stepDescription() + "); next: " + after.stepDescription()));
    }

    private static Optional<EventNote> restore(RestoreProgress before, RestoreProgress after) {
        if (after == null || after.equals(before) || RestoreProgress.PENDING.equals(after.phase())) {
            return Optional.empty();
        }
        String phase = after.phase();
        StepProgress endedAt = after.endedAt();
        String message = "restore from backup " + after.backupName() + ": " + (after.message() != null
                ? after.message()
                : endedAt != null ? "ended at step " + endedAt.nextStep() + ", " + endedAt.stepDescription()
                : phase);
        boolean warning = RestoreProgress.REFUSED.equals(phase) || RestoreProgress.ABORTED.equals(phase);
        return Optional.of(new EventNote(warning, "Restore" + phase, message));
    }

    /** Condition {@code type} of {@code after}, if it differs from the one of {@code before}. */
    private static Optional<Condition> changed(CacheRuntimeStatus before, CacheRuntimeStatus after, String type) {
        Optional<Condition> now = condition(after, type);
        Optional<Condition> earlier = condition(before, type);
        return now.filter(condition -> earlier.isEmpty()
                || !Objects.equals(condition.getStatus(), earlier.get().getStatus())
                || !Objects.equals(condition.getReason(), earlier.get().getReason())
                || !Objects.equals(condition.getMessage(), earlier.get().getMessage()));
    }

    private static Optional<Condition> condition(CacheRuntimeStatus status, String type) {
        return Objects.requireNonNullElse(status.getConditions(), List.<Condition>of()).stream()
                .filter(condition -> type.equals(condition.getType())).findFirst();
    }
}
