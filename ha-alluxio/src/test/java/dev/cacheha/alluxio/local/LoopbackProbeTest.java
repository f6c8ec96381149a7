package dev.cacheha.alluxio.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A member's answer is cut at the probe's limit, so a runaway body cannot fill the controller's memory. */
class LoopbackProbeTest {

    @Test
    void aBodyLargerThanTheLimitIsCutAndTheRestIsNotRead() {
        // Given a body subscriber limited to 10 bytes
        LoopbackProbe.CappedBody body = new LoopbackProbe.CappedBody(10);
        AtomicBoolean cancelled = new AtomicBoolean();
        body.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        });

        // When 12 bytes arrive
        body.onNext(List.of(ByteBuffer.wrap("0123456".getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap("78901".getBytes(StandardCharsets.UTF_8))));

        // Then the first 10 are the body and the stream is cancelled
        assertThat(body.getBody().toCompletableFuture().join()).isEqualTo("0123456789");
        assertThat(cancelled).isTrue();
    }
}
