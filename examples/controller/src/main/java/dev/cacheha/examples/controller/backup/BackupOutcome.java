package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.util.Optional;

/** What a {@link BackupAction} did: ran on the leader, or refused to run and why. */
public sealed interface BackupOutcome {

    /** Why the backup did or did not run, in words, for events and logs. */
    String summary();

    /**
     * The backup command ran on the leading master.
     *
     * @param leader the member it ran on
     * @param result how it exited and what it printed
     * @param quorum what leader discovery saw just before
     */
    record Ran(Member leader, PodExec.Result result, LeaderStatus quorum) implements BackupOutcome {
        public Ran {
            requireNonNull(leader, "leader");
            requireNonNull(result, "result");
            requireNonNull(quorum, "quorum");
        }

        /** Whether the command exited 0. */
        public boolean succeeded() {
            return result.exitCode() == 0;
        }

        @Override
        public String summary() {
            return "backup ran on " + leader.podName() + " and exited " + result.exitCode();
        }
    }

    /**
     * The backup did not run.
     *
     * @param reason why, such as the quorum having no leader
     * @param quorum what leader discovery saw, when it got that far
     */
    record Refused(String reason, Optional<LeaderStatus> quorum) implements BackupOutcome {
        public Refused {
            requireNonNull(reason, "reason");
            requireNonNull(quorum, "quorum");
        }

        @Override
        public String summary() {
            return "backup refused: " + reason;
        }
    }
}
