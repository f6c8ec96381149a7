package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.LeaderStatus;
import java.util.List;
import java.util.Optional;

/** What a {@link BackupAction} did: took a verified backup, ran and failed, or refused to run and why. */
public sealed interface BackupOutcome {

    /** What happened, in words, for events, logs and a backup's status. */
    String summary();

    /**
     * The backup ran on the leading master and the provider verified where it landed.
     *
     * @param backup the backup, as a restore needs it
     * @param quorum what leader discovery saw just before
     */
    record Taken(Backup backup, LeaderStatus quorum) implements BackupOutcome {
        public Taken {
            requireNonNull(backup, "backup");
            requireNonNull(quorum, "quorum");
        }

        @Override
        public String summary() {
            return "backup taken on " + backup.takenBy().podName() + ": " + backup.location();
        }
    }

    /**
     * The backup was tried and yielded none: the command exited non-zero, did not finish, printed no backup in
     * the runtime's directory, or the engine cannot back up at all. Trying again is the user's decision.
     *
     * @param reason why, with the exit code and an excerpt of standard error when the command ran
     */
    record Failed(String reason) implements BackupOutcome {
        public Failed {
            requireNonNull(reason, "reason");
        }

        @Override
        public String summary() {
            return "backup failed: " + reason;
        }
    }

    /**
     * The backup did not run, and nothing was run: the provider refused it in the quorum's present state (no
     * leader, contradicting members) or the runtime's spec does not translate. It may run later.
     *
     * @param reasons every reason, each naming the input it concerns
     * @param quorum what leader discovery saw, when it got that far
     */
    record Refused(List<String> reasons, Optional<LeaderStatus> quorum) implements BackupOutcome {
        public Refused {
            reasons = List.copyOf(reasons);
            requireNonNull(quorum, "quorum");
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a refusal has at least one reason");
            }
        }

        @Override
        public String summary() {
            return "backup refused: " + String.join("; ", reasons);
        }
    }
}
