package dev.cacheha.examples.controller.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exec over the API server's websocket, on fabric8's mock server on purpose: the real control plane of the
 * real-cluster module runs pods on kwok's fake nodes, where no container (and so no command) runs, and the
 * mock is what produces an exit code, stderr or a command still running at the deadline on cue.
 *
 * <p>The sessions that end with a status stay open until the client closes them ({@link #UNTIL_CLIENT_CLOSES}):
 * left to itself the mock closes the socket as soon as it has queued its last message, and that close overtook
 * the status message in 4 to 6 of 80 runs (the client then saw no exit status). A real API server writes the
 * status before it closes; fabric8 closes its side once the status arrives, which is what ends these sessions.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPodExecTest {

    private static final String NAMESPACE = "data";
    private static final Member LEADER = new Member(1, NAMESPACE, "demo-master-1", "unused");
    private static final List<String> BACKUP = List.of("alluxio", "fsadmin", "backup");
    /** A message the client never sends: while the mock waits for it, it does not close the session itself. */
    private static final String UNTIL_CLIENT_CLOSES = "input that never comes";
    /** The exec request of {@link #BACKUP} with a deadline of 5 s: run under {@code timeout} in the pod. */
    private static final String BACKUP_PATH = backupPath(5);

    private static String backupPath(int seconds) {
        return "/api/v1/namespaces/data/pods/demo-master-1/exec?command=timeout&command=-k&command=5&command="
                + seconds + "&command=alluxio&command=fsadmin&command=backup&container=alluxio-master&stdout=true"
                + "&stderr=true";
    }

    KubernetesMockServer server;
    KubernetesClient client;

    private ExecutorService openers;
    private KubernetesPodExec exec;

    @BeforeEach
    void setUp() {
        openers = Executors.newSingleThreadExecutor();
        exec = new KubernetesPodExec(client, openers);
        client.resource(new PodBuilder()
                .withNewMetadata().withName(LEADER.podName()).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName("alluxio-master").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build()).create();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        openers.shutdownNow();
        assertThat(openers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCommandThatSucceedsReportsItsExitCodeAndOutput() throws Exception {
        // Given the pod answers the backup command with output and exit code 0
        server.expect().get().withPath(BACKUP_PATH).andUpgradeToWebSocket()
                .open(new OutputStreamMessage("Backup Host        : demo-master-1\n"),
                        new StatusStreamMessage(0))
                .expect(UNTIL_CLIENT_CLOSES).andEmit("never sent").once()
                .done().always();

        // When the command runs
        PodExec.Result result = exec.exec(LEADER, "alluxio-master", BACKUP, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        // Then its exit code and output come back
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("Backup Host        : demo-master-1\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void aCommandThatFailsCompletesWithItsExitCodeAndError() throws Exception {
        // Given the pod answers with an error and exit code 1
        server.expect().get().withPath(BACKUP_PATH).andUpgradeToWebSocket()
                .open(new ErrorStreamMessage("Backup failed: not the primary master\n"), new StatusStreamMessage(1))
                .expect(UNTIL_CLIENT_CLOSES).andEmit("never sent").once()
                .done().always();

        // When the command runs
        PodExec.Result result = exec.exec(LEADER, "alluxio-master", BACKUP, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS);

        // Then it completes normally with the exit code and standard error
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("Backup failed: not the primary master\n");
    }

    @Test
    void aCommandStillRunningAtTheDeadlineFailsWithATimeout() {
        // Given the pod's command prints and then runs until its stream is closed: the session waits for
        // input that never comes, so nothing is left pending in the server once the client goes
        server.expect().get().withPath(backupPath(1)).andUpgradeToWebSocket()
                .open(new OutputStreamMessage("starting\n"))
                .expect(UNTIL_CLIENT_CLOSES).andEmit("never sent").once()
                .done().always();

        // When the command runs with a short deadline
        long start = System.nanoTime();
        CompletableFuture<PodExec.Result> result = exec.exec(LEADER, "alluxio-master", BACKUP, Duration.ofMillis(500));
        Throwable failure = catchThrowable(() -> result.get(10, TimeUnit.SECONDS));

        // Then it fails with a timeout naming the command and pod, close to the deadline
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("demo-master-1/alluxio-master").hasMessageContaining("500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aCommandInAPodTheServerDoesNotKnowFailsTheFuture() {
        // Given no pod answers exec at that name
        Member gone = new Member(4, NAMESPACE, "demo-master-4", "unused");

        // When a command runs there
        Throwable failure = catchThrowable(() -> exec.exec(gone, "alluxio-master", BACKUP, Duration.ofSeconds(5))
                .get(10, TimeUnit.SECONDS));

        // Then the future fails with the client's own error, not a wrapper
        assertThat(failure).isInstanceOf(ExecutionException.class).cause()
                .isNotInstanceOf(java.util.concurrent.CompletionException.class)
                .isNotInstanceOf(TimeoutException.class);
    }

    @Test
    void everyCommandRunsUnderTimeoutInThePodWithItsDeadlineRoundedUpToWholeSeconds() {
        assertThat(KubernetesPodExec.boundedInPod(BACKUP, Duration.ofMinutes(10)))
                .containsExactly("timeout", "-k", "5", "600", "alluxio", "fsadmin", "backup");
        assertThat(KubernetesPodExec.boundedInPod(List.of("true"), Duration.ofMillis(1_001)))
                .containsExactly("timeout", "-k", "5", "2", "true");
        assertThat(KubernetesPodExec.boundedInPod(List.of("true"), Duration.ofMillis(1)))
                .containsExactly("timeout", "-k", "5", "1", "true");
    }

    @Test
    void anEmptyArgumentVectorIsRefused() {
        // When a command without a program is asked for, then it is refused before anything is sent
        assertThat(catchThrowable(() -> exec.exec(LEADER, "alluxio-master", List.of(), Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
