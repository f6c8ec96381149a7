package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Recognises the controller's status writes by what they record, so a fault can hit exactly the write that
 * records one step of a replica change, a restore or a member rebuild as done.
 */
public final class StatusWrites {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StatusWrites() {}

    /**
     * Matches the status writes of runtime {@code name} that record step {@code step} (from 0) of a change of
     * {@code steps} steps as done: the record's next step is {@code step + 1}, or, for the last step, the first
     * write without a record after one whose next step was the last.
     */
    public static Predicate<RecordedRequest> recordingStepDone(String name, int step, int steps) {
        AtomicBoolean lastStepRecorded = new AtomicBoolean();
        return request -> {
            if (!request.getMethod().equals("PATCH")
                    || !request.getPath().endsWith("/cacheruntimes/" + name + "/status")) {
                return false;
            }
            Integer nextStep = recordedNextStep(request.getUtf8Body());
            if (step + 1 < steps) {
                return Objects.equals(nextStep, step + 1);
            }
            if (Objects.equals(nextStep, steps - 1)) {
                lastStepRecorded.set(true);
                return false;
            }
            return nextStep == null && lastStepRecorded.get();
        };
    }

    /**
     * Matches the status writes of runtime {@code name} that record step {@code step} (from 0) of {@code steps} of
     * the operation whose record is {@code status.<record>} as done: for the last step, the record Succeeded; for
     * any other, {@code status.steps} naming {@code step + 1} next, the record without a message (what a waiting
     * step waits for).
     */
    public static Predicate<RecordedRequest> recordingOperationStepDone(String name, String record, int step,
            int steps) {
        return request -> {
            if (!request.getMethod().equals("PATCH")
                    || !request.getPath().endsWith("/cacheruntimes/" + name + "/status")) {
                return false;
            }
            // The body is read once: reading it consumes it.
            String body = request.getUtf8Body();
            List<?> operations = SERIALIZATION.unmarshal(body, List.class);
            Map<?, ?> status = (Map<?, ?>) ((Map<?, ?>) operations.get(0)).get("value");
            Map<?, ?> outcome = (Map<?, ?>) status.get(record);
            if (outcome == null) {
                return false;
            }
            if (step + 1 == steps) {
                return "Succeeded".equals(outcome.get("phase"));
            }
            return Objects.equals(recordedNextStep(body), step + 1) && outcome.get("message") == null;
        };
    }

    /** The next step a status JSON patch ({@code add /status}) records, null when it records no steps. */
    public static Integer recordedNextStep(String body) {
        List<?> operations = SERIALIZATION.unmarshal(body, List.class);
        Map<?, ?> status = (Map<?, ?>) ((Map<?, ?>) operations.get(0)).get("value");
        Map<?, ?> steps = (Map<?, ?>) status.get("steps");
        return steps == null ? null : ((Number) steps.get("nextStep")).intValue();
    }
}
