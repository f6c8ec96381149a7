package dev.cacheha.examples.controller.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which notes a change of a runtime's status makes, as kubectl describe will list them. */
class RuntimeStatusEventsTest {

    private static Condition condition(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(message).build();
    }

    private static CacheRuntimeStatus status(StepProgress steps, Condition... conditions) {
        CacheRuntimeStatus status = new CacheRuntimeStatus();
        status.setSteps(steps);
        status.setConditions(List.of(conditions));
        return status;
    }

    @Test
    void eachStepOfAnOperationIsANoteFromItsStartToItsEnd() {
        // Given the statuses of a grow 3 -> 5 as the controller records its steps, one by one
        CacheRuntimeStatus idle = status(null);
        CacheRuntimeStatus started = status(new StepProgress("replica change 3 -> 5", 0, "delete stale claims"));
        CacheRuntimeStatus stepDone = status(new StepProgress("replica change 3 -> 5", 1, "apply the 5-member plan"));
        CacheRuntimeStatus another = status(new StepProgress("restore from nightly (uid 1)", 0, "check the backup"));

        // When the notes between each two are asked for, then they tell the start, the step done and the end
        assertThat(RuntimeStatusEvents.between(idle, started)).containsExactly(EventNote.normal(
                "StepsStarted", "replica change 3 -> 5 started; first step: delete stale claims"));
        assertThat(RuntimeStatusEvents.between(started, stepDone)).containsExactly(EventNote.normal(
                "StepDone", "replica change 3 -> 5: step 1 done (delete stale claims); next: apply the"
                        + " 5-member plan"));
        assertThat(RuntimeStatusEvents.between(stepDone, idle)).containsExactly(EventNote.normal(
                "StepsDone", "replica change 3 -> 5 done"));
        // And the steps of another operation start anew rather than continue the last one's
        assertThat(RuntimeStatusEvents.between(stepDone, another)).containsExactly(EventNote.normal(
                "StepsStarted", "restore from nightly (uid 1) started; first step: check the backup"));
    }

    @Test
    void aRefusalAndAFailureAreWarningsNamingWhatWasRefusedOrFailed() {
        // Given a Ready runtime
        CacheRuntimeStatus ready = status(null, condition("Ready", true, "Ready", "every member runs the plan"));

        // When its spec is refused, then the note is a warning naming every broken rule
        CacheRuntimeStatus refused = status(null, condition("Ready", false, "SpecRefused", "2 broken rule(s)"));
        refused.setViolations(List.of("replicas: must be odd", "ports.nosuch: no such port"));
        assertThat(RuntimeStatusEvents.between(ready, refused)).containsExactly(EventNote.warning("SpecRefused",
                "spec refused: replicas: must be odd; ports.nosuch: no such port"));

        // When a reconcile fails, then the note is a warning with the failure
        CacheRuntimeStatus failed = status(null, condition("Ready", true, "Ready", "every member runs the plan"));
        failed.setMessage("reconcile failed: statefulsets is forbidden");
        assertThat(RuntimeStatusEvents.between(ready, failed)).containsExactly(EventNote.warning("ReconcileFailed",
                "reconcile failed: statefulsets is forbidden"));
    }

    @Test
    void aNewRuntimeStartingIsOneNoteAndItsFirstReadyOneMoreNamingItsLeader() {
        // Given a new runtime that starts, then is Ready with its first leader, then fails over to another leader
        CacheRuntimeStatus starting = status(null,
                condition("Progressing", true, "Starting", "waiting for the pods of the 3 members"),
                condition("Ready", false, "Starting", "waiting for the pods of the 3 members"));
        CacheRuntimeStatus ready = status(null, condition("Progressing", false, "Idle", ""),
                condition("Ready", true, "Ready", "every member runs the planned configuration"));
        ready.setLeader("demo-master-1");
        CacheRuntimeStatus failedOver = status(null, condition("Progressing", false, "Idle", ""),
                condition("Ready", true, "Ready", "every member runs the planned configuration"));
        failedOver.setLeader("demo-master-2");

        // Then the start is one note, its first Ready one naming the leader, and a later leader a note of its own
        assertThat(RuntimeStatusEvents.between(null, starting)).containsExactly(EventNote.normal("Starting",
                "waiting for the pods of the 3 members"));
        assertThat(RuntimeStatusEvents.between(starting, ready)).containsExactly(EventNote.normal("Ready",
                "every member runs the planned configuration; demo-master-1 leads"));
        assertThat(RuntimeStatusEvents.between(ready, failedOver)).containsExactly(EventNote.normal(
                "LeaderElected", "demo-master-2 leads; before, demo-master-1 led"));
    }

    @Test
    void aRollingRestartIsANoteForEachWaitAndNothingIsNotedForAnUnchangedStatus() {
        // Given a runtime rolling its members, waiting for one member, then for the next
        CacheRuntimeStatus first = status(null, condition("Progressing", true, "RollingRestart",
                "waiting for pod demo-master-0 to rejoin after its restart"));
        CacheRuntimeStatus second = status(null, condition("Progressing", true, "RollingRestart",
                "waiting for pod demo-master-2 to rejoin after its restart"));

        // Then the second wait is one note, and the same status again none
        assertThat(RuntimeStatusEvents.between(first, second)).containsExactly(EventNote.normal("RollingRestart",
                "waiting for pod demo-master-2 to rejoin after its restart"));
        assertThat(RuntimeStatusEvents.between(second, second)).isEmpty();
    }

    @Test
    void aRestoreRefusedIsAWarningAndItsStepsAreNotes() {
        // Given a restore that runs, one refused before its steps and one whose check step refused it
        CacheRuntimeStatus running = new CacheRuntimeStatus();
        running.setRestore(new RestoreProgress("nightly", "uid-1", "/backups/b.gz", RestoreProgress.RUNNING, null,
                null));
        CacheRuntimeStatus refused = new CacheRuntimeStatus();
        refused.setRestore(new RestoreProgress("gone", null, null, RestoreProgress.REFUSED, null,
                "spec.restore.backupName: no CacheRuntimeBackup gone in namespace data"));
        CacheRuntimeStatus failedCheck = new CacheRuntimeStatus();
        failedCheck.setRestore(new RestoreProgress("nightly", "uid-1", "/backups/b.gz", RestoreProgress.REFUSED,
                new StepProgress("restore from nightly (uid uid-1)", 0, "check the backup on member 0"), null));

        // Then each is one note, the refusal a warning
        assertThat(RuntimeStatusEvents.between(null, running)).containsExactly(EventNote.normal("RestoreRunning",
                "restore from backup nightly: Running"));
        assertThat(RuntimeStatusEvents.between(running, failedCheck)).containsExactly(EventNote.warning(
                "RestoreRefused", "restore from backup nightly: ended at step 0, check the backup on member 0"));
        assertThat(RuntimeStatusEvents.between(null, refused)).containsExactly(EventNote.warning("RestoreRefused",
                "restore from backup gone: spec.restore.backupName: no CacheRuntimeBackup gone in namespace data"));
    }
}
