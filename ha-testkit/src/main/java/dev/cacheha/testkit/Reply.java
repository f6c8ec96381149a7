package dev.cacheha.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * How a scripted member answers one request: with a value (at once or after a delay), never, or with a
 * failure. Used by {@link ScriptedMemberProbe} ({@code T} is an HTTP response) and {@link ScriptedPodExec}
 * ({@code T} is a command's result).
 *
 * @param <T> what an answer carries
 */
public sealed interface Reply<T> permits Reply.Answer, Reply.Hang, Reply.Failure {

    /** Answers {@code value} at once. */
    static <T> Reply<T> of(T value) {
        return new Answer<>(value, Duration.ZERO);
    }

    /** Answers {@code value} after {@code delay}, as a slow but healthy member would. */
    static <T> Reply<T> after(Duration delay, T value) {
        return new Answer<>(value, delay);
    }

    /** Never answers: the future stays incomplete until the fake is closed, as with a frozen JVM. */
    static <T> Reply<T> hang() {
        return new Hang<>();
    }

    /** Fails with {@code cause}. */
    static <T> Reply<T> fail(Throwable cause) {
        return new Failure<>(cause);
    }

    /** Fails as a member whose port is closed does. */
    static <T> Reply<T> refused() {
        return fail(new ConnectException("Connection refused"));
    }

    /** Fails as a member that drops the connection mid-answer does. */
    static <T> Reply<T> reset() {
        return fail(new SocketException("Connection reset"));
    }

    /** Fails as a pod whose container is not running does when asked to run a command. */
    static <T> Reply<T> containerGone() {
        return fail(new IOException("container not found"));
    }

    /** This reply with its value rewritten by {@code rewrite}; hangs and failures are unchanged. */
    Reply<T> map(UnaryOperator<T> rewrite);

    /**
     * An answer.
     *
     * @param value what the member answers
     * @param delay how long it takes; zero for at once
     */
    record Answer<T>(T value, Duration delay) implements Reply<T> {
        public Answer {
            requireNonNull(value, "value");
            requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative: " + delay);
            }
        }

        @Override
        public Reply<T> map(UnaryOperator<T> rewrite) {
            return new Answer<>(rewrite.apply(value), delay);
        }
    }

    /** No answer, ever. */
    record Hang<T>() implements Reply<T> {
        @Override
        public Reply<T> map(UnaryOperator<T> rewrite) {
            return this;
        }
    }

    /**
     * A failed request.
     *
     * @param cause what the caller's future fails with
     */
    record Failure<T>(Throwable cause) implements Reply<T> {
        public Failure {
            requireNonNull(cause, "cause");
        }

        @Override
        public Reply<T> map(UnaryOperator<T> rewrite) {
            return this;
        }
    }
}
