package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe.Response;
import dev.cacheha.spi.PodExec.Result;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScriptedClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private final Member first = new Member(0, "ns", "m-0", "m-0.m.ns.svc.cluster.local");
    private final Member second = new Member(1, "ns", "m-1", "m-1.m.ns.svc.cluster.local");

    @Test
    void aHangingRequestIsReleasedWhenTheClusterCloses() {
        // Given a member that never answers
        ScriptedCluster cluster = new ScriptedCluster(List.of(first));
        cluster.hang(first);
        CompletableFuture<Response> request = cluster.probe().get(first, 80, "/", DEADLINE);
        assertThat(request).isNotDone();

        // When the cluster closes
        cluster.close();

        // Then the request fails instead of waiting forever
        assertThat(request).isCompletedExceptionally();
        assertThatThrownBy(request::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void theLongestScriptedPrefixOfACommandAnswers() {
        try (ScriptedCluster cluster = new ScriptedCluster(List.of(first))) {
            cluster.exec().answer(first, List.of("tool"), Reply.of(new Result(0, "general", "")));
            cluster.exec().answer(first, List.of("tool", "report"), Reply.of(new Result(0, "report", "")));

            assertThat(cluster.exec().exec(first, "c", List.of("tool", "report", "-v"), DEADLINE))
                    .isCompletedWithValueMatching(result -> result.stdout().equals("report"));
            assertThat(cluster.exec().exec(first, "c", List.of("tool", "other"), DEADLINE))
                    .isCompletedWithValueMatching(result -> result.stdout().equals("general"));
        }
    }

    @Test
    void anUnscriptedRequestFailsLikeAnUnknownEndpoint() {
        try (ScriptedCluster cluster = new ScriptedCluster(List.of(first, second))) {
            cluster.probe().answer(first, "/role", Reply.of(new Response(200, "x")));

            assertThat(cluster.probe().get(first, 80, "/other", DEADLINE)).failsWithin(Duration.ZERO)
                    .withThrowableThat().withCauseInstanceOf(IOException.class);
            assertThat(cluster.probe().get(second, 80, "/role", DEADLINE)).failsWithin(Duration.ZERO)
                    .withThrowableThat().withCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void garblingAndFailingRewriteWhatAMemberWasScriptedToSay() {
        try (ScriptedCluster cluster = new ScriptedCluster(List.of(first, second))) {
            cluster.probe().answer(first, "/role", Reply.of(new Response(200, "LEADER")));
            cluster.probe().answer(second, "/role", Reply.of(new Response(200, "LEADER")));

            cluster.garble(first, "???");
            cluster.fail(second);

            assertThat(cluster.probe().get(first, 80, "/role", DEADLINE))
                    .isCompletedWithValue(new Response(200, "???"));
            assertThat(cluster.probe().get(second, 80, "/role", DEADLINE))
                    .isCompletedWithValue(new Response(500, "LEADER"));
        }
    }

    @Test
    void aDownMemberRefusesAndADelayedOneAnswersLater() {
        try (ScriptedCluster cluster = new ScriptedCluster(List.of(first, second))) {
            cluster.down(first);
            cluster.probe().answer(second, "/role", Reply.after(Duration.ofMillis(50), new Response(200, "ok")));

            CompletableFuture<Response> delayed = cluster.probe().get(second, 80, "/role", DEADLINE);

            assertThat(cluster.probe().get(first, 80, "/role", DEADLINE)).failsWithin(Duration.ZERO)
                    .withThrowableThat().withCauseInstanceOf(ConnectException.class);
            assertThat(delayed).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(new Response(200, "ok"));
        }
    }
}
