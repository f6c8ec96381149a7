package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ports a controller hands a provider: their deadline rules and the exec port of controllers without one. */
class ClusterAccessTest {

    private static final MemberProbe NO_PROBE = (member, port, path, deadline) ->
            CompletableFuture.failedFuture(new IOException("not used by this test"));
    private static final Member MEMBER = new Member(0, "fluid", "cache-master-0", "cache-master-0.cache-master");

    @Test
    void accessWithoutADeadlineAllowsTwoSecondsPerCall() {
        ClusterAccess access = ClusterAccess.of(NO_PROBE, PodExec.unavailable());

        assertThat(access.deadline()).isEqualTo(Duration.ofSeconds(2)).isEqualTo(ClusterAccess.DEFAULT_DEADLINE);
    }

    @Test
    void withDeadlineKeepsThePortsAndChangesOnlyTheDeadline() {
        PodExec exec = PodExec.unavailable();
        ClusterAccess access = ClusterAccess.of(NO_PROBE, exec);

        ClusterAccess quicker = access.withDeadline(Duration.ofMillis(250));

        assertThat(quicker).isEqualTo(new ClusterAccess(NO_PROBE, exec, Duration.ofMillis(250)));
        assertThat(access.deadline()).isEqualTo(Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "{0} ms")
    @ValueSource(longs = {0, -1, -2000})
    void aDeadlineThatIsNotPositiveIsRefused(long millis) {
        ClusterAccess access = ClusterAccess.of(NO_PROBE, PodExec.unavailable());

        assertThatIllegalArgumentException().isThrownBy(() -> access.withDeadline(Duration.ofMillis(millis)))
                .withMessageStartingWith("deadline must be positive");
    }

    @Test
    void everyPortIsRequired() {
        PodExec exec = PodExec.unavailable();
        Duration deadline = Duration.ofSeconds(1);

        assertThatNullPointerException().isThrownBy(() -> new ClusterAccess(null, exec, deadline)).withMessage("probe");
        assertThatNullPointerException().isThrownBy(() -> new ClusterAccess(NO_PROBE, null, deadline))
                .withMessage("exec");
        assertThatNullPointerException().isThrownBy(() -> new ClusterAccess(NO_PROBE, exec, null))
                .withMessage("deadline");
    }

    @Test
    void theUnavailableExecFailsEveryCommandAtOnceWithAnIoError() {
        // Given a controller that cannot exec into pods
        PodExec exec = PodExec.unavailable();

        // When a provider runs a command
        CompletableFuture<PodExec.Result> result = exec.exec(MEMBER, "master", List.of("true"), Duration.ofSeconds(1));

        // Then the future has already failed, saying exec is not available
        assertThat(result).isCompletedExceptionally();
        assertThat(result).failsWithin(Duration.ZERO).withThrowableThat()
                .havingCause()
                .isInstanceOf(IOException.class)
                .withMessage("pod exec is not available to this controller");
    }

    @Test
    void answersWithoutTextCannotBeMade() {
        assertThatNullPointerException().isThrownBy(() -> new MemberProbe.Response(200, null)).withMessage("body");
        assertThatNullPointerException().isThrownBy(() -> new PodExec.Result(0, null, "")).withMessage("stdout");
        assertThatNullPointerException().isThrownBy(() -> new PodExec.Result(0, "", null)).withMessage("stderr");
    }
}
