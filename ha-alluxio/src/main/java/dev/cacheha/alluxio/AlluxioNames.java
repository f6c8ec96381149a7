package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.toolkit.QuorumNames;

/**
 * Alluxio's naming facts. Every name of a plan comes from {@link QuorumNames} with Alluxio's suffix
 * {@value #OBJECT_NAME_SUFFIX}: the StatefulSet and headless Service {@code <name>-master}, the ConfigMap
 * {@code <name>-master-ha}, pods {@code <name>-master-<ordinal>}, claims {@code journal-<name>-master-<ordinal>}.
 */
public final class AlluxioNames {

    /** The engine name of the Alluxio provider. */
    public static final String ENGINE = "alluxio";
    /** What the StatefulSet's name adds to the runtime's, as in Fluid's charts. */
    public static final String OBJECT_NAME_SUFFIX = "-master";
    /** The master container's name; commands for the master (leader discovery, backups) run in it. */
    public static final String CONTAINER = "alluxio-master";
    /** The job master container's name. */
    public static final String JOB_CONTAINER = "alluxio-job-master";
    /** The name of the journal volume and of the StatefulSet's claim template. */
    public static final String JOURNAL_VOLUME = "journal";

    private AlluxioNames() {}

    /** The names of {@code spec}'s objects, pods and hosts. */
    public static QuorumNames of(HaSpec spec) {
        return new QuorumNames(spec, AlluxioHighAvailabilityProvider.RULES);
    }
}
