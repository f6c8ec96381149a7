package dev.cacheha.alluxio.local;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.Step;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Runs a provider's {@link Step}s on a {@link LocalAlluxioQuorum} the way a controller runs them on a
 * cluster: a stopped member is a killed JVM (a deleted pod), a wiped journal is an emptied journal directory (a
 * deleted claim), an applied plan is a changed {@code alluxio-site.properties} (a changed ConfigMap), read when
 * a member next starts. Waiting steps ask the provider's discovery until they hold or their budget runs out.
 */
public final class LocalRecovery {

    private final LocalAlluxioQuorum quorum;
    private final Duration budget;
    private HaPlan applied;

    /**
     * @param quorum the quorum to act on, as started from its own plan
     * @param budget how long each waiting step may wait
     */
    public LocalRecovery(LocalAlluxioQuorum quorum, Duration budget) {
        this.quorum = quorum;
        this.budget = budget;
        this.applied = quorum.plan();
    }

    /**
     * Runs {@code step} and returns how long it took.
     *
     * @throws IllegalStateException if it failed or did not hold within the budget; the steps after it must not run
     */
    public Duration run(Step step) {
        long startedAt = System.nanoTime();
        if (step instanceof Step.CheckOnMember check) {
            check(check);
        } else if (step instanceof Step.StopMembers stop) {
            stop.members().forEach(member -> quorum.kill(member.ordinal()));
        } else if (step instanceof Step.WipeJournal wipe) {
            quorum.wipeJournal(wipe.member().ordinal());
        } else if (step instanceof Step.Apply apply) {
            apply(apply.plan());
        } else if (step instanceof Step.StartMembers start) {
            start.members().forEach(member -> quorum.restart(member.ordinal()));
        } else if (step instanceof Step.AwaitRole await) {
            quorum.await(status -> status.leader().isPresent() && roleOf(status, await.member()) == await.role(),
                    await.member().podName() + " answering " + await.role(), budget);
        } else if (step instanceof Step.AwaitQuorum await) {
            quorum.await(status -> status.health() == Health.HEALTHY && answered(status) >= await.members(),
                    await.members() + " members answering", budget);
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    private void check(Step.CheckOnMember check) {
        PodExec.Result result;
        try {
            result = quorum.exec().exec(check.member(), check.container(), check.argv(), check.timeout()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking: " + check.description(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("check " + check.argv() + " could not run: " + check.description(),
                    e.getCause());
        }
        if (result.exitCode() != 0) {
            throw new IllegalStateException("check " + check.argv() + " failed with exit code " + result.exitCode()
                    + ", so nothing was changed: " + check.description());
        }
    }

    /** Writes what {@code plan}'s properties change against the last applied plan into every member's site file. */
    private void apply(HaPlan plan) {
        if (!plan.members().equals(applied.members()) || !plan.journalAddresses().equals(applied.journalAddresses())) {
            throw new IllegalStateException("a plan with other members or addresses cannot be applied to this local"
                    + " quorum: " + plan.journalAddresses());
        }
        Map<String, String> set = new HashMap<>();
        plan.properties().forEach((key, value) -> {
            if (!Objects.equals(applied.properties().get(key), value)) {
                set.put(key, value);
            }
        });
        Set<String> removed = new HashSet<>(applied.properties().keySet());
        removed.removeAll(plan.properties().keySet());
        quorum.changeProperties(set, removed);
        applied = plan;
    }

    private static Role roleOf(LeaderStatus status, Member member) {
        return status.members().stream().filter(answer -> answer.member().equals(member)).map(MemberAnswer::role)
                .findFirst().orElse(Role.UNKNOWN);
    }

    private static long answered(LeaderStatus status) {
        return status.members().stream().filter(a -> a.role() == Role.LEADER || a.role() == Role.FOLLOWER).count();
    }
}
