package dev.cacheha.testkit.sample;

import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.LeaderDiscovery;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Providers that each break one requirement of the kit, so the kit can be seen to catch it. */
public final class BrokenProviders {

    private BrokenProviders() {}

    /** Lists the journal addresses from the last ordinal to the first. */
    public static final class UnsortedAddresses extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-unsorted";
        }

        @Override
        public HaPlan plan(HaSpec spec) {
            HaPlan plan = super.plan(spec);
            List<HostPort> reversed = new ArrayList<>(plan.journalAddresses());
            Collections.reverse(reversed);
            return new HaPlan(plan.engine(), plan.properties(), plan.members(), reversed, plan.objects());
        }
    }

    /** Deletes every claim whose name starts like the runtime's, whatever its namespace and labels. */
    public static final class TakesForeignClaims extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-greedy";
        }

        @Override
        public CleanupPlan cleanup(HaSpec spec, List<PersistentVolumeClaim> existingClaims) {
            String prefix = "journal-" + statefulSetName(spec) + "-";
            return new CleanupPlan(
                    existingClaims.stream().filter(claim -> claim.getMetadata().getName().startsWith(prefix)).toList(),
                    existingClaims.stream().filter(claim -> !claim.getMetadata().getName().startsWith(prefix))
                            .map(claim -> new CleanupPlan.Kept(claim, "named otherwise")).toList());
        }
    }

    /** Ignores the controller's deadline and waits as long as a member takes. */
    public static final class WaitsUnbounded extends SampleHighAvailabilityProvider {
        @Override
        public String engine() {
            return "sample-unbounded";
        }

        @Override
        public LeaderDiscovery leaderDiscovery(HaSpec spec, ClusterAccess access) {
            return super.leaderDiscovery(spec, access.withDeadline(Duration.ofDays(1)));
        }
    }
}
