package dev.cacheha.examples.controller.events;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes Kubernetes Events ({@code core/v1}, as {@code kubectl describe} lists them) about the controller's
 * resources, so that a reconcile loop can never storm the API server with them:
 * <ul>
 *   <li>the same note (type, reason, message) on the same object within {@link Limits#window()} is aggregated
 *       into the Event written first: its {@code count} and {@code lastTimestamp} grow, written at most once per
 *       {@link Limits#patchInterval()} (repeats in between are only counted, and go out with the next patch);</li>
 *   <li>at most {@link Limits#burst()} different notes about one object are written within any
 *       {@link Limits#window()}; a note beyond that is dropped (and logged).</li>
 * </ul>
 * Every message is bounded before it is written, and an Event that cannot be written (no right, the server
 * unreachable) is logged and never fails the reconcile that noted it: Events tell, the status is the record.
 */
public final class RateLimitedEvents {

    /** The component every Event names as its source. */
    public static final String COMPONENT = "cache-ha-controller";

    private static final Logger LOG = Logger.getLogger(RateLimitedEvents.class.getName());

    /**
     * How much the controller may say about one object.
     *
     * @param window how long a note is remembered for aggregation, and the period of the per-object budget
     * @param patchInterval the least time between two writes of one aggregated Event
     * @param burst how many different notes about one object are written within any window
     */
    public record Limits(Duration window, Duration patchInterval, int burst) {

        /** The limits of a controller: aggregated for 10 minutes, patched once a minute, 60 notes per object. */
        public static final Limits DEFAULT = new Limits(Duration.ofMinutes(10), Duration.ofMinutes(1), 60);

        /** The checked limits. */
        public Limits {
            if (window.isNegative() || window.isZero() || patchInterval.isNegative() || burst < 1) {
                throw new IllegalArgumentException("need a positive window, a patch interval >= 0 and a burst"
                        + " >= 1, but got " + window + ", " + patchInterval + " and " + burst);
            }
        }
    }

    /** An Event written and the repeats of its note since. */
    private static final class Written {
        Event event;
        Instant lastNoted;
        Instant lastWritten;
        int count = 1;
    }

    private final KubernetesClient client;
    private final UnaryOperator<String> bound;
    private final Limits limits;
    private final Clock clock;
    /** By object UID, then by note. */
    private final Map<String, Map<EventNote, Written>> written = new HashMap<>();
    /** By object UID: when each of the last notes within the window was written, oldest first. */
    private final Map<String, Deque<Instant>> budget = new HashMap<>();
    private Instant lastPurge;

    /**
     * @param client where Events are written
     * @param bound what a message is cut to before it is written
     * @param limits how much may be said about one object
     * @param clock the time of every decision and timestamp
     */
    public RateLimitedEvents(KubernetesClient client, UnaryOperator<String> bound, Limits limits, Clock clock) {
        this.client = requireNonNull(client, "client");
        this.bound = requireNonNull(bound, "bound");
        this.limits = requireNonNull(limits, "limits");
        this.clock = requireNonNull(clock, "clock");
        this.lastPurge = clock.instant();
    }

    /** Events written through {@code client} within {@link Limits#DEFAULT}, timed by the system clock. */
    public RateLimitedEvents(KubernetesClient client, UnaryOperator<String> bound) {
        this(client, bound, Limits.DEFAULT, Clock.systemUTC());
    }

    /** Notes {@code note} about {@code object}: written, aggregated into an earlier Event, or dropped. */
    public void record(HasMetadata object, EventNote note) {
        EventNote boundedNote = new EventNote(note.warning(), note.reason(), bound.apply(note.message()));
        Optional<Runnable> write;
        synchronized (this) {
            write = decide(object, boundedNote, clock.instant());
        }
        // Sent outside the lock: one slow write must not hold every other reconcile's notes.
        write.ifPresent(Runnable::run);
    }

    /** What to send for {@code note}, if anything, with the bookkeeping done as if it were sent. */
    private Optional<Runnable> decide(HasMetadata object, EventNote note, Instant now) {
        purge(now);
        String uid = object.getMetadata().getUid();
        Map<EventNote, Written> notes = written.computeIfAbsent(uid, key -> new HashMap<>());
        Written earlier = notes.get(note);
        if (earlier != null && earlier.lastNoted.plus(limits.window()).isAfter(now)) {
            earlier.count++;
            earlier.lastNoted = now;
            if (earlier.lastWritten.plus(limits.patchInterval()).isAfter(now)) {
                return Optional.empty();
            }
            earlier.lastWritten = now;
            int count = earlier.count;
            return Optional.of(() -> aggregate(earlier, count, now, object, note));
        }
        if (!takeToken(uid, now)) {
            LOG.info(() -> "not written, over " + limits.burst() + " notes per " + limits.window() + " about "
                    + object.getKind() + " " + object.getMetadata().getName() + ": " + note);
            return Optional.empty();
        }
        Written fresh = new Written();
        fresh.event = event(object, note, now);
        fresh.lastNoted = now;
        fresh.lastWritten = now;
        notes.put(note, fresh);
        return Optional.of(() -> create(fresh));
    }

    /** Whether one more note about the object fits in its budget: {@code burst} within any window. */
    private boolean takeToken(String uid, Instant now) {
        Deque<Instant> taken = budget.computeIfAbsent(uid, key -> new ArrayDeque<>());
        while (!taken.isEmpty() && !taken.peekFirst().plus(limits.window()).isAfter(now)) {
            taken.pollFirst();
        }
        if (taken.size() >= limits.burst()) {
            return false;
        }
        taken.addLast(now);
        return true;
    }

    /** Forgets notes and budgets older than the window, at most once per window. */
    private void purge(Instant now) {
        if (lastPurge.plus(limits.window()).isAfter(now)) {
            return;
        }
        lastPurge = now;
        Instant expired = now.minus(limits.window());
        written.values().forEach(notes -> notes.values().removeIf(note -> !note.lastNoted.isAfter(expired)));
        written.values().removeIf(Map::isEmpty);
        budget.values().forEach(times -> times.removeIf(time -> !time.isAfter(expired)));
        budget.values().removeIf(Deque::isEmpty);
    }

    private static Event event(HasMetadata object, EventNote note, Instant now) {
        String time = timestamp(now);
        return new EventBuilder()
                .withNewMetadata()
                    // As client-go names them: the object's name and a time in hexadecimal nanoseconds.
                    .withName(object.getMetadata().getName() + "." + Long.toHexString(
                            now.getEpochSecond() * 1_000_000_000L + now.getNano()))
                    .withNamespace(object.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withNamespace(object.getMetadata().getNamespace())
                    .withName(object.getMetadata().getName())
                    .withUid(object.getMetadata().getUid())
                .endInvolvedObject()
                .withType(note.type())
                .withReason(note.reason())
                .withMessage(note.message())
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
    }

    /** Creates {@code note}'s Event and keeps the server's copy of it, which a later patch is addressed by. */
    private void create(Written note) {
        Event event;
        synchronized (this) {
            event = note.event;
        }
        try {
            Event created = client.resource(event).create();
            synchronized (this) {
                note.event = created;
            }
        } catch (KubernetesClientException notWritten) {
            LOG.log(Level.WARNING, notWritten, () -> "event " + event.getReason() + " about "
                    + event.getInvolvedObject().getName() + " not written: " + notWritten.getMessage());
        }
    }

    /** Writes the count of an aggregated note; a new Event if the server has forgotten the first (its TTL). */
    private void aggregate(Written aggregated, int count, Instant now, HasMetadata object, EventNote note) {
        Event event;
        synchronized (this) {
            event = aggregated.event;
        }
        String patch = client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "replace", "path", "/count", "value", count),
                Map.of("op", "replace", "path", "/lastTimestamp", "value", timestamp(now))));
        try {
            // Addressed by the Event itself: a patch by name GETs it first.
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event)
                    .patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException notWritten) {
            if (notWritten.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                Event again = event(object, note, now);
                again.setCount(count);
                synchronized (this) {
                    aggregated.event = again;
                }
                create(aggregated);
            } else {
                LOG.log(Level.WARNING, notWritten, () -> "event " + event.getReason() + " about "
                        + event.getInvolvedObject().getName() + " not aggregated: " + notWritten.getMessage());
            }
        }
    }

    private static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
