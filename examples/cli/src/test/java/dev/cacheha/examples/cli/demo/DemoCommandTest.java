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

    private static final Pattern LEADER = Pattern.compile("^  leader: member (\\d) .*health: HEALTHY");
    private static final Pattern KILLED = Pattern.compile("^killing leader (\\d) \\(demo-master-\\d\\) with SIGKILL$");
    private static final Pattern NEW_LEADER = Pattern.compile("^new leader (\\d) \\(demo-master-\\d\\) detected in \\d+ ms$");
    private static final Pattern CREATED = Pattern.compile("^created (/demo-\\d+) ");
    private static final Pattern DELETED = Pattern.compile("^done: no master process left, (\\S+) deleted$");

    @Test
    void killingTheLeaderElectsANewOneAndTheDirectorySurvivesWithNothingLeftBehind() {
        // Given no master of an earlier run is alive
        assertThat(LocalAlluxioQuorum.runningProcesses()).isEmpty();

        // When
        CacheHaRun run = CacheHaRun.of("demo");

        // Then the steps happened in order, the new leader is another member, and the directory survived
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(1)).isEqualTo("starting 3 masters (separate JVMs on localhost, from that plan)...");
        String firstLeader = group(lines, LEADER);
        assertThat(group(lines, KILLED)).isEqualTo(firstLeader);
        assertThat(group(lines, NEW_LEADER)).isNotEqualTo(firstLeader);
        String directory = group(lines, CREATED);
        assertThat(lines).contains("directory " + directory + " survived the failover (alluxio fs ls / in demo-master-"
                + group(lines, NEW_LEADER) + ")");
        assertThat(lines).containsSubsequence(lines.stream().filter(l -> LEADER.matcher(l).find()).findFirst().orElseThrow(),
                lines.stream().filter(l -> CREATED.matcher(l).find()).findFirst().orElseThrow(),
                lines.stream().filter(l -> KILLED.matcher(l).find()).findFirst().orElseThrow(),
                lines.stream().filter(l -> NEW_LEADER.matcher(l).find()).findFirst().orElseThrow());

        // And nothing is left: no master JVM, no temporary directory
        assertThat(LocalAlluxioQuorum.runningProcesses()).isEmpty();
        assertThat(Path.of(group(lines, DELETED))).doesNotExist();
    }

    /** The first group of the first line {@code pattern} finds. */
    private static String group(List<String> lines, Pattern pattern) {
        return lines.stream()
                .map(pattern::matcher)
                .filter(Matcher::find)
                .map(matcher -> matcher.group(1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line matches " + pattern + " in\n" + String.join("\n", lines)));
    }
}
