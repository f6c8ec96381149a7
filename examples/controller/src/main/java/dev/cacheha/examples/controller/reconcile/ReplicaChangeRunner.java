package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.MemberCommand;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.ReplicaChangePlan;
import dev.cacheha.spi.ReplicaChangePlan.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a provider's {@link ReplicaChangePlan} step by step against the cluster, and stops at the first step
 * that fails, so the quorum is never taken further than the last step that left it healthy.
 */
final class ReplicaChangeRunner {

    private final KubernetesClient client;
    private final ObjectApplier applier;
    private final ClusterAccess access;
    private final ClusterAccess leaderCommandAccess;
    private final BoundedWait wait;

    /**
     * @param access how members are asked who leads, each probe within the access's deadline
     * @param wait how long each step waits for the quorum
     * @param leaderCommandTimeout how long one {@link Step.ExecOnLeader} command may run
     */
    ReplicaChangeRunner(KubernetesClient client, ObjectApplier applier, ClusterAccess access, BoundedWait wait,
            Duration leaderCommandTimeout) {
        this.client = requireNonNull(client, "client");
        this.applier = requireNonNull(applier, "applier");
        this.access = requireNonNull(access, "access");
        this.leaderCommandAccess = access.withDeadline(leaderCommandTimeout);
        this.wait = requireNonNull(wait, "wait");
    }

    /**
     * Runs every step of {@code change} for the runtime whose target spec is {@code target}.
     *
     * @return the objects the {@link Step.Apply} steps applied
     * @throws ReplicaChangeFailedException naming the step that failed and why
     */
    List<AppliedObject> run(HighAvailabilityProvider provider, HaSpec target, ReplicaChangePlan change,
            HasMetadata owner) {
        // Both the members that exist before the change and those that exist after it must be seen.
        HaSpec everyMember = target.withReplicas(Math.max(change.fromReplicas(), change.toReplicas()));
        QuorumWatch quorum = new QuorumWatch(provider.leaderDiscovery(everyMember, access), wait);
        List<AppliedObject> applied = new ArrayList<>();
        for (Step step : change.steps()) {
            try {
                if (step instanceof Step.DeleteClaims stale) {
                    stale.claimNames().forEach(claim -> client.persistentVolumeClaims()
                            .inNamespace(target.namespace()).withName(claim).delete());
                } else if (step instanceof Step.Apply) {
                    change.target().objects().forEach(object -> applied.add(applier.apply(object, owner)));
                } else if (step instanceof Step.AwaitQuorum await) {
                    quorum.awaitLeader(await.members());
                } else if (step instanceof Step.RollMembers roll) {
                    roll(roll.members(), quorum, change.toReplicas());
                } else if (step instanceof Step.ExecOnLeader exec) {
                    execOnLeader(quorum.awaitLeader(change.toReplicas()), exec);
                } else {
                    throw new IllegalStateException("this controller does not know step " + step);
                }
            } catch (RuntimeException failure) {
                throw new ReplicaChangeFailedException("replica change " + change.fromReplicas() + " -> "
                        + change.toReplicas() + " stopped at \"" + step.description() + "\": "
                        + failure.getMessage(), failure);
            }
        }
        return applied;
    }

    /**
     * Restarts every member of {@code members}, one at a time, each time a member that does not lead; the
     * member that leads is restarted only when no other is left. Who leads is asked again before each
     * restart, since restarting a follower can move the leadership, and restarting whoever leads at that
     * moment costs the quorum an election it did not need.
     */
    private void roll(List<Member> members, QuorumWatch quorum, int answering) {
        List<Member> remaining = new ArrayList<>(members);
        remaining.sort(Comparator.comparingInt(Member::ordinal));
        while (!remaining.isEmpty()) {
            String leader = quorum.awaitLeader(answering).podName();
            Member next = remaining.stream()
                    .filter(member -> !member.podName().equals(leader))
                    .findFirst()
                    .orElse(remaining.get(0));
            restart(next);
            remaining.remove(next);
        }
        quorum.awaitLeader(answering);
    }

    /** Deletes the member's pod and waits until it is gone or its StatefulSet has made a new one. */
    private void restart(Member member) {
        var pod = client.pods().inNamespace(member.namespace()).withName(member.podName());
        String uid = Optional.ofNullable(pod.get()).map(p -> p.getMetadata().getUid()).orElse(null);
        pod.delete();
        wait.until("pod " + member.podName() + " to be replaced", () -> {
            Pod now = pod.get();
            return now == null || !Objects.equals(now.getMetadata().getUid(), uid)
                    ? Optional.of(Boolean.TRUE)
                    : Optional.empty();
        }, () -> "pod " + member.podName() + " still has uid " + uid);
    }

    private void execOnLeader(Member leader, Step.ExecOnLeader exec) {
        PodExec.Result result = MemberCommand.run(leaderCommandAccess, leader, exec.container(), exec.argv());
        if (result.exitCode() != 0) {
            throw new IllegalStateException(exec.argv() + " on " + leader.podName() + " exited "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
    }
}
