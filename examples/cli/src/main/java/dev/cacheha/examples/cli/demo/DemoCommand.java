package dev.cacheha.examples.cli.demo;

import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.examples.cli.BuildVersion;
import dev.cacheha.examples.cli.CacheHaCommand;
import dev.cacheha.examples.cli.DurationConverter;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.examples.cli.leader.LeaderReport;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cache-ha demo}: the Alluxio provider's plan running as a real quorum on this machine, and a failover
 * watched through the provider's own leader discovery.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = {
            "Starts a real 3-master Alluxio 2.9.6 quorum on this machine from the alluxio provider's plan (each"
                    + " master a separate JVM on localhost, with its own free ports and temporary directories),"
                    + " shows the leader and the members, creates a directory, kills the leader with SIGKILL,"
                    + " shows the new leader and how long detecting it took, and shows that the directory"
                    + " survived.",
            "Then it stops every master and deletes every temporary file, also when interrupted (Ctrl-C): a"
                    + " shutdown hook does the same. Needs about 1 GB of memory."
        },
        subcommands = BackupRestoreDemoCommand.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the failover happened and the directory survived; nothing is left running",
            "1:a step failed or timed out (the masters' log tails are printed); everything was still stopped"
        })
public final class DemoCommand implements Callable<Integer> {

    /** Each Alluxio CLI call is a JVM start (1-3 s); this leaves room for a loaded machine and a retry. */
    private static final Duration CLI_DEADLINE = Duration.ofSeconds(60);
    private static final int REPLICAS = 3;

    @ParentCommand
    private CacheHaCommand root;

    @Option(names = "--timeout", defaultValue = "180s", converter = DurationConverter.class,
            description = "How long the masters may take to elect the first leader with every member answering"
                    + " (HEALTHY), and again to elect a new one after the kill (default: ${DEFAULT-VALUE});"
                    + " from 1ms to 1 hour.")
    private Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = root.out();
        HighAvailabilityProvider alluxio = root.providers().get(AlluxioNames.ENGINE);
        HaSpec spec = HaSpec.builder("demo", "default")
                .replicas(REPLICAS)
                .journal(JournalStorage.disk("1Gi"))
                .build(alluxio);
        HaPlan plan = alluxio.plan(spec);
        AlluxioClasspath classpath = AlluxioClasspath.fromResource(DemoCommand.class.getClassLoader());
        say(out, "plan of runtime demo: " + plan.objects().stream()
                .map(o -> o.getKind() + " " + o.getMetadata().getName())
                .collect(Collectors.joining(", ")) + "; " + plan.properties().size() + " engine properties");
        say(out, "starting " + REPLICAS + " masters (separate JVMs on localhost, from that plan)...");

        Path temporaryRoot;
        boolean survived;
        try (LocalAlluxioQuorum quorum = LocalAlluxioQuorum.start(spec, classpath)) {
            temporaryRoot = quorum.root();
            // The quorum's own shutdown hook kills the masters on Ctrl-C; this one tells the person why it stops.
            Thread interrupted = new Thread(() -> say(out, "interrupted: stopping every master and deleting "
                    + quorum.root()), "demo interrupted");
            Runtime.getRuntime().addShutdownHook(interrupted);
            try {
                survived = failOver(quorum, out);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(interrupted);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C came first: the hook has run or runs now, which is what it is for.
                }
            }
            say(out, "stopping the masters and deleting " + temporaryRoot + "...");
        }
        if (!nothingLeftBehind(out, temporaryRoot)) {
            return ExitCodes.FAILURE;
        }
        return survived ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    /** Says whether a quorum's JVMs and its root are gone, and if not, what is left. */
    static boolean nothingLeftBehind(PrintWriter out, Path temporaryRoot) {
        List<ProcessHandle> leftovers = LocalAlluxioQuorum.runningProcesses().stream()
                .filter(process -> process.info().commandLine().orElse("").contains(temporaryRoot.toString()))
                .toList();
        if (!leftovers.isEmpty() || Files.exists(temporaryRoot)) {
            say(out, "left behind: processes " + leftovers.stream().map(ProcessHandle::pid).toList()
                    + (Files.exists(temporaryRoot) ? ", directory " + temporaryRoot : ""));
            return false;
        }
        say(out, "done: no master process left, " + temporaryRoot + " deleted");
        return true;
    }

    /** The root command, for the scenarios below {@code demo}. */
    CacheHaCommand root() {
        return root;
    }

    /** Elects, writes, kills the leader, waits for the next one and reads back; whether the write survived. */
    private boolean failOver(LocalAlluxioQuorum quorum, PrintWriter out) {
        long startedAt = System.nanoTime();
        LeaderStatus elected = quorum.awaitLeader(timeout);
        say(out, "leader elected after " + seconds(System.nanoTime() - startedAt) + " ("
                + elected.leader().orElseThrow().podName() + ", health " + elected.health() + ")");
        // A member that has just started may miss its first deadline while the leader already serves; the
        // failover is only shown from a quorum where every member answered, within what is left of the budget.
        Duration left = timeout.minusNanos(System.nanoTime() - startedAt);
        LeaderStatus first = quorum.await(status -> status.health() == LeaderStatus.Health.HEALTHY,
                "every member answering (HEALTHY)", left.isNegative() ? Duration.ZERO : left);
        int leader = first.leader().orElseThrow().ordinal();
        say(out, "waited until every member answered and one leads (HEALTHY), "
                + seconds(System.nanoTime() - startedAt) + " after the start:");
        table(out, quorum, first);

        String directory = "/demo-" + System.currentTimeMillis();
        PodExec.Result created = quorum.alluxio(leader, CLI_DEADLINE, "fs", "mkdir", directory);
        if (created.exitCode() != 0) {
            throw new IllegalStateException("alluxio fs mkdir " + directory + " failed with exit code "
                    + created.exitCode() + ": " + created.stdout() + created.stderr());
        }
        say(out, "created " + directory + " (alluxio fs mkdir in " + podName(quorum, leader) + ")");

        say(out, "killing leader " + leader + " (" + podName(quorum, leader) + ") with SIGKILL");
        quorum.kill(leader);
        long killedAt = System.nanoTime();
        LeaderStatus next = quorum.await(
                status -> status.leader().filter(member -> member.ordinal() != leader).isPresent(),
                "new leader after killing member " + leader, timeout);
        int newLeader = next.leader().orElseThrow().ordinal();
        say(out, "new leader " + newLeader + " (" + podName(quorum, newLeader) + ") detected in "
                + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
        table(out, quorum, next);

        PodExec.Result listed = quorum.alluxio(newLeader, CLI_DEADLINE, "fs", "ls", "/");
        boolean survived = listed.exitCode() == 0 && listed.stdout().lines().anyMatch(line -> line.endsWith(directory));
        say(out, survived
                ? "directory " + directory + " survived the failover (alluxio fs ls / in "
                        + podName(quorum, newLeader) + ")"
                : "directory " + directory + " is MISSING after the failover: alluxio fs ls / exited "
                        + listed.exitCode() + " with\n" + listed.stdout() + listed.stderr());
        return survived;
    }

    static void table(PrintWriter out, LocalAlluxioQuorum quorum, LeaderStatus status) {
        LeaderReport report = new LeaderReport(AlluxioNames.ENGINE, status, ordinal -> podName(quorum, ordinal)
                + " localhost:" + quorum.mapping().localPorts(ordinal).web());
        out.println("  " + report.leaderLine());
        report.memberTable().forEach(line -> out.println("  " + line));
        out.flush();
    }

    static String podName(LocalAlluxioQuorum quorum, int ordinal) {
        Member member = quorum.member(ordinal);
        return member.podName();
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** One progress line, flushed at once so that a person watching sees each step as it happens. */
    static void say(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
