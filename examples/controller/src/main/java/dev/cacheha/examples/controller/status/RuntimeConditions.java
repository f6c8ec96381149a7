package dev.cacheha.examples.controller.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the conditions of a runtime (or of its backup), keeping each condition's {@code lastTransitionTime}
 * while its status stays the same: a time that moved on every reconcile would make every status new and every
 * reconcile a write.
 */
public final class RuntimeConditions {

    /** Everything is as planned and the quorum is HEALTHY. */
    public static final String READY = "Ready";
    /** Exactly one member leads and every member answers. */
    public static final String QUORUM_HEALTHY = "QuorumHealthy";
    /** A replica change or a rolling restart is under way. */
    public static final String PROGRESSING = "Progressing";
    /** A backup would run now: one member leads and a majority stands behind it. */
    public static final String BACKUP_READY = "BackupReady";

    /** The restore {@code spec.restore} asks for ended: True once Succeeded; present while one is requested. */
    public static final String RESTORED = "Restored";

    /**
     * The reason of {@link #READY}, {@link #QUORUM_HEALTHY} and {@link #PROGRESSING} while a new runtime's members
     * start, before it was ever Ready.
     */
    public static final String STARTING = "Starting";

    private final List<Condition> previous;
    private final Long generation;
    private final List<Condition> conditions = new ArrayList<>();

    /**
     * @param previous the conditions the resource has now, whose transition times are kept
     * @param generation the {@code metadata.generation} the new conditions describe
     */
    public RuntimeConditions(List<Condition> previous, Long generation) {
        this.previous = Objects.requireNonNullElse(previous, List.of());
        this.generation = generation;
    }

    /** Sets condition {@code type}; the reason is CamelCase, the message says why in words. */
    public RuntimeConditions set(String type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String since = previous.stream()
                .filter(condition -> condition.getType().equals(type) && condition.getStatus().equals(value))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        conditions.removeIf(condition -> condition.getType().equals(type));
        conditions.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(Optional.ofNullable(message).orElse(""))
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return this;
    }

    /** Drops condition {@code type}, such as one about a request that is gone. */
    public RuntimeConditions remove(String type) {
        conditions.removeIf(condition -> condition.getType().equals(type));
        return this;
    }

    /** The conditions, sorted by type. */
    public List<Condition> build() {
        return conditions.stream().sorted(Comparator.comparing(Condition::getType)).toList();
    }
}
