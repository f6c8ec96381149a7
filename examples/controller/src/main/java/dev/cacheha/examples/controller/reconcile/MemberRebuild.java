package dev.cacheha.examples.controller.reconcile;

import dev.cacheha.examples.cacheruntime.MemberRebuildRequest;
import dev.cacheha.examples.controller.metrics.ControllerMetrics.Outcome;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeStatus;
import dev.cacheha.examples.controller.runtime.MemberRebuildProgress;
import dev.cacheha.examples.controller.runtime.StepProgress;
import dev.cacheha.examples.controller.status.RuntimeConditions;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.MemberRebuildPlan;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.Step;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A member rebuild ({@code spec.memberRebuild}) of the last member, once the runtime runs at its size: refused,
 * changing nothing, when the provider says it would cost the majority; its steps run through the
 * {@link StepRunner} and record their progress in {@code status.steps}.
 */
final class MemberRebuild {

    private final RuntimeReconcile reconcile;

    MemberRebuild(RuntimeReconcile reconcile) {
        this.reconcile = reconcile;
    }

    /**
     * Runs the member rebuild {@code status.memberRebuild} records, or starts the one {@code spec.memberRebuild}
     * asks for when {@code mayStart} (the StatefulSet runs the spec's size, no replica change under way).
     *
     * @return the reconcile's result while the rebuild runs; empty when none runs, it ended in this reconcile,
     *     or it was refused (recorded, nothing changed), so that the reconcile goes on as usual
     */
    Optional<UpdateControl<CacheRuntime>> run(HighAvailabilityProvider provider, HaSpec spec,
            StatefulSet desiredSet, boolean mayStart) {
        MemberRebuildProgress recorded = reconcile.status().getMemberRebuild();
        boolean running = running();
        Optional<Integer> requested = requested();
        if (!running && (requested.isEmpty() || !mayStart)) {
            return Optional.empty();
        }
        int member = running ? recorded.member() : requested.get();
        // Only the last member is ever rebuilt (below), so the quorum it belongs to has member + 1 members,
        // whatever spec.replicas says now.
        HaSpec quorum = running ? spec.withReplicas(member + 1) : spec;
        List<String> refusals = new ArrayList<>();
        MemberRebuildPlan plan = null;
        if (!provider.capabilities().contains(Capability.MEMBER_REBUILD)) {
            refusals.add("spec.memberRebuild: the " + provider.engine() + " provider cannot rebuild a member");
        } else if (member >= 0 && member < quorum.replicas() - 1) {
            refusals.add("spec.memberRebuild.member: " + member + " is not the last member ("
                    + (quorum.replicas() - 1) + "): this controller stops a member by scaling its StatefulSet"
                    + " down, which would stop the members above it too");
        } else {
            try {
                plan = provider.planMemberRebuild(quorum, reconcile.discover(provider, quorum), member);
            } catch (OperationRefusedException refused) {
                refused.reasons().forEach(reason -> refusals.add("spec.memberRebuild.member " + member + ": "
                        + reason));
            }
        }
        if (plan == null) {
            String why = String.join("; ", refusals);
            if (running) {
                // The member may be stopped with its journal gone: the rebuild waits until it may go on.
                record(new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, "waiting: " + why),
                        reconcile.status().getSteps());
                return Optional.of(waiting());
            }
            record(new MemberRebuildProgress(member, MemberRebuildProgress.REFUSED, why),
                    reconcile.status().getSteps());
            return Optional.empty();
        }
        List<Step> rebuilding = plan.steps();
        String operation = new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, null).operation();
        if (!running) {
            record(new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, "rebuild of member "
                    + member + " started"), new StepProgress(operation, 0, rebuilding.get(0).description()));
        }
        Optional<StepRunner.Stop> stop = reconcile.services.steps().run(rebuilding, reconcile.resumeAt(operation),
                reconcile.target(provider, quorum, quorum, desiredSet), "rebuild/" + member, next -> record(
                        next < rebuilding.size()
                                ? new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, null)
                                : new MemberRebuildProgress(member, MemberRebuildProgress.SUCCEEDED, "member "
                                        + member + " follows again, from a fresh journal; to rebuild it again,"
                                        + " remove spec.memberRebuild and set it again"),
                        next < rebuilding.size()
                                ? new StepProgress(operation, next, rebuilding.get(next).description()) : null));
        if (stop.isEmpty()) {
            return Optional.empty();
        }
        int index = stop.get().step();
        if (stop.get().refused()) {
            record(new MemberRebuildProgress(member, MemberRebuildProgress.REFUSED, stop.get().why()), null);
            return Optional.empty();
        }
        record(new MemberRebuildProgress(member, MemberRebuildProgress.RUNNING, "step " + (index + 1)
                + "/" + rebuilding.size() + ": waiting for " + stop.get().why()), reconcile.status().getSteps());
        return Optional.of(waiting());
    }

    private UpdateControl<CacheRuntime> waiting() {
        reconcile.services.metrics().reconciled(Outcome.PROGRESSING);
        return UpdateControl.<CacheRuntime>noUpdate().rescheduleAfter(reconcile.services.recheck());
    }

    /** Whether {@code status.memberRebuild} records a rebuild that runs. */
    boolean running() {
        MemberRebuildProgress recorded = reconcile.status().getMemberRebuild();
        return recorded != null && MemberRebuildProgress.RUNNING.equals(recorded.phase());
    }

    /** The member {@code spec.memberRebuild} names, when it names one whose rebuild has not succeeded already. */
    private Optional<Integer> requested() {
        MemberRebuildProgress recorded = reconcile.status().getMemberRebuild();
        return requestedMember().filter(member -> recorded == null || !recorded.ends(member));
    }

    /** The member {@code spec.memberRebuild} names, if any. */
    private Optional<Integer> requestedMember() {
        return Optional.ofNullable(reconcile.runtime.getSpec().getMemberRebuild())
                .map(MemberRebuildRequest::member);
    }

    /**
     * Writes {@code rebuild} and the progress of its steps ({@code steps}) in one write, with the Progressing
     * condition while it runs; nothing else of the status changes.
     */
    private void record(MemberRebuildProgress rebuild, StepProgress steps) {
        CacheRuntimeStatus status = reconcile.statusCopy();
        status.setMemberRebuild(rebuild);
        status.setSteps(steps);
        status.setObservedGeneration(reconcile.runtime.getMetadata().getGeneration());
        if (MemberRebuildProgress.RUNNING.equals(rebuild.phase())) {
            String message = rebuild.message() != null || steps == null ? rebuild.message()
                    : steps.stepDescription();
            status.setMessage(message);
            status.setConditions(reconcile.conditions(status)
                    .set(RuntimeConditions.PROGRESSING, true, "MemberRebuild", message)
                    .build());
        }
        reconcile.write(status);
    }

    /**
     * What {@code status.memberRebuild} says while no rebuild runs: the record of the one {@code
     * spec.memberRebuild} still names (Succeeded or Refused), Pending while a requested one waits for the
     * runtime to run at its size, and nothing once {@code spec.memberRebuild} is gone.
     */
    MemberRebuildProgress recordWhileIdle(MemberRebuildProgress recorded) {
        Optional<Integer> requested = requestedMember();
        if (requested.isEmpty()) {
            return null;
        }
        if (recorded != null && requested.get().equals(recorded.member())) {
            return recorded;
        }
        return new MemberRebuildProgress(requested.get(), MemberRebuildProgress.PENDING, "waits until the"
                + " StatefulSet runs spec.replicas members and no replica change or restore is under way");
    }
}
