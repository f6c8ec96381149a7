package dev.cacheha.examples.jindo;

import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Asks every Jindo master for its raft role, all at once, each within the access deadline.
 *
 * <p><b>Assumption, not verified against Jindo binaries:</b> {@value #COMMAND_TEXT}, run in the master
 * container, exits 0 and prints one line {@code Role: LEADER} or {@code Role: FOLLOWER} (any case, spaces
 * around the colon allowed) for the master it runs on. Anything else (no such line, two contradicting lines,
 * a non-zero exit) is {@link Role#UNKNOWN}: a member that does not say clearly is never taken for a leader.
 * If a Jindo release prints its role differently, only {@link #COMMAND} and {@link #ROLE_LINE} change.
 */
final class JindoLeaderDiscovery implements LeaderDiscovery {

    static final String COMMAND_TEXT = "jindo admin -report";
    /** The command that prints the member's own raft role. */
    static final List<String> COMMAND = List.of(COMMAND_TEXT.split(" "));
    /** A line that states the member's role. */
    static final Pattern ROLE_LINE = Pattern.compile("^\\s*role\\s*:\\s*(leader|follower)\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private static final String METHOD = "exec " + COMMAND_TEXT;
    private static final int DETAIL_LIMIT = 120;

    private final List<Member> members;
    private final ClusterAccess access;

    JindoLeaderDiscovery(List<Member> members, ClusterAccess access) {
        this.members = List.copyOf(members);
        this.access = access;
    }

    @Override
    public LeaderStatus discover() {
        long start = System.nanoTime();
        List<CompletableFuture<MemberAnswer>> asked = members.stream().map(this::ask).toList();
        List<MemberAnswer> answers = asked.stream().map(CompletableFuture::join).toList();
        return LeaderStatus.fromAnswers(answers, "exec", Duration.ofNanos(System.nanoTime() - start));
    }

    /** Never fails: every way a member can misbehave becomes an answer. */
    private CompletableFuture<MemberAnswer> ask(Member member) {
        long start = System.nanoTime();
        CompletableFuture<PodExec.Result> run;
        try {
            run = access.exec().exec(member, JindoMasters.CONTAINER, COMMAND, access.deadline());
        } catch (RuntimeException refused) {
            run = CompletableFuture.failedFuture(refused);
        }
        return run.copy()
                .orTimeout(access.deadline().toNanos(), TimeUnit.NANOSECONDS)
                .handle((result, failure) -> {
                    Duration latency = Duration.ofNanos(System.nanoTime() - start);
                    if (failure != null) {
                        return new MemberAnswer(member, Role.UNREACHABLE, METHOD, latency, describe(failure));
                    }
                    Role role = role(result);
                    String detail = role == Role.UNKNOWN
                            ? "exit " + result.exitCode() + ": " + printable(result.stdout())
                            : "";
                    return new MemberAnswer(member, role, METHOD, latency, detail);
                });
    }

    /** The role a command's result states, or UNKNOWN unless it ran cleanly and states exactly one. */
    static Role role(PodExec.Result result) {
        if (result.exitCode() != 0) {
            return Role.UNKNOWN;
        }
        Set<String> stated = ROLE_LINE.matcher(result.stdout()).results()
                .map(match -> match.group(1).toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return stated.size() == 1 ? Role.valueOf(stated.iterator().next()) : Role.UNKNOWN;
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        return cause instanceof TimeoutException
                ? "no answer within " + access.deadline()
                : printable(String.valueOf(cause));
    }

    /** Shortens and escapes what a member printed, so a detail stays one short line. */
    private static String printable(String text) {
        String shown = text.length() > DETAIL_LIMIT ? text.substring(0, DETAIL_LIMIT) + "..." : text;
        return shown.codePoints()
                .mapToObj(c -> Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c))
                .collect(Collectors.joining());
    }
}
