package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.CommandsInFlight;
import dev.cacheha.examples.controller.access.MemberCommand;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RecoveryStep;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Runs one {@link RecoveryStep} of a provider's restore plan on the cluster, never waiting: a step that has to
 * wait says for what, and the reconciler reschedules. Every step is idempotent, so a reconcile that resumes at a
 * step whose completion was not recorded runs it again harmlessly:
 * <ul>
 *   <li>{@code CheckOnMember}: the command in the member's container; non-zero refuses the restore
 *       ({@link CheckFailedException}) before anything was changed.</li>
 *   <li>{@code StopMembers}: the StatefulSet scaled to 0, then waits until no pod of the members exists (asked
 *       of the API server, not the cache).</li>
 *   <li>{@code WipeJournal}: the member's claim deleted through {@link StaleClaims}: only with the StatefulSet
 *       at 0, no pod of that ordinal, the provider's cleanup selecting it, and its UID as precondition.</li>
 *   <li>{@code Apply}: the plan's objects applied, the StatefulSet's replica count held at what the API server
 *       says now, so applying never starts a member that a later step starts.</li>
 *   <li>{@code StartMembers}: the StatefulSet scaled to the members' count.</li>
 *   <li>{@code AwaitQuorum}, {@code AwaitRole}: leader discovery until it holds.</li>
 * </ul>
 */
final class RestoreSteps {

    private final KubernetesClient client;
    private final OwnedObjects owned;
    private final StaleClaims staleClaims;
    private final CommandsInFlight<PodExec.Result> commands;

    RestoreSteps(KubernetesClient client, OwnedObjects owned, StaleClaims staleClaims,
            CommandsInFlight<PodExec.Result> commands) {
        this.client = requireNonNull(client, "client");
        this.owned = requireNonNull(owned, "owned");
        this.staleClaims = requireNonNull(staleClaims, "staleClaims");
        this.commands = requireNonNull(commands, "commands");
    }

    /**
     * What the steps act on.
     *
     * @param runtime the runtime restored
     * @param provider its engine's provider
     * @param spec its spec
     * @param statefulSet the StatefulSet of the runtime's plan (for its name and claim templates)
     * @param view the informers' caches
     * @param desired the objects to apply for a plan, owned by the runtime
     * @param discover leader discovery of a spec's members
     * @param access how a check reaches a member: only pods of the runtime's own StatefulSet
     */
    record Target(CacheRuntime runtime, HighAvailabilityProvider provider, HaSpec spec, StatefulSet statefulSet,
            ClusterView view, Function<HaPlan, List<HasMetadata>> desired, Function<HaSpec, LeaderStatus> discover,
            ClusterAccess access) {
        Target {
            requireNonNull(runtime, "runtime");
            requireNonNull(provider, "provider");
            requireNonNull(spec, "spec");
            requireNonNull(statefulSet, "statefulSet");
            requireNonNull(view, "view");
            requireNonNull(desired, "desired");
            requireNonNull(discover, "discover");
            requireNonNull(access, "access");
        }
    }

    /** A {@code CheckOnMember} whose command exited non-zero: the restore is refused, nothing was changed. */
    static final class CheckFailedException extends RuntimeException {
        CheckFailedException(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code step}, named {@code key} among the commands in flight.
     *
     * @return what it waits for; empty once it is done
     * @throws CheckFailedException if a check failed
     */
    Optional<String> run(RecoveryStep step, Target target, String key) {
        if (step instanceof RecoveryStep.CheckOnMember check) {
            return check(check, target.access(), key);
        } else if (step instanceof RecoveryStep.StopMembers stop) {
            scale(target, 0);
            List<String> running = stop.members().stream().map(Member::podName)
                    .filter(pod -> client.pods().inNamespace(target.spec().namespace()).withName(pod).get() != null)
                    .toList();
            return running.isEmpty() ? Optional.empty() : Optional.of("pods " + running + " to stop");
        } else if (step instanceof RecoveryStep.WipeJournal wipe) {
            return wipe(wipe, target);
        } else if (step instanceof RecoveryStep.Apply apply) {
            int replicas = liveReplicas(target);
            for (HasMetadata object : target.desired().apply(apply.plan())) {
                if (object instanceof StatefulSet statefulSet) {
                    statefulSet.getSpec().setReplicas(replicas);
                }
                owned.apply(object, target.runtime(), target.view());
            }
            return Optional.empty();
        } else if (step instanceof RecoveryStep.StartMembers start) {
            scale(target, start.members().size());
            return Optional.empty();
        } else if (step instanceof RecoveryStep.AwaitQuorum await) {
            return quorumWait(target.discover().apply(target.spec()), await.members());
        } else if (step instanceof RecoveryStep.AwaitRole await) {
            LeaderStatus quorum = target.discover().apply(target.spec());
            Role role = quorum.members().stream().filter(answer -> answer.member().equals(await.member()))
                    .map(LeaderStatus.MemberAnswer::role).findFirst().orElse(Role.UNKNOWN);
            return quorum.leader().isPresent() && role == await.role() ? Optional.empty()
                    : Optional.of(await.member().podName() + " to answer " + await.role() + " (it answers " + role
                            + ", health " + quorum.health() + ")");
        }
        throw new IllegalStateException("this controller does not know restore step " + step);
    }

    /**
     * Whether {@code quorum} has {@code members} members answering with one leader; what it waits for otherwise.
     * A replica change and a restore wait for a quorum by the same rule.
     */
    static Optional<String> quorumWait(LeaderStatus quorum, int members) {
        int leaders = quorum.membersWithRole(Role.LEADER).size();
        int answered = leaders + quorum.membersWithRole(Role.FOLLOWER).size();
        return leaders == 1 && answered >= members ? Optional.empty()
                : Optional.of(members + " members to answer with one leader (" + answered + " answer, health "
                        + quorum.health() + ")");
    }

    private Optional<String> check(RecoveryStep.CheckOnMember check, ClusterAccess access, String key) {
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

    private Optional<String> wipe(RecoveryStep.WipeJournal wipe, Target target) {
        if (wipe.claim().isEmpty()) {
            return Optional.empty();
        }
        String claim = wipe.claim().get();
        StaleClaims.Outcome outcome = staleClaims.delete(List.of(claim), target.spec(), target.provider(),
                target.statefulSet(), target.runtime());
        return outcome.kept().isEmpty() ? Optional.empty()
                : Optional.of("journal claim " + claim + " to be deletable; kept: " + outcome.kept().get(0));
    }

    /** Scales {@code runtime}'s StatefulSet back to {@code spec}'s size, as an aborted restore leaves it. */
    void scaleBack(CacheRuntime runtime, HaSpec spec, StatefulSet statefulSet) {
        scale(runtime, spec.namespace(), statefulSet.getMetadata().getName(), spec.replicas());
    }

    private int liveReplicas(Target target) {
        StatefulSet live = client.apps().statefulSets().inNamespace(target.spec().namespace())
                .withName(target.statefulSet().getMetadata().getName()).get();
        return live == null ? 0 : live.getSpec().getReplicas();
    }

    /** Sets the StatefulSet's replica count, read from the API server; nothing when it has it or does not exist. */
    private void scale(Target target, int replicas) {
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
