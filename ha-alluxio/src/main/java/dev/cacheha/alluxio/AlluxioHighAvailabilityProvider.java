package dev.cacheha.alluxio;

import com.google.auto.service.AutoService;
import dev.cacheha.alluxio.discovery.AlluxioLeaderDiscovery;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderDiscovery;
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
        SpecValidationException.throwIfAny(violations);
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        validate(spec);
        AlluxioNames names = new AlluxioNames(spec);
        AlluxioPorts ports = AlluxioPorts.of(spec);
        return new HaPlan(engine(), AlluxioProperties.of(spec, names, ports), names.members(),
                names.addresses(ports.journal()), List.of());
    }

    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        validate(spec);
        return new AlluxioLeaderDiscovery(spec, access);
    }

    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        throw new UnsupportedOperationException("cleanup is being built (issue 3)");
    }

    /** Overrides may collide with a default port that was not overridden; HaSpec only sees the overrides. */
    private static void checkDistinctPorts(AlluxioPorts ports, List<Violation> violations) {
        Map<Integer, String> seen = new HashMap<>();
        List<Integer> numbers = ports.inNameOrder();
        for (int i = 0; i < numbers.size(); i++) {
            String name = AlluxioPorts.NAMES.get(i);
            String other = seen.putIfAbsent(numbers.get(i), name);
            if (other != null) {
                violations.add(new Violation("ports." + name, numbers.get(i) + " is also the " + other
                        + " port; every master port must be distinct"));
            }
        }
    }
}
