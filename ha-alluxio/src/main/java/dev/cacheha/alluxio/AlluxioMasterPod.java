package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.pod.ContainerProbes;
import dev.cacheha.toolkit.pod.ContainerResources;
import dev.cacheha.toolkit.pod.JvmHeap;
import dev.cacheha.toolkit.pod.MemoryJournalBudget;
import dev.cacheha.toolkit.pod.ProbeTiming;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import dev.cacheha.toolkit.pod.WritableDirectory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
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

    static final ContainerResources RESOURCES = new ContainerResources("Alluxio", new TreeMap<>(Map.of(
            MASTER, ProcessResources.of(Map.of("cpu", "1", "memory", "2Gi"), Map.of("memory", "2Gi")),
            JOB_MASTER, ProcessResources.of(Map.of("cpu", "250m", "memory", "1Gi"), Map.of("memory", "1Gi")))));

    /** What the master needs beside a full memory journal: its heap and what the JVM uses outside it. */
    static final long MASTER_BESIDE_JOURNAL = 768L * 1024 * 1024;
    private static final long MEMORY_JOURNAL_HEADROOM = 1024L * 1024 * 1024;
    private static final MemoryJournalBudget JOURNAL_BUDGET = new MemoryJournalBudget(MASTER, MASTER_BESIDE_JOURNAL);
    private static final JvmHeap MASTER_HEAP = new JvmHeap(60);
    private static final JvmHeap JOB_MASTER_HEAP = new JvmHeap(70);

    /** The site-file init step is a copy and a few lines of bash. */
    private static final ProcessResources INIT_RESOURCES =
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
     * Probe timings from measurements on real masters (docs/probes.md). The master is probed over HTTP on its web
     * port, which every member serves with the standby web server on: a TCP probe would pass on a frozen master,
     * whose kernel still accepts connections.
     */
    static final ProbeTiming MASTER_STARTUP = ProbeTiming.of(10, 5, 3, 60);
    static final ProbeTiming MASTER_READINESS = new ProbeTiming(0, 10, 3, 3, 1);
    static final ProbeTiming MASTER_LIVENESS = ProbeTiming.of(0, 10, 5, 3);
    /** The page the master probes ask: small on a standby, answered by leader and standbys alike. */
    static final String MASTER_PROBE_PATH = "/api/v1/master/webui_overview";

    private final HaSpec spec;
    private final AlluxioNames names;

    AlluxioMasterPod(HaSpec spec, AlluxioNames names) {
        this.spec = spec;
        this.names = names;
    }

    /** Resource process names the spec may use, and a memory journal that fits the master's limit. */
    static List<Violation> violations(HaSpec spec) {
        List<Violation> violations = new ArrayList<>(RESOURCES.unknownProcesses(spec));
        if (violations.isEmpty()) {
            JOURNAL_BUDGET.check(spec).ifPresent(violations::add);
        }
        return violations;
    }

    /** The resources of {@code process}: the spec's over the defaults, a memory journal's room included. */
    ProcessResources resources(String process) {
        ProcessResources effective = RESOURCES.effective(spec, process);
        return process.equals(MASTER) ? JOURNAL_BUDGET.withRoom(spec, effective, MEMORY_JOURNAL_HEADROOM) : effective;
    }

    /**
     * Fits the container of {@code process}: resources, the heap option appended to {@code javaOptsVariable},
     * probes, the assembled conf dir and the writable directories.
     */
    void fit(Container container, String process, String javaOptsVariable) {
        ProcessResources resources = resources(process);
        container.setResources(ContainerResources.requirements(resources));
        long limit = ContainerResources.memoryLimitBytes(resources).orElseThrow();
        String heap = process.equals(MASTER)
                ? MASTER_HEAP.maxHeapOption(limit, MemoryJournalBudget.memoryJournalBytes(spec))
                : JOB_MASTER_HEAP.maxHeapOption(limit, 0);
        for (EnvVar variable : container.getEnv()) {
            if (variable.getName().equals(javaOptsVariable)) {
                variable.setValue(variable.getValue() + " " + heap);
            }
        }
        probes(process).applyTo(container);
        container.getVolumeMounts().add(siteFile().confMount());
        WRITABLE.forEach(directory -> container.getVolumeMounts().add(directory.toMount()));
    }

    /** Adds the site-file init step and its volumes, the writable directories, and the restricted security. */
    void secure(PodSpec pod) {
        pod.getInitContainers().add(siteFile().initContainer(spec.secretProperties()));
        pod.getVolumes().addAll(siteFile().volumes());
        WRITABLE.forEach(directory -> pod.getVolumes().add(directory.toVolume()));
        new RestrictedPodSecurity(IMAGE_USER, IMAGE_USER, true).applyTo(pod);
    }

    /** The digest of the pods' configuration: the site file and the secret references, never a secret value. */
    String configurationDigest(String siteFileText) {
        return SiteFileAssembly.digest(siteFileText, spec.secretProperties());
    }

    private SiteFileAssembly siteFile() {
        return new SiteFileAssembly(spec.image().orElse(AlluxioHighAvailabilityProvider.DEFAULT_IMAGE),
                names.configMap(), AlluxioProperties.SITE_FILE, AlluxioMasterStatefulSet.CONF_DIR, INIT_RESOURCES);
    }

    private static ContainerProbes probes(String process) {
        if (process.equals(MASTER)) {
            return new ContainerProbes(
                    ContainerProbes.httpGet(AlluxioPorts.WEB, MASTER_PROBE_PATH, MASTER_STARTUP),
                    ContainerProbes.httpGet(AlluxioPorts.WEB, MASTER_PROBE_PATH, MASTER_READINESS),
                    ContainerProbes.httpGet(AlluxioPorts.WEB, MASTER_PROBE_PATH, MASTER_LIVENESS));
        }
        // Whether a standby job master serves its web port is not measured; its rpc port is open on every member.
        return new ContainerProbes(
                ContainerProbes.tcpSocket(AlluxioPorts.JOB_RPC, MASTER_STARTUP),
                ContainerProbes.tcpSocket(AlluxioPorts.JOB_RPC, MASTER_READINESS),
                ContainerProbes.tcpSocket(AlluxioPorts.JOB_RPC, MASTER_LIVENESS));
    }
}
