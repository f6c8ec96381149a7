package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.events.EventNote;
import dev.cacheha.examples.controller.events.RateLimitedEvents;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How many Events a reconcile loop that notes the same thing over and over sends, and what the real API server
 * stores of them, with a clock the test moves; the requests are counted in the client. A namespace per test.
 */
@ExtendWith(RealClusterExtension.class)
class RateLimitedEventsOnRealClusterTest {

    private static final RateLimitedEvents.Limits LIMITS = new RateLimitedEvents.Limits(Duration.ofMinutes(10),
            Duration.ofMinutes(1), 3);

    private final AtomicInteger requests = new AtomicInteger();
    private String namespace;
    private KubernetesClient client;

    @BeforeEach
    void namespaceOfItsOwn(RealCluster cluster) {
        namespace = cluster.createNamespace("events", Map.of());
        client = new KubernetesClientBuilder().withConfig(cluster.admin().getConfiguration())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("count", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest sent, Interceptor.RequestTags tags) {
                        requests.incrementAndGet();
                    }
                })).build();
    }

    @AfterEach
    void deleteNamespace(RealCluster cluster) {
        client.close();
        cluster.admin().namespaces().withName(namespace).delete();
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T23:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private ConfigMap object(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).withUid("uid-" + name)
                .endMetadata().build();
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(Event::getReason)).toList();
    }

    /** How many requests the client sent while {@code action} ran. */
    private int requestsDuring(Runnable action) {
        int before = requests.get();
        action.run();
        return requests.get() - before;
    }

    @Test
    void theSameNoteRepeatedByALoopIsOneEventWhoseCountIsPatchedAtMostOncePerInterval() {
        // Given the limits of a minute between patches of one Event
        MovingClock clock = new MovingClock();
        RateLimitedEvents events = new RateLimitedEvents(client, text -> text, LIMITS, clock);
        ConfigMap runtime = object("demo");
        EventNote refused = EventNote.warning("SpecRefused", "spec refused: replicas: must be odd");

        // When a loop notes the same refusal 100 times within 30 seconds
        int sent = requestsDuring(() -> {
            for (int i = 0; i < 100; i++) {
                events.record(runtime, refused);
                clock.advance(Duration.ofMillis(300));
            }
        });

        // Then one Event was written, with one request, and none for the 99 repeats
        assertThat(sent).isEqualTo(1);
        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getReason()).isEqualTo("SpecRefused");
            assertThat(event.getMessage()).isEqualTo("spec refused: replicas: must be odd");
            assertThat(event.getCount()).isEqualTo(1);
            assertThat(event.getInvolvedObject().getUid()).isEqualTo("uid-demo");
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
            assertThat(event.getSource().getComponent()).isEqualTo(RateLimitedEvents.COMPONENT);
        });

        // When the loop notes it once more after the patch interval
        clock.advance(Duration.ofMinutes(1));
        int aggregated = requestsDuring(() -> events.record(runtime, refused));

        // Then the same Event counts all 101, written by one more request
        assertThat(aggregated).isEqualTo(1);
        assertThat(events()).singleElement().satisfies(event -> {
            assertThat(event.getCount()).isEqualTo(101);
            assertThat(event.getLastTimestamp()).isEqualTo("2026-12-06T23:01:30Z");
            assertThat(event.getFirstTimestamp()).isEqualTo("2026-12-06T23:00:00Z");
        });
    }

    @Test
    void differentNotesAboutOneObjectAreCappedPerWindowWhileAnotherObjectKeepsItsOwnBudget() {
        // Given a budget of three different notes per object in ten minutes
        MovingClock clock = new MovingClock();
        RateLimitedEvents events = new RateLimitedEvents(client, text -> text, LIMITS, clock);
        ConfigMap noisy = object("noisy");
        ConfigMap quiet = object("quiet");

        // When a loop notes 50 different messages about one object within a minute, then one about another object
        for (int i = 0; i < 50; i++) {
            events.record(noisy, EventNote.normal("RollingRestart", "waiting for member " + i));
            clock.advance(Duration.ofSeconds(1));
        }
        events.record(quiet, EventNote.normal("Ready", "every member runs the planned configuration"));

        // Then three Events are about the first, and the other object's note is written all the same
        assertThat(events()).filteredOn(event -> event.getInvolvedObject().getName().equals("noisy"))
                .extracting(Event::getMessage)
                .containsExactly("waiting for member 0", "waiting for member 1", "waiting for member 2");
        assertThat(events()).filteredOn(event -> event.getInvolvedObject().getName().equals("quiet")).hasSize(1);

        // When the window has passed since the first of them
        clock.advance(Duration.ofMinutes(10));
        events.record(noisy, EventNote.normal("RollingRestart", "waiting for member 50"));

        // Then the object may be noted about again
        assertThat(events()).filteredOn(event -> event.getInvolvedObject().getName().equals("noisy"))
                .extracting(Event::getMessage).contains("waiting for member 50").hasSize(4);
    }

    @Test
    void aMessageIsBoundedBeforeItIsWritten() {
        // Given a bound that keeps 20 characters
        RateLimitedEvents events = new RateLimitedEvents(client, text -> text.substring(0, 20), LIMITS,
                new MovingClock());

        // When a long failure is noted
        events.record(object("demo"), EventNote.warning("ReconcileFailed", "reconcile failed: " + "x".repeat(5000)));

        // Then the Event holds the bounded message
        assertThat(events()).singleElement().extracting(Event::getMessage).isEqualTo("reconcile failed: xx");
    }
}
