package dev.cacheha.alluxio.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Measures when a master serves, finer than any probe: asks {@code GET <path>} on a local port every 100 ms,
 * each with a 2 s timeout, and keeps the first answer's time and the longest stretch without an answer.
 */
final class ServingWatch implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long INTERVAL_MILLIS = 100;

    private final Thread thread;
    private final long since;
    private volatile long firstAnswer = -1;
    private volatile long longestSilence;
    private volatile boolean stopped;

    /** Starts watching {@code port} from {@code sinceNanos} ({@link System#nanoTime()}). */
    ServingWatch(int port, String path, long sinceNanos) {
        this.since = sinceNanos;
        URI uri = URI.create("http://localhost:" + port + path);
        thread = new Thread(() -> watch(uri), "serving-watch-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(URI uri) {
        long lastAnswer = since;
        while (!stopped) {
            boolean answered;
            try {
                answered = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException failed) {
                answered = false;
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (answered) {
                if (firstAnswer < 0) {
                    firstAnswer = now;
                }
                lastAnswer = now;
            } else if (firstAnswer >= 0) {
                longestSilence = Math.max(longestSilence, now - lastAnswer);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Milliseconds from the start until the first answer, or -1 if none yet. */
    long millisToFirstAnswer() {
        long first = firstAnswer;
        return first < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - since);
    }

    /** The longest time, in milliseconds, between two answers after the first. */
    long longestSilenceMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestSilence);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
