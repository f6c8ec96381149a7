package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster of its own (not the run's shared one), started and closed: all five components ran, and after
 * {@link RealCluster#close()} no process of the run is left, the logs are kept and the credentials are gone.
 */
@ExtendWith(RealClusterExtension.class)
class StoppedClusterLeavesNothingRunningTest {

    private static final List<String> COMPONENTS =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");

    @Test
    void closedClusterLeavesNoProcessKeepsItsLogsAndDeletesItsCredentials() throws IOException {
        // Given a started cluster, with one process per component running
        RealCluster cluster = RealCluster.start(ControlPlaneBinaries.fromSystemProperty(),
                RealClusterExtension.workDirectory());
        List<ProcessHandle> running;
        Path kubeconfig = cluster.kubeconfig();
        try {
            running = cluster.runningProcesses();
            assertThat(running).extracting(p -> Path.of(p.info().command().orElseThrow()).getFileName().toString())
                    .containsExactlyInAnyOrderElementsOf(COMPONENTS);
            assertThat(Files.readString(kubeconfig)).contains("server: https://127.0.0.1:");
        } finally {
            // When it is closed
            cluster.close();
        }

        // Then none of its processes is alive, nothing names its folder, its logs are there and its credentials not
        assertThat(running).noneMatch(ProcessHandle::isAlive);
        assertThat(cluster.runningProcesses()).isEmpty();
        for (String component : COMPONENTS) {
            assertThat(cluster.logDirectory().resolve(component + ".log")).isNotEmptyFile();
        }
        assertThat(kubeconfig).doesNotExist();
        assertThat(kubeconfig.getParent()).doesNotExist();
    }
}
