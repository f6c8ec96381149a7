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
class DemoCommandTest {

    private static final Pattern WAITED =
            Pattern.compile("^waited until every member answered and one leads \\((HEALTHY)\\), \\d+\\.\\d s after");
    private static final Pattern LEADER = Pattern.compile("^  leader: member (\\d) .*health: HEALTHY");
    private static final Pattern KILLED = Pattern.compile("^killing leader (\\d) \\(demo-master-\\d\\) with SIGKILL$");
    private static final Pattern NEW_LEADER =
            Pattern.compile("^new leader (\\d) \\(demo-master-\\d\\) detected in \\d+ ms$");
    private static final Pattern CREATED = Pattern.compile("^created (/demo-\\d+) ");
    private static final Pattern DELETED = Pattern.compile("^done: no master process left, (\\S+) deleted$");

    @Test
    void killingTheLeaderElectsANewOneAndTheDirectorySurvivesWithNothingLeftBehind() {
        // When
        CacheHaRun run = CacheHaRun.of("demo");

        // Then the steps happened in order (the leader killed only once every member answered), the new leader
        // is another member, and the directory survived
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(1)).isEqualTo("starting 3 masters (separate JVMs on localhost, from that plan)...");
        Found waited = find(lines, WAITED);
        Found elected = find(lines, LEADER);
        Found created = find(lines, CREATED);
        Found killed = find(lines, KILLED);
        Found newLeader = find(lines, NEW_LEADER);
        assertThat(List.of(waited.line(), elected.line(), created.line(), killed.line(), newLeader.line())).isSorted();
        assertThat(killed.group()).isEqualTo(elected.group());
        assertThat(newLeader.group()).isNotEqualTo(elected.group());
        assertThat(lines).contains("directory " + created.group() + " survived the failover (alluxio fs ls / in"
                + " demo-master-" + newLeader.group() + ")");

        // And nothing is left: no JVM of this quorum (each carries its root on its command line), no root
        String root = find(lines, DELETED).group();
        assertThat(LocalAlluxioQuorum.runningProcesses())
                .noneMatch(process -> process.info().commandLine().orElse("").contains(root));
        assertThat(Path.of(root)).doesNotExist();
    }

    /** Where a pattern first matched: the line's index and the pattern's first group. */
    private record Found(int line, String group) {}

    private static Found find(List<String> lines, Pattern pattern) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = pattern.matcher(lines.get(i));
            if (matcher.find()) {
                return new Found(i, matcher.group(1));
            }
        }
        throw new AssertionError("no line matches " + pattern + " in\n" + String.join("\n", lines));
    }
}
