package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.toolkit.pod.ContainerProbes;
import dev.cacheha.toolkit.pod.ContainerResources;
import dev.cacheha.toolkit.pod.JvmHeap;
import dev.cacheha.toolkit.pod.MemoryJournalBudget;
import dev.cacheha.toolkit.pod.WritableDirectory;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the Alluxio image needs of its pod, as engine facts handed to the provider toolkit: the user it runs as,
 * the paths it writes, the resources of its two processes with their defaults, the heap each JVM gets from its
 * memory limit, the probes and their measured timings (see {@code docs/probes.md}), and where its site file and
 * secret properties go.
 *
 * <p>Default resources, so that a default render is never BestEffort:
 * <table>
 *   <caption>Defaults per process</caption>
 *   <tr><th>process</th><th>requests</th><th>limits</th><th>heap</th></tr>
 *   <tr><td>{@code master}</td><td>cpu 1, memory 2Gi</td><td>memory 2Gi (or a memory journal's size limit plus
 *       1Gi, if larger)</td><td>60% of the limit less a memory journal</td></tr>
 *   <tr><td>{@code job-master}</td><td>cpu 250m, memory 1Gi</td><td>memory 1Gi</td><td>70% of the limit</td></tr>
 * </table>
 * No cpu limit by default: a quota throttles a master in the middle of an election or a journal replay, which
 * costs the quorum more than the cpu it would save. The master's heap leaves 40% of its memory to RocksDB (the
 * metastore), metaspace, thread stacks and direct buffers.
 */
final class AlluxioMasterPod {

    /** The process name of the master in {@code resources}. */
    static final String MASTER = "master";
    /** The process name of the job master in {@code resources}. */
    static final String JOB_MASTER = "job-master";

    /** The {@code alluxio/alluxio} image runs as uid and gid 1000. */
    static final long IMAGE_USER = 1000L;

    /** What the master needs beside a full memory journal: its heap and what the JVM uses outside it. */
    static final long MASTER_BESIDE_JOURNAL = 768L * 1024 * 1024;
    private static final long MEMORY_JOURNAL_HEADROOM = 1024L * 1024 * 1024;

    static final ContainerResources RESOURCES = new ContainerResources("Alluxio", new TreeMap<>(Map.of(
            MASTER, ProcessResources.of(Map.of("cpu", "1", "memory", "2Gi"), Map.of("memory", "2Gi")),
            JOB_MASTER, ProcessResources.of(Map.of("cpu", "250m", "memory", "1Gi"), Map.of("memory", "1Gi")))),
            new MemoryJournalBudget(MASTER, MASTER_BESIDE_JOURNAL, MEMORY_JOURNAL_HEADROOM));
    private static final JvmHeap MASTER_HEAP = new JvmHeap(60);
    private static final JvmHeap JOB_MASTER_HEAP = new JvmHeap(70);

    /** The site-file init step is a copy and a few lines of shell. */
    static final ProcessResources INIT_RESOURCES =
            ProcessResources.of(Map.of("cpu", "50m", "memory", "32Mi"), Map.of("memory", "64Mi"));

    /** Alluxio's home in the image; its conf dir is assembled by the init step, the rest stays read-only. */
    private static final String HOME = "/opt/alluxio";

    /**
     * Every path the masters write besides the journal and the conf dir: logs, scratch space, the RocksDB
     * metastore (rebuilt from the journal on start), and the default root mount, a local directory in the image.
     */
    static final List<WritableDirectory> WRITABLE = List.of(
            new WritableDirectory("logs", HOME + "/logs", "1Gi"),
            new WritableDirectory("metastore", HOME + "/metastore", "10Gi"),
            new WritableDirectory("tmp", "/tmp", "1Gi"),
            new WritableDirectory("underfs", HOME + "/underFSStorage", "1Gi"));

    /**
     * The master is probed over HTTP on its web port, which every member serves with the standby web server on,
     * at the toolkit's raft-master timings, measured on these masters (docs/probes.md): a TCP probe would pass on
     * a frozen master, whose kernel still accepts connections.
     */
    static final String MASTER_PROBE_PATH = "/api/v1/master/webui_overview";

    private final HaSpec spec;

    AlluxioMasterPod(HaSpec spec) {
        this.spec = spec;
    }

    /** The resources of {@code process}: the spec's over the defaults, a memory journal's room included. */
    ProcessResources resources(String process) {
        return RESOURCES.effective(spec, process);
    }

    /** The container requirements of {@code process}. */
    ResourceRequirements requirements(String process) {
        return ContainerResources.requirements(resources(process));
    }

    /** The {@code -Xmx} option of {@code process}'s JVM: a share of its memory limit, less a memory journal. */
    String heapOption(String process) {
        long limit = ContainerResources.memoryLimitBytes(resources(process)).orElseThrow();
        return process.equals(MASTER)
                ? MASTER_HEAP.maxHeapOption(limit, MemoryJournalBudget.memoryJournalBytes(spec))
                : JOB_MASTER_HEAP.maxHeapOption(limit, 0);
    }

    /** The probes of {@code process}'s container. */
    static ContainerProbes probes(String process) {
        if (process.equals(MASTER)) {
            return ContainerProbes.httpGet(AlluxioPorts.WEB, MASTER_PROBE_PATH);
        }
        // Whether a standby job master serves its web port is not measured; its rpc port is open on every member.
        return ContainerProbes.tcpSocket(AlluxioPorts.JOB_RPC);
    }
}
