package dev.cacheha.toolkit.discovery;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.Printable;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks every member of a quorum at once for its own role, each within one deadline, and judges the answers with
 * {@link LeaderStatus#fromAnswers}: the discovery every raft engine needs, with only the call and the reading of
 * its answer left to the engine.
 *
 * <pre>{@code
 * LeaderStatus status = new MemberFanOut(names.members(), access.deadline()).discover("exec engine role",
 *         member -> access.exec().exec(member, "engine-master", List.of("engine", "role"), access.deadline()),
 *         result -> MemberFanOut.Reading.of(parseRole(result), ""));
 * }</pre>
 *
 * <p>Every member's clock starts before any member is called: a call that is slow to return its future (a
 * port's first call that builds a client, a provider that parses on the calling thread) runs on its own
 * thread and cannot push any answer past the deadline. A member that throws, returns no future, fails or keeps
 * silent is {@link Role#UNREACHABLE}; reading an answer that throws makes that member {@link Role#UNKNOWN}.
 * {@link #discover} therefore returns within about one deadline, whatever the members and ports do.
 */
public final class MemberFanOut {

    /** Calls are started here, so a blocking call holds up neither the caller nor the other members' calls. */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "cache-ha-member-call");
        thread.setDaemon(true);
        return thread;
    });

    /** Enough of an error to recognise it, short enough for a status detail. */
    private static final int MAX_DETAIL = 300;

    private final List<Member> members;
    private final Duration deadline;

    /**
     * @param members the members to ask, typically every configured member
     * @param deadline how long each member's call may take
     */
    public MemberFanOut(List<Member> members, Duration deadline) {
        this.members = List.copyOf(members);
        this.deadline = requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
    }

    /**
     * What an answer says about its member.
     *
     * @param role the role the member states
     * @param detail a short note for the status: unrecognised text, or empty
     * @param follows for a FOLLOWER whose engine tells, the member it names as leader; it counts against any
     *     other member's claim to lead (see {@link LeaderStatus#fromAnswers})
     * @param unknownLeader for a FOLLOWER that names a leader which is no member (unreadable, ambiguous, or an
     *     address of no member), what it names; it counts against every claim to lead
     */
    public record Reading(Role role, String detail, Optional<Member> follows, Optional<String> unknownLeader) {
        public Reading {
            requireNonNull(role, "role");
            requireNonNull(detail, "detail");
            requireNonNull(follows, "follows");
            requireNonNull(unknownLeader, "unknownLeader");
        }

        /** A reading that names {@code follows} as leader, or no leader when it is empty. */
        public Reading(Role role, String detail, Optional<Member> follows) {
            this(role, detail, follows, Optional.empty());
        }

        /** A reading of {@code role} with {@code detail}, naming no leader. */
        public static Reading of(Role role, String detail) {
            return new Reading(role, detail, Optional.empty());
        }

        /** A FOLLOWER's reading that names {@code leader} as the member it follows. */
        public static Reading followerOf(Member leader, String detail) {
            return new Reading(Role.FOLLOWER, detail, Optional.of(leader));
        }

        /** A FOLLOWER's reading that names {@code unknown}, which is no member, as its leader: a dissent. */
        public static Reading followerOfUnknown(String unknown, String detail) {
            return new Reading(Role.FOLLOWER, detail, Optional.empty(), Optional.of(unknown));
        }
    }

    /**
     * Asks every member with {@code call}, reads each answer with {@code read}, and judges the quorum with
     * {@link LeaderStatus#fromAnswers}; the status's elapsed time counts from before the first call.
     *
     * @param method how the members are asked, for the status and each answer
     */
    public <T> LeaderStatus discover(String method, Function<Member, CompletableFuture<T>> call,
            Function<T, Reading> read) {
        return discover(method, call, (member, value) -> read.apply(value));
    }

    /**
     * {@link #discover(String, Function, Function)} with {@code read} handed the member asked with each answer, for
     * engines whose answer means something only beside who gave it (a follower naming itself as its leader, an
     * answer that names another member's address).
     */
    public <T> LeaderStatus discover(String method, Function<Member, CompletableFuture<T>> call,
            BiFunction<Member, T, Reading> read) {
        long start = System.nanoTime();
        List<MemberAnswer> answers = ask(method, call, read, start);
        return LeaderStatus.fromAnswers(answers, method, since(start));
    }

    /** Every member's answer to {@code call}, read with {@code read}, by ordinal; see the class comment. */
    public <T> List<MemberAnswer> ask(String method, Function<Member, CompletableFuture<T>> call,
            Function<T, Reading> read) {
        return ask(method, call, (member, value) -> read.apply(value), System.nanoTime());
    }

    private <T> List<MemberAnswer> ask(String method, Function<Member, CompletableFuture<T>> call,
            BiFunction<Member, T, Reading> read, long start) {
        // Each clock starts before its call is made, and every call is made on its own thread at once.
        List<CompletableFuture<T>> bounded = members.stream()
                .map(member -> bounded(() -> call.apply(member), deadline))
                .toList();
        List<CompletableFuture<MemberAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            answers.add(bounded.get(i).handle((value, failure) -> {
                Duration latency = since(start);
                if (failure != null) {
                    return new MemberAnswer(member, Role.UNREACHABLE, method, latency, reason(failure));
                }
                try {
                    Reading reading = read.apply(member, value);
                    return new MemberAnswer(member, reading.role(), method, latency, reading.detail(),
                            reading.follows(), reading.unknownLeader());
                } catch (RuntimeException unreadable) {
                    return new MemberAnswer(member, Role.UNKNOWN, method, latency,
                            "could not read the answer: " + describe(unreadable));
                }
            }));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /**
     * The future {@code call} returns, failed if the call throws or returns none, and failed with a
     * {@link TimeoutException} at {@code deadline} whatever the callee does with its own future: the
     * controller's ports are not trusted to keep time. The clock starts before the call is made, and the call
     * is made on a thread of its own, so a call that blocks before returning its future delays nobody.
     */
    public static <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> call, Duration deadline) {
        CompletableFuture<T> answer = new CompletableFuture<T>().orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
        startCall(call).whenComplete((value, failure) -> {
            if (failure == null) {
                answer.complete(value);
            } else {
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    private static <T> CompletableFuture<T> startCall(Supplier<CompletableFuture<T>> call) {
        return CompletableFuture.supplyAsync(() -> {
            CompletableFuture<T> future = call.get();
            if (future == null) {
                throw new IllegalStateException("the controller's port returned no future");
            }
            return future;
        }, CALLS).thenCompose(Function.identity());
    }

    /** Why a member counts as unreachable, in one short line. */
    private String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // The fan-out's own deadline and an HTTP client's request timeout both mean the member kept silent.
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "no answer within " + deadline.toMillis() + " ms";
        }
        return describe(cause);
    }

    private static String describe(Throwable cause) {
        return Printable.excerpt(cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), MAX_DETAIL);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
