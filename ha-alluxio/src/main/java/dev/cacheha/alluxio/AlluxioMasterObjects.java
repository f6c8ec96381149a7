package dev.cacheha.alluxio;

import dev.cacheha.toolkit.MasterContainer;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.QuorumObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import java.util.List;
import java.util.Map;

/**
 * Alluxio's facts about its master pods, handed to the toolkit's {@link QuorumObjects}, which renders the
 * ConfigMap with {@value AlluxioProperties#SITE_FILE}, the headless Service, the journal NetworkPolicy, the
 * StatefulSet and the PodDisruptionBudget.
 */
final class AlluxioMasterObjects {

    /** Alluxio's configuration directory in the {@code alluxio/alluxio} image. */
    static final String CONF_DIR = "/opt/alluxio/conf";

    /** The {@code alluxio/alluxio} image runs as uid and gid 1000, and a fresh claim's root belongs to root. */
    private static final long ALLUXIO_GROUP = 1000L;

    private AlluxioMasterObjects() {}

    /** The objects of {@code names}' quorum, whose masters read {@code properties} from the site file. */
    static List<HasMetadata> of(QuorumNames names, AlluxioPorts ports, Map<String, String> properties) {
        PodSecurityContext writableJournal = new PodSecurityContext();
        writableJournal.setFsGroup(ALLUXIO_GROUP);
        return QuorumObjects.builder(names, ports.byName())
                .defaultImage(AlluxioHighAvailabilityProvider.DEFAULT_IMAGE)
                .propertiesFile(AlluxioProperties.SITE_FILE, CONF_DIR, properties)
                .journal(AlluxioNames.JOURNAL_VOLUME, AlluxioProperties.JOURNAL_FOLDER)
                .journalPorts(AlluxioPorts.JOURNAL, AlluxioPorts.JOB_JOURNAL)
                .podSecurityContext(writableJournal)
                .container(master(names, AlluxioNames.CONTAINER, List.of("master-only", "--no-format"),
                        List.of(AlluxioPorts.RPC, AlluxioPorts.WEB, AlluxioPorts.JOURNAL),
                        "ALLUXIO_MASTER_JAVA_OPTS", AlluxioProperties.MASTER_HOSTNAME))
                .container(master(names, AlluxioNames.JOB_CONTAINER, List.of("job-master"),
                        List.of(AlluxioPorts.JOB_RPC, AlluxioPorts.JOB_WEB, AlluxioPorts.JOB_JOURNAL),
                        "ALLUXIO_JOB_MASTER_JAVA_OPTS", AlluxioProperties.JOB_MASTER_HOSTNAME))
                .build();
    }

    /**
     * The master and the job master run as two containers rather than as the image's combined {@code master}
     * command: that command starts both in the background and waits for both, so a master that exits would
     * leave a running container that Kubernetes never restarts.
     *
     * <p>An empty embedded journal initialises itself, so no format step runs (it would wipe a restarted
     * member's journal). Each master announces its own pod's DNS name, the one the shared address lists use, so
     * that it recognises itself among the journal members; the image's entrypoint hands the variable to the JVM
     * of its container. Ready means the rpc port is open: the process is up, leader or standby.
     */
    private static MasterContainer master(QuorumNames names, String name, List<String> args, List<String> ports,
            String javaOptsVariable, String hostnameKey) {
        return MasterContainer.named(name)
                .args(args.toArray(String[]::new))
                .ports(ports.toArray(String[]::new))
                .env(names.podNameVariable())
                .env(javaOptsVariable, "-D" + hostnameKey + "=" + names.ownHost())
                .readinessProbe(MasterContainer.portOpen(ports.get(0)))
                .build();
    }
}
