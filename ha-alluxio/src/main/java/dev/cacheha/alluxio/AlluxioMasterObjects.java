package dev.cacheha.alluxio;

import dev.cacheha.toolkit.MasterContainer;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.QuorumObjects;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * Alluxio's facts about its master pods, handed to the toolkit's {@link QuorumObjects}, which renders the
 * ConfigMap with {@value AlluxioProperties#SITE_FILE}, the headless Service, the journal NetworkPolicy, the
 * StatefulSet and the PodDisruptionBudget. The pods' hardening (restricted security, resources, heap, probes,
 * writable directories, the site file assembled with secret properties) comes from {@link AlluxioMasterPod}.
 */
final class AlluxioMasterObjects {

    /** Alluxio's configuration directory in the {@code alluxio/alluxio} image. */
    static final String CONF_DIR = "/opt/alluxio/conf";

    private AlluxioMasterObjects() {}

    /** The objects of {@code names}' quorum, whose masters read {@code properties} from the site file. */
    static List<HasMetadata> of(QuorumNames names, AlluxioPorts ports, Map<String, String> properties) {
        AlluxioMasterPod pod = new AlluxioMasterPod(names.spec());
        QuorumObjects.Builder objects = QuorumObjects.builder(names, ports.byName())
                .defaultImage(AlluxioHighAvailabilityProvider.DEFAULT_IMAGE)
                .propertiesFile(AlluxioProperties.SITE_FILE, CONF_DIR, properties)
                .assembledPropertiesFile(AlluxioMasterPod.INIT_RESOURCES)
                .journal(AlluxioNames.JOURNAL_VOLUME, AlluxioProperties.JOURNAL_FOLDER)
                .journalPorts(AlluxioPorts.JOURNAL, AlluxioPorts.JOB_JOURNAL)
                // The image's user; the fsGroup makes a fresh claim, whose root belongs to root, writable.
                .restrictedSecurity(new RestrictedPodSecurity(
                        AlluxioMasterPod.IMAGE_USER, AlluxioMasterPod.IMAGE_USER, true))
                .container(master(names, pod, AlluxioNames.CONTAINER, AlluxioMasterPod.MASTER,
                        List.of("master-only", "--no-format"),
                        List.of(AlluxioPorts.RPC, AlluxioPorts.WEB, AlluxioPorts.JOURNAL),
                        "ALLUXIO_MASTER_JAVA_OPTS", AlluxioProperties.MASTER_HOSTNAME))
                .container(master(names, pod, AlluxioNames.JOB_CONTAINER, AlluxioMasterPod.JOB_MASTER,
                        List.of("job-master"),
                        List.of(AlluxioPorts.JOB_RPC, AlluxioPorts.JOB_WEB, AlluxioPorts.JOB_JOURNAL),
                        "ALLUXIO_JOB_MASTER_JAVA_OPTS", AlluxioProperties.JOB_MASTER_HOSTNAME));
        AlluxioMasterPod.WRITABLE.forEach(objects::writableDirectory);
        return objects.build();
    }

    /**
     * The master and the job master run as two containers rather than as the image's combined {@code master}
     * command: that command starts both in the background and waits for both, so a master that exits would
     * leave a running container that Kubernetes never restarts.
     *
     * <p>An empty embedded journal initialises itself, so no format step runs (it would wipe a restarted
     * member's journal). Each master announces its own pod's DNS name, the one the shared address lists use, so
     * that it recognises itself among the journal members; the image's entrypoint hands the variable to the JVM
     * of its container, with the heap that follows the container's memory limit. Probes and resources are
     * those of the container's {@code process} (see {@link AlluxioMasterPod}).
     */
    private static MasterContainer master(QuorumNames names, AlluxioMasterPod pod, String name, String process,
            List<String> args, List<String> ports, String javaOptsVariable, String hostnameKey) {
        return MasterContainer.named(name)
                .args(args.toArray(String[]::new))
                .ports(ports.toArray(String[]::new))
                .env(names.podNameVariable())
                .env(javaOptsVariable, "-D" + hostnameKey + "=" + names.ownHost() + " " + pod.heapOption(process))
                .probes(AlluxioMasterPod.probes(process))
                .resources(pod.requirements(process))
                .build();
    }
}
