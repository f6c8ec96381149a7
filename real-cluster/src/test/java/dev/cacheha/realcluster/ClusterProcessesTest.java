package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster of its own (not the run's shared one), started and closed: all five components run and listen on
 * loopback only, and after {@link RealCluster#close()} no process of the run is left, the logs are kept and the
 * credentials are gone.
 */
@ExtendWith(RealClusterExtension.class)
class ClusterProcessesTest {

    private static final List<String> COMPONENTS =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");
    private static final String LISTEN = "0A";

    @Test
    void componentsListenOnLoopbackOnlyAndNoneOutlivesClose() throws IOException {
        // Given a started cluster
        RealCluster cluster = RealCluster.start(ControlPlaneBinaries.fromSystemProperty(),
                RealClusterExtension.workDirectory());
        List<ProcessHandle> running;
        Path kubeconfig = cluster.kubeconfig();
        try {
            // Then one process per component runs, and every socket they listen on is a loopback one
            running = cluster.runningProcesses();
            assertThat(running).extracting(p -> Path.of(p.info().command().orElseThrow()).getFileName().toString())
                    .containsExactlyInAnyOrderElementsOf(COMPONENTS);
            List<String> listening = new ArrayList<>();
            for (ProcessHandle process : running) {
                listening.addAll(listeningAddresses(process));
            }
            // etcd (clients, peers) and the API server at least: the check has something to check
            assertThat(listening).hasSizeGreaterThanOrEqualTo(3).allMatch(ClusterProcessesTest::isLoopback);
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

    /** The local addresses (hex, as /proc/net/tcp* writes them) of the TCP sockets {@code process} listens on. */
    private static List<String> listeningAddresses(ProcessHandle process) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            for (Path descriptor : descriptors.toList()) {
                String target = Files.readSymbolicLink(descriptor).toString();
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        }
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                    addresses.add(fields[1]);
                }
            }
        }
        return addresses;
    }

    /** 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104, in the kernel's byte order. */
    private static boolean isLoopback(String hexAddressAndPort) {
        String address = hexAddressAndPort.substring(0, hexAddressAndPort.indexOf(':'));
        return switch (address.length()) {
            case 8 -> address.endsWith("7F");
            case 32 -> address.equals("00000000000000000000000001000000")
                    || address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F");
            default -> false;
        };
    }
}
