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

    @Test
    void whenEverySlotIsTakenTheNamespacesWithQueuedCommandsTakeTurnsInTheOrderTheyCame() {
        // Given one command at once in all, taken by a first command, and a delegate whose commands end when told
        List<String> started = new ArrayList<>();
        List<CompletableFuture<PodExec.Result>> running = new ArrayList<>();
        PodExec delegate = (member, container, argv, deadline) -> {
            started.add(member.namespace() + " " + argv.get(0));
            CompletableFuture<PodExec.Result> result = new CompletableFuture<>();
            running.add(result);
            return result;
        };
        BoundedPodExec bounded = new BoundedPodExec(delegate, 1, 1);
        bounded.exec(member("first"), "master", List.of("hold"), Duration.ofMinutes(1));

        // When namespace busy queues three commands, then namespace quiet one, then namespace late one
        for (String command : List.of("b1", "b2", "b3")) {
            bounded.exec(member("busy"), "master", List.of(command), Duration.ofMinutes(1));
        }
        bounded.exec(member("quiet"), "master", List.of("q1"), Duration.ofMinutes(1));
        bounded.exec(member("late"), "master", List.of("l1"), Duration.ofMinutes(1));
        // And the commands end one at a time
        for (int ended = 0; ended < 5; ended++) {
            running.get(ended).complete(new PodExec.Result(0, "", ""));
        }

        // Then they started one namespace after another: busy did not go before quiet and late twice
        assertThat(started).containsExactly("first hold", "busy b1", "quiet q1", "late l1", "busy b2", "busy b3");
    }

    private static Member member(String namespace) {
        return new Member(0, namespace, "demo-master-0", "demo-master-0.svc");
    }
}
