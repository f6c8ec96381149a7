package dev.cacheha.examples.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("real-quorum")
class BackupRestoreDemoCommandTest {

    private static final Pattern BACKED_UP = Pattern.compile(
            "^backing up on leader (\\d) \\(backup-demo-master-\\d\\): alluxio fsadmin backup \\S+ --local"
                    + " --bypass-delegation$");
    private static final Pattern WRITTEN = Pattern.compile("^backup written by backup-demo-master-(\\d) in ");
    private static final Pattern STEP = Pattern.compile("^restore step (\\d)/(\\d) (\\w+) \\(\\d+ ms\\): ");
    private static final Pattern DELETED = Pattern.compile("^done: no master process left, (\\S+) deleted$");

    @Test
    void theMajorityIsLostAndEveryFileComesBackFromTheLeadersBackupWithNothingLeftBehind() {
        // When the scenario runs with 200 files (the default 1,000 take longer on a loaded machine), with room for
        // elections that took up to 104 s at a load average of 74
        CacheHaRun run = CacheHaRun.of("demo", "backup-restore", "--files", "200", "--timeout", "240s");

        // Then the leader wrote the backup, the majority was lost, and the restore plan's steps ran in order
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).anyMatch(line -> line.matches("created 200 files in /files in [\\d.]+ s .*"));
        assertThat(find(lines, WRITTEN).group(1)).isEqualTo(find(lines, BACKED_UP).group(1));
        assertThat(lines).contains("health now NO_QUORUM: no member can lead");
        List<String> steps = lines.stream().map(STEP::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + "/" + m.group(2) + " " + m.group(3)).toList();
        assertThat(steps).containsExactly("1/9 CheckOnMember", "2/9 StopMembers", "3/9 WipeJournal",
                "4/9 WipeJournal", "5/9 WipeJournal", "6/9 Apply", "7/9 StartMembers", "8/9 AwaitQuorum", "9/9 Apply");
        assertThat(lines).anyMatch(line -> line.startsWith("all 200 files are back (alluxio fs count /files in "));
        assertThat(lines).anyMatch(line -> line.matches("timings: create [\\d.]+ s, backup [\\d.]+ s, restore"
                + " [\\d.]+ s for 200 files"));

        // And nothing is left behind
        String root = find(lines, DELETED).group(1);
        assertThat(LocalAlluxioQuorum.runningProcesses())
                .noneMatch(process -> process.info().commandLine().orElse("").contains(root));
        assertThat(Path.of(root)).doesNotExist();
    }

    private static Matcher find(List<String> lines, Pattern pattern) {
        for (String line : lines) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                return matcher;
            }
        }
        throw new AssertionError("no line matches " + pattern + " in\n" + String.join("\n", lines));
    }
}
