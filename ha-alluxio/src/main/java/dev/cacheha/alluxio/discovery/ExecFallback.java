package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Discovery through Alluxio's CLI when no member told its role over HTTP: {@code alluxio fsadmin journal quorum
 * info -domain MASTER}, then, failing that, {@code alluxio fs masterInfo}, one command at a time.
 *
 * <p>Each command starts a JVM in the pod, which takes 0.8-3 s on a small machine (measured with the local
 * quorum, see docs/reliability.md), and 9-29 s on an overloaded one: far more than an HTTP probe's deadline.
 * So a command gets its own deadline, {@link #COMMAND_DEADLINE}, and carries {@code timeout -s KILL <seconds>}
 * in its argument vector, so that it dies in the pod too when the controller stops waiting (coreutils and
 * BusyBox 1.30 or later both read that form; the image must have one of them, as Alluxio's images do). A
 * runtime never has more than one fallback command running: a discovery that finds one still running (another
 * thread's, or one whose caller gave up) reports that instead of starting another JVM in a pod that is already
 * short of breath.
 */
final class ExecFallback {

    /**
     * A CLI call took 0.8-0.9 s on a quiet 2-core machine, 2.5-3.4 s at a load average of about 44, 9-14 s at
     * 40-60 with two burning loops, and up to 29 s at 60 (measured by LeaderDiscoveryOnRealQuorumTest).
     */
    static final Duration COMMAND_DEADLINE = Duration.ofSeconds(30);
    /** How much earlier than the controller's deadline the pod kills the command, so its exit is still seen. */
    private static final Duration KILL_MARGIN = Duration.ofSeconds(2);

    static final List<String> QUORUM_INFO =
            List.of("alluxio", "fsadmin", "journal", "quorum", "info", "-domain", "MASTER");
    static final List<String> MASTER_INFO = List.of("alluxio", "fs", "masterInfo");

    /** Runtimes ({@code namespace/name}) with a fallback command running, and until when it can run at most. */
    private static final Map<String, Long> RUNNING = new ConcurrentHashMap<>();

    private final String runtime;
    private final List<Member> members;
    private final List<HostAndPort> journalAddresses;
    private final List<HostAndPort> rpcAddresses;
    private final PodExec exec;
    private final Duration commandDeadline;

    ExecFallback(String runtime, List<Member> members, List<HostAndPort> journalAddresses,
            List<HostAndPort> rpcAddresses, PodExec exec, Duration commandDeadline) {
        if (commandDeadline.isNegative() || commandDeadline.isZero()) {
            throw new IllegalArgumentException("command deadline must be positive: " + commandDeadline);
        }
        this.runtime = runtime;
        this.members = List.copyOf(members);
        this.journalAddresses = List.copyOf(journalAddresses);
        this.rpcAddresses = List.copyOf(rpcAddresses);
        this.exec = exec;
        this.commandDeadline = commandDeadline;
    }

    /**
     * The argument vector that runs {@code command} and has the pod kill it before the controller gives up: with
     * the default deadline of 30 s the pod kills it after 28 s. ({@code timeout} counts whole seconds; a deadline
     * under three seconds, which only scripted tests use, still gives the pod one.)
     */
    List<String> inPod(List<String> command) {
        long seconds = Math.max(1, commandDeadline.minus(KILL_MARGIN).toSeconds());
        return Stream.concat(Stream.of("timeout", "-s", "KILL", Long.toString(seconds)), command.stream()).toList();
    }

    /**
     * What the CLI says, asking members in the order given (those most likely to run a command first), or
     * why it says nothing. Returns within two command deadlines.
     *
     * @param order the members to try, best first
     * @param discoveryStart when the discovery began, for the status's elapsed time
     */
    Outcome ask(List<Member> order, long discoveryStart) {
        long until = System.nanoTime() + commandDeadline.multipliedBy(2).toNanos();
        Outcome quorumInfo = firstAnswer(QUORUM_INFO, QuorumInfo::parse, this::fromQuorumInfo, order, until,
                discoveryStart);
        if (quorumInfo.status().isPresent() || quorumInfo.busy()) {
            return quorumInfo;
        }
        Outcome masterInfo = firstAnswer(MASTER_INFO, MasterInfo::parse, this::fromMasterInfo, order, until,
                discoveryStart);
        return masterInfo.status().isPresent() ? masterInfo
                : new Outcome(Optional.empty(), quorumInfo.note() + "; " + masterInfo.note(), masterInfo.busy());
    }

    /**
     * The fallback's answer, or why there is none.
     *
     * @param status the status the CLI gave
     * @param note what was tried, when there is no status
     * @param busy whether nothing ran because another fallback command of the runtime still runs
     */
    record Outcome(Optional<LeaderStatus> status, String note, boolean busy) {
        static Outcome nothing(String note, boolean busy) {
            return new Outcome(Optional.empty(), note, busy);
        }
    }

    /** One command in one pod: what it printed, or why it did not run to its end. */
    private record Attempt(Optional<PodExec.Result> result, String failure, boolean busy) {}

    private <T> Outcome firstAnswer(List<String> command, Function<String, Optional<T>> parser, ToStatus<T> toStatus,
            List<Member> order, long until, long discoveryStart) {
        String argv = "`" + String.join(" ", command) + "`";
        List<String> failures = new ArrayList<>();
        for (Member member : order) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                failures.add("the fallback's " + commandDeadline.multipliedBy(2).toSeconds() + " s were spent");
                break;
            }
            long start = System.nanoTime();
            Attempt attempt = runAlone(member, command, Math.min(left, commandDeadline.toNanos()));
            if (attempt.busy()) {
                return Outcome.nothing(attempt.failure(), true);
            }
            if (attempt.result().isEmpty()) {
                // The pod could not run it (gone, frozen): another pod may.
                failures.add(attempt.failure());
                continue;
            }
            PodExec.Result result = attempt.result().get();
            Optional<T> parsed = result.exitCode() == 0 ? parser.apply(result.stdout()) : Optional.empty();
            if (parsed.isPresent()) {
                Ran ran = new Ran(member, command, Duration.ofNanos(System.nanoTime() - start), discoveryStart);
                return new Outcome(Optional.of(toStatus.apply(parsed.get(), ran)), "", false);
            }
            // The CLI ran and gave no answer it could be trusted with: it would say the same in the other pods.
            failures.add(argv + " in " + member.podName() + " exited " + result.exitCode() + ": "
                    + Excerpt.of(result.stdout() + result.stderr()));
            break;
        }
        return Outcome.nothing(String.join("; ", failures), false);
    }

    /** Runs one command unless the runtime already has one running. */
    private Attempt runAlone(Member member, List<String> command, long deadlineNanos) {
        String argv = "`" + String.join(" ", command) + "`";
        long now = System.nanoTime();
        long diesBy = now + deadlineNanos;
        boolean[] mine = {false};
        RUNNING.compute(runtime, (key, running) -> {
            if (running != null && running - now > 0) {
                return running;
            }
            mine[0] = true;
            return diesBy;
        });
        if (!mine[0]) {
            return new Attempt(Optional.empty(), "a fallback command of runtime " + runtime
                    + " is still running; no other is started", true);
        }
        Duration deadline = Duration.ofNanos(deadlineNanos);
        CompletableFuture<PodExec.Result> run;
        try {
            run = exec.exec(member, AlluxioNames.CONTAINER, inPod(command), deadline);
        } catch (RuntimeException e) {
            run = CompletableFuture.failedFuture(e);
        }
        if (run == null) {
            run = CompletableFuture.failedFuture(new IllegalStateException("the controller's exec returned no future"));
        }
        // If this thread is interrupted, the runtime is freed when the command ends or its deadline passes.
        run.copy().orTimeout(deadlineNanos, TimeUnit.NANOSECONDS)
                .whenComplete((result, error) -> RUNNING.remove(runtime, diesBy));
        try {
            Attempt attempt = new Attempt(Optional.of(run.get(deadlineNanos, TimeUnit.NANOSECONDS)), "", false);
            RUNNING.remove(runtime, diesBy);
            return attempt;
        } catch (TimeoutException e) {
            // The pod's own timeout killed it before this deadline: the runtime is free for the next command.
            RUNNING.remove(runtime, diesBy);
            return new Attempt(Optional.empty(), argv + " in " + member.podName() + " did not finish within "
                    + deadline.toMillis() + " ms", false);
        } catch (ExecutionException e) {
            RUNNING.remove(runtime, diesBy);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Attempt(Optional.empty(), argv + " could not run in " + member.podName() + ": "
                    + Excerpt.of(cause.getClass().getSimpleName() + ": " + cause.getMessage()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(Optional.empty(), "interrupted while " + argv + " ran in " + member.podName(), false);
        }
    }

    @FunctionalInterface
    private interface ToStatus<T> {
        LeaderStatus apply(T parsed, Ran ran);
    }

    /** Where and how a command's answer came from. */
    private record Ran(Member member, List<String> command, Duration latency, long discoveryStart) {
        String method() {
            return "exec `" + String.join(" ", command) + "` in " + member.podName()
                    + " (http: no member told its role)";
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - discoveryStart);
        }
    }

    private LeaderStatus fromQuorumInfo(QuorumInfo info, Ran ran) {
        List<MemberAnswer> answers = new ArrayList<>();
        String method = String.join(" ", ran.command());
        for (int i = 0; i < members.size(); i++) {
            HostAndPort address = journalAddresses.get(i);
            Role role;
            String detail;
            if (MemberAddress.same(address, info.leader())) {
                role = Role.LEADER;
                detail = "quorum leader";
            } else {
                Optional<QuorumInfo.Server> row = info.servers().stream()
                        .filter(server -> MemberAddress.same(server.address(), address))
                        .findFirst();
                role = row.map(server -> server.available() ? Role.FOLLOWER : Role.UNREACHABLE).orElse(Role.UNKNOWN);
                detail = row.map(server -> server.available() ? "AVAILABLE" : "UNAVAILABLE")
                        .orElse("not in the quorum table");
            }
            answers.add(new MemberAnswer(members.get(i), role, method, ran.latency(), detail));
        }
        if (journalAddresses.stream().noneMatch(address -> MemberAddress.same(address, info.leader()))) {
            return foreignLeader(answers, "quorum leader " + info.leader() + " is not a configured journal address",
                    ran);
        }
        return LeaderStatus.fromAnswers(answers, ran.method(), ran.elapsed());
    }

    /**
     * {@code fs masterInfo} names the leader and nothing about the others, so they are UNKNOWN. A leader that
     * serves was elected by a majority, so the quorum is at least DEGRADED; that is all this answer can say.
     */
    private LeaderStatus fromMasterInfo(MasterInfo info, Ran ran) {
        String method = String.join(" ", ran.command());
        if (members.size() == 1) {
            // With one rpc address the client echoes it without asking the master: it proves nothing.
            List<MemberAnswer> unknown = List.of(new MemberAnswer(members.get(0), Role.UNKNOWN, method, ran.latency(),
                    "with a single master, fs masterInfo echoes the configured address without asking it"));
            return new LeaderStatus(Optional.empty(), Health.UNKNOWN, unknown, ran.method()
                    + "; a single master's own address proves nothing", ran.elapsed(),
                    "a single master's own address proves nothing");
        }
        Optional<Integer> leader = info.leader().flatMap(address -> indexOf(rpcAddresses, address));
        List<MemberAnswer> answers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            boolean leads = leader.isPresent() && leader.get() == i;
            answers.add(new MemberAnswer(members.get(i), leads ? Role.LEADER : Role.UNKNOWN, method, ran.latency(),
                    leads ? "current leader master" : info.leader().isPresent()
                            ? "fs masterInfo tells nothing of standbys"
                            : "fs masterInfo found no leader"));
        }
        if (info.leader().isPresent() && leader.isEmpty()) {
            return foreignLeader(answers, "leader " + info.leader().get() + " is not a configured rpc address", ran);
        }
        if (leader.isEmpty()) {
            return LeaderStatus.fromAnswers(answers, ran.method(), ran.elapsed());
        }
        return new LeaderStatus(Optional.of(members.get(leader.get())), Health.DEGRADED, answers,
                ran.method() + "; standbys unknown", ran.elapsed(),
                "Alluxio's client found " + members.get(leader.get()).podName()
                        + " serving; it tells nothing of standbys");
    }

    private LeaderStatus foreignLeader(List<MemberAnswer> answers, String why, Ran ran) {
        List<MemberAnswer> noted = answers.stream()
                .map(a -> new MemberAnswer(a.member(), a.role() == Role.LEADER ? Role.UNKNOWN : a.role(), a.method(),
                        a.latency(), a.detail()))
                .toList();
        return new LeaderStatus(Optional.empty(), Health.UNKNOWN, noted, ran.method() + "; " + why, ran.elapsed(), why);
    }

    private static Optional<Integer> indexOf(List<HostAndPort> addresses, HostAndPort address) {
        for (int i = 0; i < addresses.size(); i++) {
            if (MemberAddress.same(addresses.get(i), address)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
