package dev.cacheha.alluxio;

import com.google.auto.service.AutoService;
import dev.cacheha.alluxio.discovery.AlluxioLeaderDiscovery;
import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.RestorePlan;
import dev.cacheha.toolkit.JournalClaimSelection;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.change.ReplicaChange;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Master high availability for Alluxio 2.x with the embedded (raft) journal.
 *
 * <p>Every master runs with the full list of journal and rpc addresses, so clients follow a failover by
 * themselves, and with the standby web server enabled, so that each master reports its own role over HTTP.
 */
@AutoService(HighAvailabilityProvider.class)
public final class AlluxioHighAvailabilityProvider implements HighAvailabilityProvider {

    /**
     * The master image when the spec names none: the newest open-source Alluxio release that ships the master
     * server, the version whose configuration keys the plan uses.
     */
    public static final String DEFAULT_IMAGE = "alluxio/alluxio:2.9.6";

    /**
     * Alluxio's facts the SPI checks every spec against: the {@code -master} suffix, its six ports, owned keys,
     * and its two processes ({@code master}, {@code job-master}) that resources may name.
     */
    static final EngineRules RULES = new EngineRules(AlluxioNames.ENGINE, AlluxioNames.OBJECT_NAME_SUFFIX,
            AlluxioPorts.DEFAULTS, new TreeMap<>(AlluxioProperties.OWNED), AlluxioMasterPod.RESOURCES.processes());

    @Override
    public String engine() {
        return AlluxioNames.ENGINE;
    }

    /** Names, ports, generated properties and processes, as data; the SPI checks them with its own rules. */
    @Override
    public EngineRules rules() {
        return RULES;
    }

    /** The declared rules, and a memory journal that leaves the master the memory it needs beside it. */
    @Override
    public void validate(HaSpec spec) {
        AlluxioMasterPod.RESOURCES.validate(spec, RULES, List.of());
    }

    /** Every optional operation: replica change, backup, restore and member rebuild. */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        QuorumNames names = AlluxioNames.of(spec);
        AlluxioPorts ports = AlluxioPorts.of(spec);
        Map<String, String> properties = AlluxioProperties.of(spec, names, ports);
        return new HaPlan(engine(), properties, names.members(), names.addresses(ports.journal()),
                AlluxioMasterObjects.of(names, ports, properties));
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        return new AlluxioLeaderDiscovery(spec, access);
    }

    /**
     * Selects the runtime's journal claims by namespace, name, labels and annotation; see
     * {@link JournalClaimSelection}.
     */
    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        return JournalClaimSelection.select(AlluxioNames.of(spec), AlluxioNames.JOURNAL_VOLUME, existingClaims);
    }

    /**
     * Grows or shrinks the quorum by steps that keep a majority running; see {@link ReplicaChange} for which
     * changes are safe and why the steps come in this order, and {@link AlluxioReplicaChange} for Alluxio's part.
     */
    @Override
    public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        return AlluxioReplicaChange.of(spec).plan(spec, newReplicas, this::plan);
    }

    /** {@code alluxio fsadmin backup} on the leader itself; see {@link AlluxioBackup}. */
    @Override
    public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
        return AlluxioBackup.RECOVERY.backup(spec, status, target, AlluxioBackup.COMMAND);
    }

    /**
     * Freshly formatted journals that load the backup through {@value AlluxioBackup#INIT_FROM_BACKUP}: the restoring
     * spec differs from the accepted one only by a property no rule concerns, so it is planned as accepted too.
     */
    @Override
    public RestorePlan planRestore(HaSpec spec, Backup backup) {
        return AlluxioBackup.RECOVERY.restore(spec, backup, AlluxioBackup.INIT_FROM_BACKUP, this::plan);
    }

    /** An emptied journal that catches up from the leader. */
    @Override
    public MemberRebuildPlan planMemberRebuild(HaSpec spec, LeaderStatus status, int ordinal) {
        return AlluxioBackup.RECOVERY.rebuild(spec, status, ordinal);
    }
}
