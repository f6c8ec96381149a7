package dev.cacheha.examples.jindo;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.pod.ContainerProbes;
import dev.cacheha.toolkit.pod.ContainerResources;
import dev.cacheha.toolkit.pod.MemoryJournalBudget;
import dev.cacheha.toolkit.pod.ProbeTiming;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Jindo master pod gets from the provider toolkit: restricted security, resources and probes.
 *
 * <p>Assumptions, since no Jindo image could be run here: the master runs as a non-root uid 1000 (set
 * explicitly, so a root image is run as 1000 rather than refused), it writes outside its journal (so the root file
 * system stays writable), and its rpc port opens once it serves. The probes are TCP and their timings those
 * measured for Alluxio masters (docs/probes.md), not Jindo's own. Default resources: the {@code master} process
 * requests cpu 1 and memory 2Gi, limited to 2Gi of memory
 * (or to a memory journal's size limit plus 1Gi, if larger).
 */
final class JindoMasterPod {

    /** The process name of the master in {@code resources}. */
    static final String MASTER = "master";

    private static final long USER = 1000L;
    private static final ContainerResources RESOURCES = new ContainerResources("Jindo", new TreeMap<>(Map.of(
            MASTER, ProcessResources.of(Map.of("cpu", "1", "memory", "2Gi"), Map.of("memory", "2Gi")))));
    private static final long JOURNAL_HEADROOM = 1024L * 1024 * 1024;
    private static final MemoryJournalBudget JOURNAL_BUDGET = new MemoryJournalBudget(MASTER, 512L * 1024 * 1024);
    private static final ContainerProbes PROBES = new ContainerProbes(
            ContainerProbes.tcpSocket(JindoMasters.RPC, ProbeTiming.of(10, 5, 3, 60)),
            ContainerProbes.tcpSocket(JindoMasters.RPC, new ProbeTiming(0, 10, 3, 3, 1)),
            ContainerProbes.tcpSocket(JindoMasters.RPC, ProbeTiming.of(0, 10, 5, 3)));

    private JindoMasterPod() {}

    /**
     * Unknown process names, a memory journal the master's limit cannot hold, and secret properties, which this
     * provider cannot deliver: its plan carries no configuration file to the pods.
     */
    static List<Violation> violations(HaSpec spec) {
        List<Violation> violations = new ArrayList<>(RESOURCES.unknownProcesses(spec));
        if (violations.isEmpty()) {
            JOURNAL_BUDGET.check(spec).ifPresent(violations::add);
        }
        spec.secretProperties().keySet().forEach(key -> violations.add(new Violation(
                "secretProperties[" + key + "]", "the Jindo provider hands properties to the controller only and"
                        + " delivers none to the pods, so it cannot deliver a secret one; set it in the Jindo"
                        + " configuration your controller mounts from a Secret")));
        return violations;
    }

    /** Sets the master container's resources and probes and the pod's restricted security. */
    static void fit(PodSpec pod, HaSpec spec) {
        Container master = pod.getContainers().get(0);
        master.setResources(ContainerResources.requirements(
                JOURNAL_BUDGET.withRoom(spec, RESOURCES.effective(spec, MASTER), JOURNAL_HEADROOM)));
        PROBES.applyTo(master);
        new RestrictedPodSecurity(USER, USER, false).applyTo(pod);
    }
}
