package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.access.MemberCommand;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.examples.controller.status.StatusText;
import dev.cacheha.spi.BackupPlan;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.OperationRefusedException;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.RecoveryPreconditions;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@code DataBackup}-style action on the provider's {@link BackupPlan}: leader discovery right before (through
 * the caller's {@code answers}, which may run it off the calling thread), then {@code planBackup} (which refuses
 * under NO_QUORUM or UNKNOWN, with every reason), then the plan's command in the plan's container of the member
 * discovery named leader, within the plan's own timeout, then the plan's verification of the output. Only a
 * backup the provider verified, in the runtime's own directory, counts.
 */
public final class BackupAction {

    private final CacheRuntimeTranslator translator;
    private final ClusterAccess access;
    private final Function<LeaderDiscovery, Optional<LeaderStatus>> answers;

    /**
     * An action that discovers the leader on the calling thread.
     *
     * @param providers where the runtime's engine is looked up
     * @param access how the provider reaches the masters, and how the command is run (within the plan's timeout
     *     rather than the access's probe deadline)
     */
    public BackupAction(HighAvailabilityProviders providers, ClusterAccess access) {
        this(new CacheRuntimeTranslator(providers, ControllerSettings.defaults().admission()), access,
                discovery -> Optional.of(discovery.discover()));
    }

    /**
     * An action translating runtimes with {@code translator}, reaching the masters through {@code access}.
     *
     * @param answers what a discovery found, or empty while it still runs elsewhere (such as
     *     {@code DiscoveriesInFlight}, which wakes the caller when it ends): the action then does nothing
     */
    public BackupAction(CacheRuntimeTranslator translator, ClusterAccess access,
            Function<LeaderDiscovery, Optional<LeaderStatus>> answers) {
        this.translator = requireNonNull(translator, "translator");
        this.access = requireNonNull(access, "access");
        this.answers = requireNonNull(answers, "answers");
    }

    /**
     * Backs up {@code runtime} into {@code target} on its leader, or says why not; empty, having run nothing,
     * while the leader discovery still runs. Planning happens on the calling thread, and discovery where
     * {@code answers} runs it; the command does not: the future completes when it ends, within the plan's
     * timeout.
     *
     * @param beforeRunning told the plan right before its command starts, so a caller can record that a
     *     backup runs (and where) before the outcome is known
     */
    public Optional<CompletableFuture<BackupOutcome>> start(CacheRuntime runtime, BackupTarget target,
            Consumer<BackupPlan> beforeRunning) {
        TranslatedRuntime translated;
        try {
            translated = translator.translate(runtime);
        } catch (SpecValidationException refused) {
            return ended(new BackupOutcome.Refused(refused.violations().stream()
                    .map(violation -> "the runtime's spec is invalid: " + violation).toList(), Optional.empty()));
        }
        if (!translated.provider().capabilities().contains(Capability.BACKUP)) {
            return ended(new BackupOutcome.Failed("the " + translated.provider().engine()
                    + " provider does not offer backups"));
        }
        Optional<LeaderStatus> discovered = answers.apply(translated.provider().leaderDiscovery(translated.spec(),
                access));
        if (discovered.isEmpty()) {
            return Optional.empty();
        }
        LeaderStatus quorum = discovered.get();
        BackupPlan plan;
        try {
            plan = translated.provider().planBackup(translated.spec(), quorum, target);
        } catch (OperationRefusedException refused) {
            return ended(new BackupOutcome.Refused(refused.reasons().stream().map(Violation::toString).toList(),
                    Optional.of(quorum)));
        }
        beforeRunning.accept(plan);
        return Optional.of(MemberCommand.start(access.withDeadline(plan.timeout()), plan.leader(), plan.container(),
                        plan.argv())
                .handle((result, failure) -> failure != null
                        ? new BackupOutcome.Failed(MemberCommand.notRun(failure).getMessage())
                        : outcome(plan, result, quorum)));
    }

    private static Optional<CompletableFuture<BackupOutcome>> ended(BackupOutcome outcome) {
        return Optional.of(CompletableFuture.completedFuture(outcome));
    }

    private static BackupOutcome outcome(BackupPlan plan, PodExec.Result result, LeaderStatus quorum) {
        if (result.exitCode() != 0) {
            return new BackupOutcome.Failed(plan.argv() + " on " + plan.leader().podName() + " exited "
                    + result.exitCode() + ": " + StatusText.excerpt(result.stderr()));
        }
        return plan.verify(result)
                .<BackupOutcome>map(backup -> new BackupOutcome.Taken(backup, quorum))
                .orElseGet(() -> new BackupOutcome.Failed(plan.argv() + " on " + plan.leader().podName()
                        + " exited 0, but its output named no backup in " + plan.directory()));
    }

    /**
     * Why a backup would be refused against {@code quorum}, the members of {@code plan}, or empty when it would
     * run: the SPI's rule ({@link RecoveryPreconditions#backupRefusals}) that providers apply in
     * {@code planBackup}, so the controller's {@code BackupReady} condition and this action agree.
     */
    public static Optional<String> refusal(HaPlan plan, LeaderStatus quorum) {
        List<Violation> reasons = RecoveryPreconditions.backupRefusals(plan, quorum);
        return reasons.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", reasons.stream().map(Violation::toString).toList()));
    }
}
