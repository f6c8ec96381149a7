package dev.cacheha.alluxio.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.alluxio.local.LocalRecovery;
import dev.cacheha.alluxio.local.OneQuorumPerClass;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider's backup, restore and rebuild plans run on three real Alluxio 2.9.6 masters holding
 * {@value #FILES} files: a backup written by the leader, refusals that change nothing, a follower rebuilt from an
 * empty journal, and a quorum that lost two journals of three brought back from the backup. One quorum serves
 * the tests below, in order. Every figure is printed with the prefix {@code [backup]} for
 * docs/backup-restore.md.
 */
@Tag("real-quorum")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreOnRealQuorumTest {

    static final int FILES = 1000;
    private static final String DIRECTORY = "/files";
    // Seen: 66-104 s at load averages of 35-74 on two cores; a quiet machine elects in 8-13 s.
    private static final Duration STARTUP = Duration.ofSeconds(240);
    private static final Duration STEP_BUDGET = Duration.ofSeconds(180);
    private static final Duration CLI = Duration.ofSeconds(60);
    /** Well below the plan's own timeout, which leaves room for millions of files: this test has a thousand. */
    private static final Duration BACKUP_BUDGET = Duration.ofMinutes(3);
    /**
     * The harness's 750 ms to 1.5 s election timeouts suit failover tests; a restoring quorum on a loaded 2-core
     * machine needs more. Seen once with them at a load of 40: two members won an election, stepped down before
     * the backup had loaded, and then withheld their votes for good (Ratis: "Skipping leader election since it
     * stepped down recently"), so the quorum never formed. Pods run Alluxio's defaults of 10 s to 20 s.
     */
    static final Map<String, String> CALM_ELECTIONS = Map.of(
            "alluxio.master.embedded.journal.election.timeout.min", "3s",
            "alluxio.master.embedded.journal.election.timeout.max", "6s");
    private static final String BACKUP_WRITTEN = "BackupManager - Created backup with";

    /** Started by the first test or @BeforeAll below, closed after the last test. */
    @RegisterExtension
    static final OneQuorumPerClass QUORUM = new OneQuorumPerClass();

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final HaSpec spec = HaSpec.builder("vault", "cache").replicas(3).journal(JournalStorage.disk("1Gi"))
            .build();
    private LocalAlluxioQuorum quorum;
    private LocalRecovery recovery;
    private BackupTarget target;
    private Backup backup;

    @BeforeAll
    void startThreeMastersWithAThousandFiles() {
        long start = System.nanoTime();
        quorum = QUORUM.start(spec);
        recovery = new LocalRecovery(quorum, STEP_BUDGET);
        target = new BackupTarget.SharedVolume(quorum.root().resolve("backups").toString());
        LeaderStatus healthy = quorum.await(s -> s.health() == Health.HEALTHY, "all three masters answering",
                STARTUP);
        log("quorum of 3 HEALTHY %d ms after launch", millisSince(start));
        long created = System.nanoTime();
        retrying(() -> quorum.createFiles(healthy.leader().orElseThrow().ordinal(), DIRECTORY, FILES, CLI));
        log("created %d files in %d ms (Alluxio client, one JVM, 16 at a time)", FILES, millisSince(created));
    }

    @Test
    @Order(1)
    void theBackupIsWrittenByTheLeaderIntoTheRuntimesOwnDirectory() {
        // Given the leader discovery names
        LeaderStatus status = quorum.await(s -> s.health() == Health.HEALTHY, "a healthy quorum", STARTUP);
        Member leader = status.leader().orElseThrow();
        List<Long> writtenBefore = backupsWrittenPerMember();

        // When the provider's backup runs where its plan says
        BackupPlan plan = provider.planBackup(spec, status, target);
        long start = System.nanoTime();
        PodExec.Result result = exec(plan.leader(), plan.argv(), BACKUP_BUDGET);
        long took = millisSince(start);
        backup = plan.verify(result).orElseThrow(() -> new AssertionError("the backup did not verify: " + result));

        // Then it ran on the leader, the file is in this runtime's directory and not empty, and only the leader's
        // log records writing it (Alluxio would otherwise delegate it to a standby)
        Path file = Path.of(backup.location().replaceFirst("^file://", ""));
        assertThat(plan.leader()).isEqualTo(leader);
        assertThat(file).isRegularFile().startsWith(Path.of(target.directory(), "cache", "vault"));
        assertThat(size(file)).isPositive();
        assertThat(result.stdout()).containsPattern("Backup Entry Count : \\d{4,}");
        List<Long> written = backupsWrittenPerMember();
        IntStream.range(0, 3).forEach(ordinal -> assertThat(written.get(ordinal) - writtenBefore.get(ordinal))
                .as("backups written by member %d, the leader being %d", ordinal, leader.ordinal())
                .isEqualTo(ordinal == leader.ordinal() ? 1 : 0));
        log("backup of %d files by leader %s in %d ms (alluxio fsadmin backup, JVM start included): %s, %d bytes",
                FILES, leader.podName(), took, file.getFileName(), size(file));
    }

    @Test
    @Order(2)
    void aRestoreFromAMissingOrForeignBackupIsRefusedAndNothingIsDeleted() {
        // Given a backup of another runtime, and one of this runtime that is not there
        Backup foreign = new Backup("alluxio", "cache", "other", target,
                backup.location().replace("/cache/vault/", "/cache/other/"), backup.takenBy());
        Backup missing = new Backup("alluxio", "cache", "vault", target,
                backup.location().replaceFirst("[^/]+$", "alluxio-backup-missing.gz"), backup.takenBy());

        // When each is restored
        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planRestore(spec, foreign));
        RestorePlan restoreMissing = provider.planRestore(spec, missing);
        assertThatThrownBy(() -> restoreMissing.steps().forEach(recovery::run))
                .hasMessageContaining("failed with exit code 1, so nothing was changed");

        // Then the foreign one is refused for its runtime, the missing one at its first step, and every master
        // still runs on its journal with every file
        assertThat(refused.reasons()).extracting(Violation::field).contains("backup.runtime");
        assertThat(restoreMissing.steps().get(0)).isInstanceOf(Step.CheckOnMember.class);
        IntStream.range(0, 3).forEach(ordinal -> {
            assertThat(quorum.isRunning(ordinal)).isTrue();
            assertThat(quorum.journal(ordinal)).isNotEmptyDirectory();
        });
        LeaderStatus status = quorum.await(s -> s.health() == Health.HEALTHY, "a healthy quorum", STEP_BUDGET);
        assertThat(fileCount(status.leader().orElseThrow().ordinal())).isEqualTo(FILES);
    }

    @Test
    @Order(3)
    void aFollowerRebuiltFromAnEmptyJournalFollowsAndAWriteAfterItSurvivesALeaderKill() {
        // Given a healthy quorum and one of its followers
        LeaderStatus status = quorum.await(s -> s.health() == Health.HEALTHY, "a healthy quorum", STEP_BUDGET);
        Member rebuilt = status.membersWithRole(Role.FOLLOWER).get(0);
        Member other = status.membersWithRole(Role.FOLLOWER).get(1);
        MemberRebuildPlan plan = provider.planMemberRebuild(spec, status, rebuilt.ordinal());

        // When its rebuild runs: stopped, journal wiped...
        List<Step> steps = plan.steps();
        recovery.run(steps.get(0));
        recovery.run(steps.get(1));
        assertThat(quorum.journal(rebuilt.ordinal())).isEmptyDirectory();

        // ...a rebuild of the other follower now would cost the majority, and is refused with its journal intact
        LeaderStatus degraded = quorum.await(s -> s.health() == Health.DEGRADED, "the quorum without "
                + rebuilt.podName(), STEP_BUDGET);
        OperationRefusedException refused = catchThrowableOfType(OperationRefusedException.class,
                () -> provider.planMemberRebuild(spec, degraded, other.ordinal()));
        assertThat(refused.reasons()).extracting(Violation::field).containsExactly("status.members");
        assertThat(quorum.journal(other.ordinal())).isNotEmptyDirectory();

        // ...then it starts empty and catches up
        long start = System.nanoTime();
        steps.subList(2, steps.size()).forEach(recovery::run);
        long catchUp = millisSince(start);

        // Then it follows, holds every file, and a write made now survives the leader's SIGKILL
        LeaderStatus rejoined = quorum.await(s -> s.health() == Health.HEALTHY, "a healthy quorum", STEP_BUDGET);
        assertThat(rejoined.membersWithRole(Role.FOLLOWER)).contains(rebuilt);
        Member leader = rejoined.leader().orElseThrow();
        retrying(() -> alluxioOk(leader.ordinal(), "fs", "mkdir", "/after-rebuild"));
        quorum.kill(leader.ordinal());
        LeaderStatus failedOver = quorum.await(s -> s.leader().filter(m -> !m.equals(leader)).isPresent(),
                "a leader other than " + leader.podName(), STEP_BUDGET);
        int next = failedOver.leader().orElseThrow().ordinal();
        String listing = retrying(() -> alluxioOk(next, "fs", "ls", "/")).stdout();
        assertThat(listing).contains("/after-rebuild");
        assertThat(fileCount(next)).isEqualTo(FILES);
        log("rebuild of %s from an empty journal: FOLLOWER with %d files %d ms after its start (catch-up);"
                + " /after-rebuild survived the SIGKILL of leader %s", rebuilt.podName(), FILES, catchUp,
                leader.podName());
    }

    @Test
    @Order(4)
    void aQuorumThatLostTwoJournalsOfThreeIsRestoredFromTheLastBackup() {
        // Given the majority lost: two members down with their journals gone, so no member can lead
        List<Integer> lost = IntStream.range(0, 3).filter(ordinal -> !quorum.isRunning(ordinal)).boxed().toList();
        int secondLoss = IntStream.range(0, 3).filter(quorum::isRunning).findFirst().orElseThrow();
        quorum.kill(secondLoss);
        Stream.concat(lost.stream(), Stream.of(secondLoss)).forEach(quorum::wipeJournal);
        LeaderStatus noQuorum = quorum.await(s -> s.health() == Health.NO_QUORUM, "no quorum", STEP_BUDGET);
        assertThatThrownBy(() -> provider.planBackup(spec, noQuorum, target))
                .isInstanceOf(OperationRefusedException.class).hasMessageContaining("NO_QUORUM");

        // When the provider's restore from the last backup runs, with calmer elections than the harness's
        quorum.changeProperties(CALM_ELECTIONS, Set.of());
        RestorePlan restore = provider.planRestore(spec, backup);
        long start = System.nanoTime();
        long started = start;
        for (Step step : restore.steps()) {
            if (step instanceof Step.StartMembers) {
                started = System.nanoTime();
            }
            recovery.run(step);
        }
        long total = millisSince(start);
        long startToQuorum = millisSince(started);

        // Then the three members run with one leader and every file of the backup, and nothing written after it
        LeaderStatus restored = quorum.await(s -> s.health() == Health.HEALTHY, "a healthy quorum", STEP_BUDGET);
        assertThat(restored.membersWithRole(Role.LEADER)).hasSize(1);
        assertThat(restored.membersWithRole(Role.FOLLOWER)).hasSize(2);
        int leader = restored.leader().orElseThrow().ordinal();
        assertThat(fileCount(leader)).isEqualTo(FILES);
        assertThat(retrying(() -> alluxioOk(leader, "fs", "ls", "/")).stdout()).doesNotContain("/after-rebuild");
        log("restore of %d files from %s after losing 2 journals of 3: %d ms for the whole plan, %d ms from"
                + " starting the members to a whole quorum", FILES, backup.location().replaceFirst(".*/", ""), total,
                startToQuorum);
    }

    private int fileCount(int ordinal) {
        PodExec.Result count = retrying(() -> alluxioOk(ordinal, "fs", "count", DIRECTORY));
        // "File Count   Folder Count   Folder Size" then the figures
        return Integer.parseInt(count.stdout().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+")[0]);
    }

    private PodExec.Result alluxioOk(int ordinal, String... args) {
        PodExec.Result result = quorum.alluxio(ordinal, CLI, args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("alluxio " + String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    private PodExec.Result exec(Member member, List<String> argv, Duration timeout) {
        try {
            return quorum.exec().exec(member, "alluxio-master", argv, timeout).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(argv + " could not run", e.getCause());
        }
    }

    /** A master that just won an election may refuse calls for a moment: try again within the budget. */
    private <T> T retrying(java.util.function.Supplier<T> call) {
        long end = System.nanoTime() + STEP_BUDGET.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (IllegalStateException e) {
                if (System.nanoTime() > end) {
                    throw e;
                }
                log("refused, trying again: %s", e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private void retrying(Runnable call) {
        retrying(() -> {
            call.run();
            return null;
        });
    }

    private List<Long> backupsWrittenPerMember() {
        return IntStream.range(0, 3).mapToObj(ordinal -> {
            try (Stream<String> lines = Files.lines(quorum.masterLog(ordinal))) {
                return lines.filter(line -> line.contains(BACKUP_WRITTEN)).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static void log(String format, Object... args) {
        System.out.printf("[backup] " + format + "%n", args);
    }
}
