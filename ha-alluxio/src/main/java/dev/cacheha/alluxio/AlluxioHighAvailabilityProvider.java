package dev.cacheha.alluxio;

import com.google.auto.service.AutoService;
import dev.cacheha.alluxio.discovery.AlluxioLeaderDiscovery;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    @Override
    public String engine() {
        return AlluxioNames.ENGINE;
    }

    @Override
    public void validate(HaSpec spec) {
        List<Violation> violations = new ArrayList<>();
        spec.ports().keySet().stream()
                .filter(name -> !AlluxioPorts.NAMES.contains(name))
                .forEach(name -> violations.add(new Violation("ports." + name,
                        "is not an Alluxio master port; known ports: " + AlluxioPorts.NAMES)));
        checkDistinctPorts(AlluxioPorts.of(spec), violations);
        violations.addAll(AlluxioProperties.conflicts(spec));
        violations.addAll(AlluxioMasterPod.violations(spec));
        SpecValidationException.throwIfAny(violations);
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        validate(spec);
        AlluxioNames names = new AlluxioNames(spec);
        AlluxioPorts ports = AlluxioPorts.of(spec);
        Map<String, String> properties = AlluxioProperties.of(spec, names, ports);
        return new HaPlan(engine(), properties, names.members(), names.addresses(ports.journal()),
                AlluxioMasterObjects.of(spec, names, ports, properties));
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        validate(spec);
        return new AlluxioLeaderDiscovery(spec, access);
    }

    /**
     * Selects the runtime's journal claims by namespace, name, labels and annotation; see
     * {@link AlluxioJournalClaims}.
     */
    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        return AlluxioJournalClaims.cleanup(spec, existingClaims);
    }

    /**
     * Grows or shrinks the quorum by steps that keep a majority running; see {@link AlluxioReplicaChange} for
     * which changes are safe and why the steps come in this order.
     */
    @Override
    public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
        validate(spec);
        return AlluxioReplicaChange.plan(spec, newReplicas, this::plan);
    }

    /** Overrides may collide with a default port that was not overridden; HaSpec only sees the overrides. */
    private static void checkDistinctPorts(AlluxioPorts ports, List<Violation> violations) {
        Map<Integer, String> seen = new HashMap<>();
        ports.byName().forEach((name, number) -> {
            String other = seen.putIfAbsent(number, name);
            if (other != null) {
                violations.add(new Violation("ports." + name, number + " is also the " + other
                        + " port; every master port must be distinct"));
            }
        });
    }
}
