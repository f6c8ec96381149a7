package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes a killed test JVM left behind: the next cluster start stops them, and only them, since their run
 * folder names a JVM that is gone; a run whose JVM lives (another module's tests) is left alone.
 */
class OrphanedRunTest {

    /** Above any pid_max Linux allows (2^22), so no process has it. */
    private static final long GONE_JVM = 999_999_999L;

    @Test
    void processOfARunWhoseJvmIsGoneIsStoppedAndOneOfALiveJvmIsNot(@TempDir Path workDir) throws IOException {
        // Given a process naming a run folder of a JVM that is gone, and one naming a run of this (live) JVM
        Process orphan = runNaming(workDir.toAbsolutePath().resolve("run-20260101-000000-" + GONE_JVM + "/etcd-data"));
        Process live = runNaming(workDir.toAbsolutePath()
                .resolve("run-20260101-000000-" + ProcessHandle.current().pid() + "/etcd-data"));
        Await.until("both shells waiting on their sleep",
                () -> orphan.descendants().findAny().isPresent() && live.descendants().findAny().isPresent(),
                () -> "orphan alive: " + orphan.isAlive() + ", live alive: " + live.isAlive());
        List<ProcessHandle> orphanChildren = orphan.descendants().toList();
        List<ProcessHandle> liveChildren = live.descendants().toList();
        try {
            // When orphans are stopped
            List<ProcessHandle> stopped = RealCluster.stopOrphans(workDir);

            // Then exactly the orphan is stopped, with what it started
            assertThat(stopped).extracting(ProcessHandle::pid).containsExactly(orphan.pid());
            assertThat(orphan.isAlive()).isFalse();
            assertThat(orphanChildren).isNotEmpty().noneMatch(ProcessHandle::isAlive);
            assertThat(live.isAlive()).isTrue();
            assertThat(liveChildren).isNotEmpty().allMatch(ProcessHandle::isAlive);
        } finally {
            Stream.of(orphanChildren.stream(), liveChildren.stream(), Stream.of(orphan.toHandle(), live.toHandle()))
                    .flatMap(processes -> processes)
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** A shell waiting on a child, with {@code path} on its command line as a component has its run folder. */
    private static Process runNaming(Path path) throws IOException {
        return new ProcessBuilder("sh", "-c", "sleep 300; exit 0", path.toString()).start();
    }
}
