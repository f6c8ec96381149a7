package dev.cacheha.alluxio;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.Member;
import dev.cacheha.toolkit.change.ReplicaChange;
import java.util.ArrayList;
import java.util.List;

/**
 * Alluxio's facts for the toolkit's {@link ReplicaChange}: new masters join by themselves (they start with the
 * full address list), and a stopped master leaves through {@code alluxio fsadmin journal quorum remove}, once
 * from the master's and once from the job master's journal quorum.
 */
final class AlluxioReplicaChange {

    private static final List<String> QUORUM_REMOVE = List.of("alluxio", "fsadmin", "journal", "quorum", "remove");

    private AlluxioReplicaChange() {}

    /** The change of the running quorum of {@code current}, whose ports name the journal addresses to remove. */
    static ReplicaChange of(HaSpec current) {
        AlluxioPorts ports = AlluxioPorts.of(current);
        return ReplicaChange.removing(AlluxioHighAvailabilityProvider.RULES, AlluxioNames.CONTAINER,
                AlluxioNames.JOURNAL_VOLUME, member -> List.of(
                        removal("MASTER", member, ports.journal()),
                        removal("JOB_MASTER", member, ports.jobJournal())));
    }

    private static List<String> removal(String domain, Member member, int port) {
        List<String> argv = new ArrayList<>(QUORUM_REMOVE);
        argv.addAll(List.of("-domain", domain, "-address", new HostPort(member.host(), port).toString()));
        return argv;
    }
}
