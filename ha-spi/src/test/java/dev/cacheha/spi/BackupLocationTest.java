package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a backup lies is judged on its normalised path, never on its text. */
class BackupLocationTest {

    private static final Member LEADER = new Member(0, "data", "demo-master-0", "demo-master-0.svc");
    private static final BackupTarget TARGET = new BackupTarget.SharedVolume("/backups");
    private static final String DIRECTORY = "/backups/data/demo";

    private static Backup at(String location) {
        return new Backup("alluxio", "data", "demo", TARGET, location, LEADER);
    }

    @Test
    void aLocationThatClimbsOutOfTheDirectoryDoesNotLieInIt() {
        assertThat(at("/backups/data/demo/../other/backup.gz").liesIn(DIRECTORY)).isFalse();
        assertThat(at("/backups/data/demo/./../../data/demo-other/backup.gz").liesIn(DIRECTORY)).isFalse();
        assertThat(at("/elsewhere/backups/data/demo/backup.gz").liesIn(DIRECTORY)).isFalse();
        assertThat(at("/backups/data/demo-other/backup.gz").liesIn(DIRECTORY)).isFalse();
        assertThat(at("/backups/data/demo").liesIn(DIRECTORY)).as("the directory itself is no backup").isFalse();
        assertThat(at("/../../backups/data/demo/backup.gz").liesIn(DIRECTORY)).isFalse();
        assertThat(at("relative/backups/data/demo/backup.gz").liesIn(DIRECTORY)).isFalse();
    }

    @Test
    void aLocationBelowTheDirectoryLiesInItAsAPathOrAUri() {
        assertThat(at("/backups/data/demo/backup.gz").liesIn(DIRECTORY)).isTrue();
        assertThat(at("/backups//data/./demo/backup.gz").liesIn(DIRECTORY + "/")).isTrue();
        assertThat(at("file:///backups/data/demo/backup.gz").liesIn(DIRECTORY)).isTrue();
        assertThat(at("hdfs://namenode:8020/backups/data/demo/backup.gz").liesIn(DIRECTORY)).isTrue();
        assertThat(at("hdfs://namenode:8020/backups/data/other/backup.gz").liesIn(DIRECTORY)).isFalse();
    }

    @Test
    void aBackupCommandReportingALocationThatClimbsOutOfTheRuntimesDirectoryIsNotVerified() {
        // Given a plan whose directory is the runtime's own
        HaSpec spec = HaSpec.builder("demo", "data").build();
        BackupPlan plan = new BackupPlan(spec, "alluxio", LEADER, "master", List.of("backup", DIRECTORY),
                Duration.ofMinutes(1), TARGET, DIRECTORY, "Backup URI\\s*: (?<location>\\S+)");

        // When the command reports a file that climbs into another runtime's directory, or one in its own
        // Then only the one in its own is a verified backup
        assertThat(plan.verify(new PodExec.Result(0, "Backup URI : /backups/data/demo/../other/b.gz\n", "")))
                .isEmpty();
        assertThat(plan.verify(new PodExec.Result(0, "Backup URI : /backups/data/demo/b.gz\n", "")))
                .hasValueSatisfying(backup -> assertThat(backup.location()).isEqualTo("/backups/data/demo/b.gz"));
    }
}
