package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Finds the leading Alluxio master by asking every member, at once, for its own role.
 *
 * <ol>
 *   <li>HTTP: {@code GET} {@value WebOverview#PATH} on each member's web port. A member is leader only if it
 *       says LEADER itself and a majority stands behind it: a follower that names another member as its leader
 *       ({@code leaderId}, mapped to the plan's journal addresses) counts against it; health follows
 *       {@link LeaderStatus#fromAnswers}. A member that does not answer within the access deadline is
 *       UNREACHABLE and delays nothing beyond that deadline.</li>
 *   <li>Only if no member told its role over HTTP: Alluxio's CLI, one command at a time and with its own
 *       deadline ({@link ExecFallback}).</li>
 * </ol>
 * Addresses in command output are matched against the plan's journal and rpc addresses: a leader that is not
 * a configured member is never named (the health is then UNKNOWN). Text that is not understood gives UNKNOWN
 * with an excerpt of it in the detail; every answer is read in one pass and capped, so its size costs no more
 * than reading it. {@link #discover()} never throws for anything a member does and returns within one access
 * deadline when any member tells its role over HTTP, and otherwise within one access deadline plus two
 * {@linkplain ExecFallback#COMMAND_DEADLINE command deadlines}, however the members behave.
 */
public final class AlluxioLeaderDiscovery implements LeaderDiscovery {

    private final List<Member> members;
    private final int webPort;
    private final List<HostAndPort> journalAddresses;
    private final ClusterAccess access;
    private final String httpMethod;
    private final ExecFallback fallback;

    /** A discovery of {@code spec}'s masters through {@code access}. The spec must be valid for Alluxio. */
    public AlluxioLeaderDiscovery(HaSpec spec, ClusterAccess access) {
        this(spec, access, ExecFallback.COMMAND_DEADLINE);
    }

    /** As above, with another deadline for each fallback command (tests of scripted pods). */
    AlluxioLeaderDiscovery(HaSpec spec, ClusterAccess access, Duration commandDeadline) {
        AlluxioNames names = new AlluxioNames(spec);
        AlluxioPorts ports = AlluxioPorts.of(spec);
        this.members = names.members();
        this.webPort = ports.web();
        this.journalAddresses = names.addresses(ports.journal());
        this.access = access;
        this.httpMethod = "GET :" + webPort + WebOverview.PATH;
        this.fallback = new ExecFallback(spec.namespace() + "/" + spec.name(), members, journalAddresses,
                names.addresses(ports.rpc()), access.exec(), commandDeadline);
    }

    @Override
    public LeaderStatus discover() {
        long start = System.nanoTime();
        List<MemberAnswer> http = askEveryMemberOverHttp();
        String method = "http " + httpMethod + " on every member";
        if (http.stream().anyMatch(a -> a.role() == Role.LEADER || a.role() == Role.FOLLOWER)) {
            return LeaderStatus.fromAnswers(http, method, since(start));
        }
        ExecFallback.Outcome cli = fallback.ask(fallbackOrder(http), start);
        return cli.status().orElseGet(() -> LeaderStatus.fromAnswers(http, method + "; no member told its role,"
                + " and the CLI gave no answer: " + cli.note(), since(start)));
    }

    /** Every member's answer, asked in parallel; each future is bounded by the deadline, so this is too. */
    private List<MemberAnswer> askEveryMemberOverHttp() {
        List<CompletableFuture<MemberAnswer>> answers = members.stream().map(this::askOverHttp).toList();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<MemberAnswer> askOverHttp(Member member) {
        long start = System.nanoTime();
        return bounded(() -> access.probe().get(member, webPort, WebOverview.PATH, access.deadline()))
                .handle((response, error) -> {
                    if (error != null) {
                        return new MemberAnswer(member, Role.UNREACHABLE, httpMethod, since(start), reason(error));
                    }
                    WebOverview.Reading reading = WebOverview.read(response);
                    Optional<Member> follows = reading.follows().flatMap(this::memberAt);
                    String detail = reading.follows().isPresent() && follows.isEmpty()
                            ? "leaderId " + reading.follows().get() + " is not a configured journal address"
                            : reading.detail();
                    return new MemberAnswer(member, reading.role(), httpMethod, since(start), detail, follows);
                });
    }

    private Optional<Member> memberAt(HostAndPort journalAddress) {
        for (int i = 0; i < journalAddresses.size(); i++) {
            if (MemberAddress.same(journalAddresses.get(i), journalAddress)) {
                return Optional.of(members.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Members that answered HTTP somehow (an error page, a refusal) first: their pods run; those that kept
     * silent last, since a frozen pod would hold a command as long as a probe.
     */
    private static List<Member> fallbackOrder(List<MemberAnswer> http) {
        return http.stream()
                .sorted(Comparator.comparing((MemberAnswer a) -> a.detail().startsWith("no answer within"))
                        .thenComparingInt(a -> a.member().ordinal()))
                .map(MemberAnswer::member)
                .toList();
    }

    /**
     * The future {@code call} returns, failed if the call throws and failed with a timeout at the deadline
     * whatever the callee does with its own future: the controller's ports are not trusted to keep time.
     */
    private <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (future == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the controller's port returned no future"));
        }
        return future.copy().orTimeout(access.deadline().toNanos(), TimeUnit.NANOSECONDS);
    }

    private String reason(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // The probe's own deadline and the HTTP client's request timeout both mean the member kept silent.
        if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + access.deadline().toMillis() + " ms";
        }
        return Excerpt.of(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
