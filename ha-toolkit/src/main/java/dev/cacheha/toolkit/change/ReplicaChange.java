package dev.cacheha.toolkit.change;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.EngineRules;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Step;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.QuorumNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The ordered steps that change the number of masters of a running raft quorum, from the engine's facts: its
 * rules (for names), the container its membership commands run in, its journal claim template, and the
 * commands that remove a stopped member from (and, for an engine whose members do not join by themselves, add a
 * started member to) the raft configuration.
 *
 * <p><b>Which changes are safe.</b> During a change some members run with the old configuration and some
 * with the new one; only the {@code min(n, m)} members common to both are sure to be up throughout. The change
 * keeps a quorum only if they are a majority of both configurations: {@code min(n, m) >= max(n, m) / 2 + 1}.
 * So 3 to 5, 5 to 7 and back are safe; 3 to 7 is refused (go through 5), and so is any change to or from a
 * single master, which shares one member with a quorum that needs two or more.
 *
 * <p><b>Growing</b> from n to m: delete claims an earlier scale-down left for ordinals n..m-1 (they hold the
 * journal of removed members), apply the new objects (the StatefulSet starts the new members with the full
 * address list), add them where the engine needs it, wait for all m, then restart the n old members, leader last,
 * so that they load the new address lists too.
 *
 * <p><b>Shrinking</b> from n to m: apply the new objects first, so that the StatefulSet stops members m..n-1,
 * and only then remove them from the raft configuration. The order matters: a member removed while it still
 * runs no longer hears from a leader that stopped counting it, so its election timer fires and it keeps asking
 * the others for votes (the disruptive-server problem of raft), and on a restart with its old address list it
 * would try to rejoin. Stopped first, a removed member stays removed. Between the stop and the removal the
 * configuration still has n members of which m run, and the safety rule above is exactly what makes m a
 * majority of n. Last, the remaining members restart, leader last, so that their address lists no longer name
 * the removed members.
 *
 * @param rules the engine's rules, which name the members and claims
 * @param container the container the membership commands run in, on the member that leads
 * @param journalVolume the journal's claim template (and volume) name
 * @param removal the commands that remove a stopped member from the raft configuration, each an argv
 * @param addition the commands that add a started member, each an argv; none for an engine whose new members
 *     join by themselves
 */
public record ReplicaChange(EngineRules rules, String container, String journalVolume,
        Function<Member, List<List<String>>> removal, Function<Member, List<List<String>>> addition) {

    public ReplicaChange {
        requireNonNull(rules, "rules");
        requireNonNull(container, "container");
        requireNonNull(journalVolume, "journalVolume");
        requireNonNull(removal, "removal");
        requireNonNull(addition, "addition");
    }

    /** A change for an engine whose new members join by themselves, removed members leave with {@code removal}. */
    public static ReplicaChange removing(EngineRules rules, String container, String journalVolume,
            Function<Member, List<List<String>>> removal) {
        return new ReplicaChange(rules, container, journalVolume, removal, member -> List.of());
    }

    /** Whether going from {@code from} to {@code to} members in one change keeps a quorum throughout. */
    public static boolean keepsQuorum(int from, int to) {
        return Math.min(from, to) >= Math.max(from, to) / 2 + 1;
    }

    /**
     * The steps from {@code current} to {@code newReplicas} masters, with {@code planner} making the target plan
     * of an already validated spec.
     *
     * @throws SpecValidationException if {@code newReplicas} is not a valid size, or the change is unsafe
     */
    public ReplicaChangePlan plan(HaSpec current, int newReplicas, Function<HaSpec, HaPlan> planner) {
        HaSpec target = current.withReplicas(newReplicas);
        refuseUnsafe(current.replicas(), newReplicas);
        int from = current.replicas();
        HaPlan targetPlan = planner.apply(target);
        List<Step> steps = from < newReplicas ? grow(current, target, targetPlan)
                : from > newReplicas ? shrink(current, target, targetPlan) : List.of();
        return new ReplicaChangePlan(from, newReplicas, targetPlan, steps);
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

    private List<Step> grow(HaSpec current, HaSpec target, HaPlan targetPlan) {
        int from = current.replicas();
        int to = target.replicas();
        QuorumNames names = new QuorumNames(target, rules);
        List<Step> steps = new ArrayList<>();
        if (target.journal() instanceof JournalStorage.PersistentVolume) {
            steps.add(new Step.DeleteClaims(IntStream.range(from, to)
                            .mapToObj(ordinal -> names.claim(journalVolume, ordinal)).toList(),
                    "claims of members " + from + ".." + (to - 1) + " left by an earlier scale-down hold the"
                            + " journal of members removed from the quorum; the new members start empty and"
                            + " catch up from the leader"));
        }
        steps.add(new Step.Apply(targetPlan, true, "start members " + from + ".." + (to - 1) + " with the " + to
                + "-member address lists; they join the quorum of the " + from + " running members"));
        for (Member member : names.members().subList(from, to)) {
            addition.apply(member).forEach(argv -> steps.add(new Step.ExecOnLeader(container, argv,
                    "add started member " + member.ordinal() + " to the raft configuration: "
                            + String.join(" ", argv))));
        }
        steps.add(new Step.AwaitQuorum(to, "all " + to + " members must answer before the old members restart,"
                + " so that each restart leaves a majority of " + to + " running"));
        steps.add(new Step.RollMembers(new QuorumNames(current, rules).members(), "restart the " + from
                + " original members so that they load the " + to + "-member address lists; until then their"
                + " clients and journal know only the old members"));
        return steps;
    }

    private List<Step> shrink(HaSpec current, HaSpec target, HaPlan targetPlan) {
        int from = current.replicas();
        int to = target.replicas();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Apply(targetPlan, true, "stop members " + to + ".." + (from - 1)
                + " by shrinking the StatefulSet to " + to + "; the " + to + " remaining members are a majority of"
                + " the " + from + "-member configuration, so the quorum keeps its leader"));
        for (Member member : new QuorumNames(current, rules).members().subList(to, from)) {
            removal.apply(member).forEach(argv -> steps.add(new Step.ExecOnLeader(container, argv,
                    "remove stopped member " + member.ordinal() + " from the raft configuration, so that"
                            + " majorities are counted over the remaining members only: " + String.join(" ", argv))));
        }
        steps.add(new Step.RollMembers(new QuorumNames(target, rules).members(), "restart the " + to + " remaining"
                + " members so that they load the " + to + "-member address lists and stop contacting the"
                + " removed members"));
        steps.add(new Step.AwaitQuorum(to, "the quorum of " + to + " members is whole again"));
        return steps;
    }
}
