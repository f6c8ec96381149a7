package dev.cacheha.examples.cli.demo;

import static dev.cacheha.examples.cli.demo.DemoCommand.podName;
import static dev.cacheha.examples.cli.demo.DemoCommand.say;
import static dev.cacheha.examples.cli.demo.DemoCommand.seconds;
import static dev.cacheha.examples.cli.demo.DemoCommand.table;

import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.alluxio.local.LocalRecovery;
import dev.cacheha.examples.cli.DurationConverter;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cache-ha demo backup-restore}: the Alluxio provider's backup and restore plans on a real local quorum
 * that loses its majority.
 */
@Command(
        name = "backup-restore",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a real 3-master Alluxio 2.9.6 quorum on this machine from the alluxio provider's plan, creates"
                    + " files, backs them up on the leader with the provider's backup plan, stops two masters and"
                    + " deletes their journals (the majority is lost), then runs the provider's restore plan step"
                    + " by step and counts the files again. Prints how long each part took.",
            "Then it stops every master and deletes every temporary file. Needs about 1 GB of memory."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file came back from the backup; nothing is left running",
            "1:a step failed or timed out (the masters' log tails are printed); everything was still stopped"
        })
public final class BackupRestoreDemoCommand implements Callable<Integer> {

    private static final Duration CLI_DEADLINE = Duration.ofSeconds(60);
    private static final String DIRECTORY = "/files";

    @ParentCommand
    private DemoCommand demo;

    @Option(names = "--files", defaultValue = "1000",
            description = "How many files to create before the backup (default: ${DEFAULT-VALUE}).")
    private int files;

    @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long each election, file batch and restore step may take (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = demo.root().out();
        HighAvailabilityProvider provider = demo.root().providers().get(AlluxioNames.ENGINE);
        HaSpec spec = HaSpec.builder("backup-demo", "default").replicas(3).journal(JournalStorage.disk("1Gi"))
                .build(provider);
        say(out, "starting 3 masters of runtime backup-demo (separate JVMs on localhost, from the plan)...");
        Path temporaryRoot;
        boolean restored;
        try (LocalAlluxioQuorum quorum = LocalAlluxioQuorum.start(spec,
                AlluxioClasspath.fromResource(BackupRestoreDemoCommand.class.getClassLoader()))) {
            temporaryRoot = quorum.root();
            restored = backUpLoseAndRestore(provider, spec, quorum, out);
            say(out, "stopping the masters and deleting " + temporaryRoot + "...");
        }
        return DemoCommand.nothingLeftBehind(out, temporaryRoot) && restored ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private boolean backUpLoseAndRestore(HighAvailabilityProvider provider, HaSpec spec, LocalAlluxioQuorum quorum,
            PrintWriter out) {
        long startedAt = System.nanoTime();
        LeaderStatus healthy = quorum.await(s -> s.health() == Health.HEALTHY, "all three masters answering",
                timeout);
        say(out, "quorum healthy after " + seconds(System.nanoTime() - startedAt) + ":");
        table(out, quorum, healthy);

        int leader = healthy.leader().orElseThrow().ordinal();
        long createdAt = System.nanoTime();
        quorum.createFiles(leader, DIRECTORY, files, timeout);
        long createNanos = System.nanoTime() - createdAt;
        say(out, "created " + files + " files in " + DIRECTORY + " in " + seconds(createNanos)
                + " (Alluxio client in one JVM)");

        BackupTarget target = new BackupTarget.SharedVolume(quorum.root().resolve("backups").toString());
        BackupPlan plan = provider.planBackup(spec, quorum.discover(Duration.ofSeconds(2)), target);
        say(out, "backing up on leader " + plan.leader().ordinal() + " (" + plan.leader().podName() + "): "
                + String.join(" ", plan.argv()));
        long backupAt = System.nanoTime();
        PodExec.Result result = exec(quorum, plan);
        long backupNanos = System.nanoTime() - backupAt;
        Backup backup = plan.verify(result).orElseThrow(() -> new IllegalStateException("the backup did not"
                + " verify: exit " + result.exitCode() + "\n" + result.stdout() + result.stderr()));
        say(out, "backup written by " + backup.takenBy().podName() + " in " + seconds(backupNanos) + ": "
                + backup.location());

        List<Integer> lost = IntStream.range(0, 3).filter(ordinal -> ordinal != leader).boxed().toList();
        say(out, "losing the majority: stopping members " + lost + " and deleting their journals");
        lost.forEach(quorum::kill);
        lost.forEach(quorum::wipeJournal);
        LeaderStatus noQuorum = quorum.await(s -> s.health() == Health.NO_QUORUM, "no quorum", timeout);
        say(out, "health now " + noQuorum.health() + ": no member can lead");

        // The local quorum's 750 ms election timeouts make a restoring quorum on a loaded machine elect leaders that
        // step down before the backup has loaded, and then withhold their votes; pods run Alluxio's 10-20 s.
        quorum.changeProperties(Map.of("alluxio.master.embedded.journal.election.timeout.min", "3s",
                "alluxio.master.embedded.journal.election.timeout.max", "6s"), Set.of());
        RestorePlan restore = provider.planRestore(spec, backup);
        LocalRecovery recovery = new LocalRecovery(quorum, timeout);
        long restoreAt = System.nanoTime();
        for (int i = 0; i < restore.steps().size(); i++) {
            Step step = restore.steps().get(i);
            Duration took = recovery.run(step);
            say(out, "restore step " + (i + 1) + "/" + restore.steps().size() + " " + step.getClass().getSimpleName()
                    + " (" + took.toMillis() + " ms): " + step.description());
        }
        long restoreNanos = System.nanoTime() - restoreAt;
        LeaderStatus back = quorum.await(s -> s.health() == Health.HEALTHY, "a healthy quorum", timeout);
        say(out, "restored in " + seconds(restoreNanos) + ":");
        table(out, quorum, back);

        int count = countFiles(quorum, back.leader().orElseThrow().ordinal());
        say(out, count == files
                ? "all " + files + " files are back (alluxio fs count " + DIRECTORY + " in "
                        + podName(quorum, back.leader().orElseThrow().ordinal()) + ")"
                : "only " + count + " of " + files + " files came back");
        say(out, "timings: create " + seconds(createNanos) + ", backup " + seconds(backupNanos) + ", restore "
                + seconds(restoreNanos) + " for " + files + " files");
        return count == files;
    }

    private static PodExec.Result exec(LocalAlluxioQuorum quorum, BackupPlan plan) {
        try {
            return quorum.exec().exec(plan.leader(), plan.container(), plan.argv(), plan.timeout()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing up", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(plan.argv() + " could not run", e.getCause());
        }
    }

    /** Counts the files, asking again while the new leader still refuses calls. */
    private int countFiles(LocalAlluxioQuorum quorum, int ordinal) {
        long end = System.nanoTime() + timeout.toNanos();
        PodExec.Result count;
        do {
            count = quorum.alluxio(ordinal, CLI_DEADLINE, "fs", "count", DIRECTORY);
            if (count.exitCode() == 0) {
                return Integer.parseInt(count.stdout().lines().skip(1).findFirst().orElseThrow().trim()
                        .split("\\s+")[0]);
            }
        } while (System.nanoTime() < end);
        throw new IllegalStateException("alluxio fs count " + DIRECTORY + " kept failing: " + count);
    }
}
