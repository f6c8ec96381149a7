package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.CommandsInFlight;
import dev.cacheha.examples.controller.access.MemberCommand;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * Runs a provider's list of {@link Step}s on the cluster, whichever operation planned it (a replica change, a
 * restore), from the step its progress record names, and never waits: a step that has to wait says for what, and
 * the reconciler reschedules. Every step is idempotent (the SPI says why for each), so a reconcile that resumes
 * at a step whose completion was not recorded runs it again harmlessly:
 * <ul>
 *   <li>{@code CheckOnMember}: the command in the member's container; non-zero refuses the operation before
 *       anything was changed; a command that could not run is tried again.</li>
 *   <li>{@code StopMembers}: the StatefulSet scaled down to the lowest of the members' ordinals, which stops
 *       exactly them when they are its highest ordinals (every member for a restore, the last one for a rebuild);
 *       any other set is refused, since scaling would stop members the plan keeps running. Then waits until no
 *       pod of the members exists (asked of the API server, not the cache).</li>
 *   <li>{@code WipeJournal}, {@code DeleteClaims}: the claims deleted through {@link StaleClaims}: only with no
 *       pod of that ordinal, the provider's cleanup selecting them, and their UIDs as preconditions.</li>
 *   <li>{@code Apply}: the plan's objects applied; without {@code resize} the StatefulSet's replica count is held
 *       at what the API server says now, so applying never starts a member that a later step starts.</li>
 *   <li>{@code StartMembers}: the StatefulSet scaled up to the highest of the members' ordinals.</li>
 *   <li>{@code RollMembers}: {@link MemberRoll}, one member per call, the leader last.</li>
 *   <li>{@code ExecOnLeader}: the command on the member discovery names leader, on the bounded executor; one per
 *       step while it runs; a non-zero exit fails the reconcile, which the framework retries.</li>
 *   <li>{@code AwaitQuorum}, {@code AwaitRole}: leader discovery until it holds; for {@code AwaitQuorum} a
 *       follower that names a leader counts only if it names the one that leads ({@link #quorumWait}).</li>
 * </ul>
 */
final class StepRunner {

    private static final Logger LOG = Logger.getLogger(StepRunner.class.getName());

    private final KubernetesClient client;
    private final OwnedObjects owned;
    private final StaleClaims staleClaims;
    private final MemberRoll roll;
    private final CommandsInFlight<PodExec.Result> commands;
    private final Duration leaderCommandTimeout;

    StepRunner(KubernetesClient client, OwnedObjects owned, StaleClaims staleClaims, MemberRoll roll,
            CommandsInFlight<PodExec.Result> commands, Duration leaderCommandTimeout) {
        this.client = requireNonNull(client, "client");
        this.owned = requireNonNull(owned, "owned");
        this.staleClaims = requireNonNull(staleClaims, "staleClaims");
        this.roll = requireNonNull(roll, "roll");
        this.commands = requireNonNull(commands, "commands");
        this.leaderCommandTimeout = requireNonNull(leaderCommandTimeout, "leaderCommandTimeout");
    }

    /**
     * Where a run of steps stopped before the last was done.
     *
     * @param step the index of the step it stopped at, which is not done
     * @param why what the step waits for, or why the operation is refused
     * @param refused whether a check refused the operation (nothing was changed), rather than a wait
     */
    record Stop(int step, String why, boolean refused) {
        Stop {
            requireNonNull(why, "why");
        }
    }

    /**
     * Runs {@code steps} from index {@code next}, calling {@code done} with the index of the next step after each
     * one is done (the list's size after the last), so the caller records the progress a retry resumes from.
     *
     * @param key names the operation among the runtime's commands in flight; a step's is {@code uid/key/index}
     * @return where the run stopped; empty once every step is done
     */
    Optional<Stop> run(List<Step> steps, int next, StepTarget target, String key, IntConsumer done) {
        for (int index = next; index < steps.size(); index++) {
            Optional<String> waiting;
            try {
                waiting = run(steps.get(index), target, target.runtime().getMetadata().getUid() + "/" + key + "/"
                        + index);
            } catch (CheckFailedException failed) {
                return Optional.of(new Stop(index, failed.getMessage(), true));
            }
            if (waiting.isPresent()) {
                return Optional.of(new Stop(index, waiting.get(), false));
            }
            done.accept(index + 1);
        }
        return Optional.empty();
    }

    /** A {@code CheckOnMember} whose command exited non-zero: the operation is refused, nothing was changed. */
    private static final class CheckFailedException extends RuntimeException {
        CheckFailedException(String message) {
            super(message);
        }
    }

    private Optional<String> run(Step step, StepTarget target, String key) {
        if (step instanceof Step.CheckOnMember check) {
            return check(check, target.access(), key);
        } else if (step instanceof Step.StopMembers stop) {
            scale(target, lowestOrdinal(stop.members(), target.spec()));
            List<String> running = stop.members().stream().map(Member::podName)
                    .filter(pod -> client.pods().inNamespace(target.spec().namespace()).withName(pod).get() != null)
                    .toList();
            return running.isEmpty() ? Optional.empty() : Optional.of("pods " + running + " to stop");
        } else if (step instanceof Step.WipeJournal wipe) {
            // A journal that is kept (its pod still there) must not be skipped: the member would keep its data.
            List<String> kept = wipe.claim().map(claim -> deleteClaims(List.of(claim), target)).orElse(List.of());
            return kept.isEmpty() ? Optional.empty()
                    : Optional.of("journal claim " + wipe.claim().get() + " to be deletable; kept: " + kept.get(0));
        } else if (step instanceof Step.DeleteClaims stale) {
            // Claims of removed members that are kept (not this runtime's) hold no journal a new member loads.
            deleteClaims(stale.claimNames(), target).forEach(kept -> LOG.info(() -> "kept claim " + kept));
            return Optional.empty();
        } else if (step instanceof Step.Apply apply) {
            apply(apply, target);
            return Optional.empty();
        } else if (step instanceof Step.StartMembers start) {
            scale(target, start.members().stream().mapToInt(Member::ordinal).max().orElse(-1) + 1);
            return Optional.empty();
        } else if (step instanceof Step.RollMembers members) {
            return roll.step(members.members(), ConfigDigest.planned(target.statefulSet()), target.pods(),
                    () -> target.discover().apply(target.spec())).map(MemberRoll.Waiting::what);
        } else if (step instanceof Step.ExecOnLeader exec) {
            return execOnLeader(exec, target, key);
        } else if (step instanceof Step.AwaitQuorum await) {
            return quorumWait(target.discover().apply(target.everyMember()), await.members());
        } else if (step instanceof Step.AwaitRole await) {
            LeaderStatus quorum = target.discover().apply(target.everyMember());
            Role role = quorum.members().stream().filter(answer -> answer.member().equals(await.member()))
                    .map(LeaderStatus.MemberAnswer::role).findFirst().orElse(Role.UNKNOWN);
            return quorum.leader().isPresent() && role == await.role() ? Optional.empty()
                    : Optional.of(await.member().podName() + " to answer " + await.role() + " (it answers " + role
                            + ", health " + quorum.health() + ")");
        }
        throw new IllegalStateException("this controller does not know step " + step);
    }

    /**
     * Whether {@code quorum} has {@code members} members answering with one leader; what it waits for otherwise.
     * When the engine tells whom its followers follow (some answer names a leader), a follower counts only once
     * it names that leader: a member that answers but has not heard from the leader may not be in the raft
     * configuration at all (a new Alluxio master the leader refused keeps answering FOLLOWER over HTTP, see
     * docs/reliability.md section 12), and counting it would let a grow restart the old members too early.
     */
    static Optional<String> quorumWait(LeaderStatus quorum, int members) {
        List<Member> leaders = quorum.membersWithRole(Role.LEADER);
        boolean namesLeaders = quorum.members().stream().anyMatch(answer -> answer.follows().isPresent());
        int followers = quorum.membersWithRole(Role.FOLLOWER).size();
        int following = followers - MemberRoll.notFollowingTheLeader(quorum).size();
        int answered = leaders.size() + followers;
        return leaders.size() == 1 && leaders.size() + following >= members ? Optional.empty()
                : Optional.of(members + " members to answer with one leader" + (namesLeaders
                        ? ", each follower naming it (" + answered + " answer, " + following + " follow "
                                + (leaders.size() == 1 ? leaders.get(0).podName() : "no single leader")
                        : " (" + answered + " answer") + ", health " + quorum.health() + ")");
    }

    /**
     * The StatefulSet size that stops exactly {@code members}: the lowest of their ordinals, when they are every
     * ordinal from it to the last of {@code spec}'s.
     *
     * @throws IllegalStateException if they are not: scaling would stop members the plan keeps running
     */
    static int lowestOrdinal(List<Member> members, HaSpec spec) {
        int lowest = members.stream().mapToInt(Member::ordinal).min().orElse(spec.replicas());
        List<Integer> ordinals = members.stream().map(Member::ordinal).sorted().distinct().toList();
        if (!ordinals.equals(IntStream.range(lowest, spec.replicas()).boxed().toList())) {
            throw new IllegalStateException("a StatefulSet stops only its highest ordinals, so members " + ordinals
                    + " of " + spec.replicas() + " cannot be stopped alone");
        }
        return lowest;
    }

    private void apply(Step.Apply apply, StepTarget target) {
        Optional<Integer> held = apply.resize() ? Optional.empty() : Optional.of(liveReplicas(target));
        for (HasMetadata object : target.desired().apply(apply.plan())) {
            if (object instanceof StatefulSet statefulSet && held.isPresent()) {
                statefulSet.getSpec().setReplicas(held.get());
            }
            owned.apply(object, target.runtime(), target.view());
        }
    }

    private Optional<String> check(Step.CheckOnMember check, ClusterAccess access, String key) {
        Optional<CompletableFuture<PodExec.Result>> done = commands.done(key, () -> MemberCommand.start(
                access.withDeadline(check.timeout()), check.member(), check.container(), check.argv()));
        if (done.isEmpty()) {
            return Optional.of("the check " + check.argv() + " to finish");
        }
        PodExec.Result result;
        try {
            result = done.get().join();
        } catch (CompletionException failed) {
            // Not an answer about the backup: the pod may be starting. Nothing was changed; try again.
            return Optional.of("the check " + check.argv() + " to run: " + MemberCommand.notRun(failed).getMessage());
        }
        if (result.exitCode() != 0) {
            throw new CheckFailedException(check.argv() + " on " + check.member().podName() + " exited "
                    + result.exitCode()
                    + (result.stderr().isBlank() ? "" : " (" + StatusText.excerpt(result.stderr()) + ")")
                    + ", so nothing was stopped or deleted: " + check.description());
        }
        return Optional.empty();
    }

    private Optional<String> execOnLeader(Step.ExecOnLeader exec, StepTarget target, String key) {
        Optional<CompletableFuture<PodExec.Result>> done;
        if (commands.started(key)) {
            done = commands.done(key);
        } else {
            LeaderStatus quorum = target.discover().apply(target.everyMember());
            if (quorum.leader().isEmpty()) {
                return Optional.of("a leader to run " + exec.argv() + " on (health " + quorum.health() + ")");
            }
            Member leader = quorum.leader().get();
            done = commands.done(key, () -> MemberCommand.start(target.access().withDeadline(leaderCommandTimeout),
                    leader, exec.container(), exec.argv()));
        }
        if (done.isEmpty()) {
            return Optional.of(exec.argv() + " to finish on the leader");
        }
        PodExec.Result result;
        try {
            result = done.get().join();
        } catch (CompletionException failed) {
            throw MemberCommand.notRun(failed);
        }
        if (result.exitCode() != 0) {
            throw new IllegalStateException(exec.argv() + " on the leader exited " + result.exitCode() + ": "
                    + StatusText.excerpt(result.stderr()));
        }
        return Optional.empty();
    }

    /** Deletes {@code claims} where {@link StaleClaims} may; returns the ones it kept, with the reason. */
    private List<String> deleteClaims(List<String> claims, StepTarget target) {
        return staleClaims.delete(claims, target.spec(), target.provider(), target.statefulSet(), target.runtime())
                .kept();
    }

    /** Scales {@code runtime}'s StatefulSet back to {@code spec}'s size, as an aborted restore leaves it. */
    void scaleBack(CacheRuntime runtime, HaSpec spec, StatefulSet statefulSet) {
        scale(runtime, spec.namespace(), statefulSet.getMetadata().getName(), spec.replicas());
    }

    private int liveReplicas(StepTarget target) {
        StatefulSet live = client.apps().statefulSets().inNamespace(target.spec().namespace())
                .withName(target.statefulSet().getMetadata().getName()).get();
        return live == null ? 0 : live.getSpec().getReplicas();
    }

    /** Sets the StatefulSet's replica count, read from the API server; nothing when it has it or does not exist. */
    private void scale(StepTarget target, int replicas) {
        scale(target.runtime(), target.spec().namespace(), target.statefulSet().getMetadata().getName(), replicas);
    }

    private void scale(CacheRuntime runtime, String namespace, String name, int replicas) {
        StatefulSet live = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (live == null || live.getSpec().getReplicas() == replicas) {
            return;
        }
        if (!Ownership.controlledBy(live, runtime)) {
            throw new OwnedObjects.ForeignObjectException("StatefulSet " + name + ": "
                    + Ownership.controllerOf(live) + ", not by this runtime");
        }
        client.apps().statefulSets().inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
    }
}
