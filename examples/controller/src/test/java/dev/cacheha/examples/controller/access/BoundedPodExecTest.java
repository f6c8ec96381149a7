package dev.cacheha.examples.controller.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class BoundedPodExecTest {

    private static final Member TENANT = new Member(0, "tenant", "demo-master-0", "demo-master-0.svc");
    private static final Member OTHER = new Member(0, "other", "fast-master-0", "fast-master-0.svc");

    @Test
    void sixtyHangingCommandsOfOneNamespaceTakeItsSlotsOnlyAndAnotherNamespacesCommandRunsAtOnce()
            throws Exception {
        // Given at most 8 commands at once, 2 per namespace, and commands of namespace tenant that hang
        RecordingPodExec delegate = RecordingPodExec.succeeding("done")
                .hangingWhen(call -> call.pod().equals(TENANT.podName()));
        BoundedPodExec bounded = new BoundedPodExec(delegate, 8, 2);

        // When tenant starts 60 commands, then another namespace one
        List<CompletableFuture<PodExec.Result>> hanging = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            hanging.add(bounded.exec(TENANT, "master", List.of("backup", String.valueOf(i)), Duration.ofMinutes(10)));
        }
        PodExec.Result other = bounded.exec(OTHER, "master", List.of("role"), Duration.ofSeconds(2))
                .get(1, TimeUnit.SECONDS);

        // Then only two of tenant's commands were started, and the other namespace's ran at once
        assertThat(other.stdout()).isEqualTo("done");
        assertThat(delegate.calls()).extracting(RecordingPodExec.Call::pod)
                .containsExactly(TENANT.podName(), TENANT.podName(), OTHER.podName());
        assertThat(hanging).filteredOn(CompletableFuture::isDone).isEmpty();
    }

    @Test
    void aCommandQueuedPastItsDeadlineFailsWithATimeoutWithoutRunningAndTheNextStartsWhenOneEnds()
            throws Exception {
        // Given one command per namespace, and a first command that runs until its deadline of 300 ms
        RecordingPodExec delegate = RecordingPodExec.succeeding("done")
                .hangingWhen(call -> call.argv().contains("slow"));
        BoundedPodExec bounded = new BoundedPodExec(delegate, 4, 1);
        CompletableFuture<PodExec.Result> slow = bounded.exec(TENANT, "master", List.of("slow"),
                Duration.ofMillis(300));

        // When a command with a 100 ms deadline and one with a 5 s deadline queue behind it
        CompletableFuture<PodExec.Result> impatient = bounded.exec(TENANT, "master", List.of("impatient"),
                Duration.ofMillis(100));
        CompletableFuture<PodExec.Result> patient = bounded.exec(TENANT, "master", List.of("patient"),
                Duration.ofSeconds(5));

        // Then the impatient one fails at its deadline without ever running, and the patient one runs once the
        // slow one ended (with what was left of its deadline)
        Throwable failure = Assertions.catchThrowable(() -> impatient.get(2, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("waited its whole deadline of 100 ms for a slot");
        assertThat(patient.get(3, TimeUnit.SECONDS).stdout()).isEqualTo("done");
        assertThat(slow).isCompletedExceptionally();
        assertThat(delegate.calls()).extracting(call -> call.argv().get(0)).containsExactly("slow", "patient");
        assertThat(delegate.deadlines().get(1)).isLessThan(Duration.ofSeconds(5));
    }
}
