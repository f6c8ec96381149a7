package dev.cacheha.examples.jindo;

import com.google.auto.service.AutoService;
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
import java.util.List;

/**
 * Master high availability for JindoCache/JindoFSx: a raft quorum of 1, 3, 5 or 7 masters in a StatefulSet
 * {@code <name>-jindofs-master}, with the journal ({@code namespace.meta-dir}) on a claim per master or in an
 * {@code emptyDir}. Built on the cache-ha SPI alone, as any third-party engine would be.
 *
 * <p>Leader discovery runs {@code jindo admin -report} in each master; see {@link JindoLeaderDiscovery} for
 * the output it assumes.
 */
@AutoService(HighAvailabilityProvider.class)
public final class JindoHighAvailabilityProvider implements HighAvailabilityProvider {

    /** The engine name, {@value JindoMasters#ENGINE}. */
    @Override
    public String engine() {
        return JindoMasters.ENGINE;
    }

    /**
     * Refuses names too long for Jindo's object names, ports other than {@code rpc} and {@code raft},
     * properties the provider derives itself, and pod settings it cannot honour (see {@link JindoMasterPod}).
     */
    @Override
    public void validate(HaSpec spec) {
        List<Violation> violations = new ArrayList<>(JindoSpecRules.check(spec));
        violations.addAll(JindoMasterPod.violations(spec));
        SpecValidationException.throwIfAny(violations);
    }

    /** The raft properties, the masters' raft addresses, and the Service, StatefulSet, budget and policy. */
    @Override
    public HaPlan plan(HaSpec spec) {
        validate(spec);
        JindoMasters masters = new JindoMasters(spec);
        return new HaPlan(engine(), JindoProperties.of(masters), masters.members(), masters.raftAddresses(),
                JindoObjects.of(masters));
    }

    /** Asks every master for its role through {@code access}'s pod exec, each within the access deadline. */
    @Override
    public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
        validate(spec);
        return new JindoLeaderDiscovery(new JindoMasters(spec).members(), access);
    }

    /** The runtime's journal claims: in its namespace, with its labels, named for a current ordinal. */
    @Override
    public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
        return JindoClaimSelection.select(new JindoMasters(spec), existingClaims);
    }
}
