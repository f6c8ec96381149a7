package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the steps of a {@link StepRunner} act on.
 *
 * @param runtime the runtime whose quorum they change
 * @param provider its engine's provider
 * @param spec the spec the steps lead to (a replica change's target size)
 * @param everyMember the spec whose members a wait or a command on the leader asks: every member that may
 *     run during the steps (the larger size of a replica change)
 * @param statefulSet the StatefulSet of {@code spec}'s plan (for its name, claim templates and digest)
 * @param view the informers' caches
 * @param desired the objects to apply for a plan, owned by the runtime
 * @param discover leader discovery of a spec's members
 * @param access how a command reaches a member: only pods of the runtime's own StatefulSet
 * @param pods a member's cached pod, if it is one of the runtime's StatefulSet
 */
record StepTarget(CacheRuntime runtime, HighAvailabilityProvider provider, HaSpec spec, HaSpec everyMember,
        StatefulSet statefulSet, ClusterView view, Function<HaPlan, List<HasMetadata>> desired,
        Function<HaSpec, LeaderStatus> discover, ClusterAccess access, Function<Member, Optional<Pod>> pods) {
    StepTarget {
        requireNonNull(runtime, "runtime");
        requireNonNull(provider, "provider");
        requireNonNull(spec, "spec");
        requireNonNull(everyMember, "everyMember");
        requireNonNull(statefulSet, "statefulSet");
        requireNonNull(view, "view");
        requireNonNull(desired, "desired");
        requireNonNull(discover, "discover");
        requireNonNull(access, "access");
        requireNonNull(pods, "pods");
    }
}
