package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.MemberCommand;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.CacheRuntimeTranslator;
import dev.cacheha.examples.controller.runtime.TranslatedRuntime;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.SpecValidationException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A {@code DataBackup}-style action: backs up a runtime's metadata on its leading master, found through the
 * provider's leader discovery right before the command runs. Only the leader holds the committed journal
 * state a backup must capture, and a follower's idea of who leads can be stale, so the action asks the
 * members themselves and refuses when they do not name exactly one leader.
 */
public final class BackupAction {

    private final CacheRuntimeTranslator translator;
    private final ClusterAccess access;
    private final BackupCommand command;

    /**
     * @param providers where the runtime's engine is looked up
     * @param access how the provider reaches the masters, and how the command is run (within the command's
     *     own timeout rather than the access's deadline)
     * @param command the engine's backup command
     */
    public BackupAction(HighAvailabilityProviders providers, ClusterAccess access, BackupCommand command) {
        this.translator = new CacheRuntimeTranslator(providers);
        this.access = requireNonNull(access, "access");
        this.command = requireNonNull(command, "command");
    }

    /** Backs up {@code runtime} on its leader, or says why not. */
    public BackupOutcome run(CacheRuntime runtime) {
        TranslatedRuntime translated;
        try {
            translated = translator.translate(runtime);
        } catch (SpecValidationException refused) {
            return new BackupOutcome.Refused("the runtime's spec is invalid: " + refused.violations(),
                    Optional.empty());
        }
        LeaderStatus quorum = translated.provider().leaderDiscovery(translated.spec(), access).discover();
        Optional<String> refusal = refusal(quorum);
        if (refusal.isPresent()) {
            return new BackupOutcome.Refused(refusal.get(), Optional.of(quorum));
        }
        Member leader = quorum.leader().get();
        try {
            // Discovery keeps the short probe deadline; the backup itself runs within its own timeout.
            return new BackupOutcome.Ran(leader, MemberCommand.run(access.withDeadline(command.timeout()), leader,
                    command.container(), command.argv()), quorum);
        } catch (MemberCommand.CommandNotRunException notRun) {
            return new BackupOutcome.Refused(notRun.getMessage(), Optional.of(quorum));
        }
    }

    /**
     * Why a backup would be refused against a quorum in {@code quorum}'s state, or empty when it would run;
     * the controller's {@code BackupReady} condition says the same, from the same rule.
     */
    public static Optional<String> refusal(LeaderStatus quorum) {
        return quorum.leader().isPresent() ? Optional.empty() : Optional.of(noLeader(quorum));
    }

    private static String noLeader(LeaderStatus quorum) {
        String members = quorum.members().stream()
                .map(answer -> answer.member().podName() + "=" + answer.role())
                .collect(Collectors.joining(", "));
        String why = quorum.health() == LeaderStatus.Health.UNKNOWN
                ? "the members contradict each other about who leads, so none is trusted"
                : "no master leads, or too few answer for one to be elected, so the journal cannot be read"
                        + " consistently";
        return "quorum health is " + quorum.health() + ": " + why + " (" + members + ")";
    }
}
