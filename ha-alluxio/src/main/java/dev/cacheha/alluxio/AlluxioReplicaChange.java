package dev.cacheha.alluxio;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.ReplicaChangePlan.Step;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.QuorumNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Plans a change of the number of Alluxio masters of a running quorum.
 *
 * <p><b>Which changes are safe.</b> During a change some members run with the old configuration and some
 * with the new one; only the {@code min(n, m)} members common to both are sure to be up throughout. The change
 * keeps a quorum only if they are a majority of both configurations: {@code min(n, m) >= max(n, m) / 2 + 1}.
 * So 3 to 5, 5 to 7 and back are safe; 3 to 7 is refused (go through 5), and so is any change to or from a
 * single master, which shares one member with a quorum that needs two or more.
 *
 * <p><b>Growing</b> from n to m: apply the new objects (the StatefulSet starts the new members with the full
 * address list and they join the quorum), wait for all m, then restart the n old members, leader last, so
 * that they load the new address lists too.
 *
 * <p><b>Shrinking</b> from n to m: apply the new objects first, so that the StatefulSet stops members m..n-1,
 * and only then remove them from the raft configuration of the master and the job master. The order matters:
 * a member removed while it still runs no longer hears from a leader that stopped counting it, so its election
 * timer fires and it keeps asking the others for votes (the disruptive-server problem of raft), and on a
 * restart with its old address list it would try to rejoin. Stopped first, a removed
 * member stays removed. Between the stop and the removal the configuration still has n members of which m run,
 * and the safety rule above is exactly what makes m a majority of n. Last, the remaining members restart,
 * leader last, so that their address lists no longer name the removed members.
 */
final class AlluxioReplicaChange {

    private static final List<String> QUORUM_REMOVE = List.of("alluxio", "fsadmin", "journal", "quorum", "remove");

    private final HaSpec current;
    private final HaSpec target;
    private final HaPlan targetPlan;

    private AlluxioReplicaChange(HaSpec current, HaSpec target, HaPlan targetPlan) {
        this.current = current;
        this.target = target;
        this.targetPlan = targetPlan;
    }

    /**
     * The steps from {@code current} to {@code newReplicas} masters, with {@code planner} making the target
     * plan.
     *
     * @throws SpecValidationException if {@code newReplicas} is not a valid size, or the change is unsafe
     */
    static ReplicaChangePlan plan(HaSpec current, int newReplicas, Function<HaSpec, HaPlan> planner) {
        HaSpec target = current.withReplicas(newReplicas);
        refuseUnsafe(current.replicas(), newReplicas);
        return new AlluxioReplicaChange(current, target, planner.apply(target)).steps();
    }

    /** Whether going from {@code from} to {@code to} members in one change keeps a quorum throughout. */
    static boolean keepsQuorum(int from, int to) {
        return Math.min(from, to) >= Math.max(from, to) / 2 + 1;
    }

    private static void refuseUnsafe(int from, int to) {
        if (keepsQuorum(from, to)) {
            return;
        }
        int common = Math.min(from, to);
        int larger = Math.max(from, to);
        String problem = "going from " + from + " to " + to + " masters at once loses the quorum: only the "
                + common + " member" + (common == 1 ? " common to both sizes is" : "s common to both sizes are")
                + " sure to run during the change, fewer than a majority of " + larger + " ("
                + (larger / 2 + 1) + ")";
        List<Integer> path = stepwise(from, to);
        boolean pathIsSafe = IntStream.range(1, path.size())
                .allMatch(i -> keepsQuorum(path.get(i - 1), path.get(i)));
        String remedy = pathIsSafe
                ? "; change in steps, waiting for each to finish: " + path.stream().map(String::valueOf)
                        .collect(Collectors.joining(" -> "))
                : "; no sequence of changes avoids this, because a single master shares only itself with any"
                        + " larger quorum: back up the journal and recreate the runtime with " + to
                        + " master" + (to == 1 ? "" : "s");
        throw new SpecValidationException(List.of(new Violation("replicas", problem + remedy)));
    }

    /** The odd sizes from {@code from} to {@code to}, both included; both are odd, as every valid size is. */
    private static List<Integer> stepwise(int from, int to) {
        int direction = Integer.signum(to - from);
        List<Integer> sizes = new ArrayList<>();
        for (int size = from; size != to; size += 2 * direction) {
            sizes.add(size);
        }
        sizes.add(to);
        return sizes;
    }

    private ReplicaChangePlan steps() {
        int from = current.replicas();
        int to = target.replicas();
        List<Step> steps = from < to ? grow(from, to) : from > to ? shrink(from, to) : List.of();
        return new ReplicaChangePlan(from, to, targetPlan, steps);
    }

    private List<Step> grow(int from, int to) {
        List<Step> steps = new ArrayList<>();
        if (target.journal() instanceof JournalStorage.PersistentVolume) {
            QuorumNames names = AlluxioNames.of(target);
            steps.add(new Step.DeleteClaims(IntStream.range(from, to)
                            .mapToObj(ordinal -> names.claim(AlluxioNames.JOURNAL_VOLUME, ordinal)).toList(),
                    "claims of members " + from + ".." + (to - 1) + " left by an earlier scale-down hold the"
                            + " journal of members removed from the quorum; the new members start empty and"
                            + " catch up from the leader"));
        }
        steps.add(new Step.Apply("start members " + from + ".." + (to - 1) + " with the " + to
                + "-member address lists; they join the quorum of the " + from + " running members"));
        steps.add(new Step.AwaitQuorum(to, "all " + to + " members must answer before the old members restart,"
                + " so that each restart leaves a majority of " + to + " running"));
        steps.add(new Step.RollMembers(AlluxioNames.of(current).members(), "restart the " + from + " original"
                + " members so that they load the " + to + "-member address lists; until then their"
                + " clients and journal know only the old members"));
        return steps;
    }

    private List<Step> shrink(int from, int to) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Apply("stop members " + to + ".." + (from - 1) + " by shrinking the StatefulSet to "
                + to + "; the " + to + " remaining members are a majority of the " + from
                + "-member configuration, so the quorum keeps its leader"));
        QuorumNames names = AlluxioNames.of(current);
        AlluxioPorts ports = AlluxioPorts.of(current);
        for (int ordinal = to; ordinal < from; ordinal++) {
            steps.add(removal("MASTER", new HostPort(names.host(ordinal), ports.journal()), ordinal));
            steps.add(removal("JOB_MASTER", new HostPort(names.host(ordinal), ports.jobJournal()), ordinal));
        }
        steps.add(new Step.RollMembers(AlluxioNames.of(target).members(), "restart the " + to + " remaining"
                + " members so that they load the " + to + "-member address lists and stop contacting the"
                + " removed members"));
        steps.add(new Step.AwaitQuorum(to, "the quorum of " + to + " members is whole again"));
        return steps;
    }

    private static Step removal(String domain, HostPort address, int ordinal) {
        List<String> argv = new ArrayList<>(QUORUM_REMOVE);
        argv.addAll(List.of("-domain", domain, "-address", address.toString()));
        return new Step.ExecOnLeader(AlluxioNames.CONTAINER, argv, "remove stopped member " + ordinal
                + " from the " + domain + " journal quorum, so that majorities are counted over the remaining"
                + " members only");
    }
}
