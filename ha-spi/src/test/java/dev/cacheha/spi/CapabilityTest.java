package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilityTest {

    /** Plans, discovers and cleans up, and nothing more: every optional operation is the SPI's default. */
    static class Minimal extends EngineNamedProvider {
        Minimal() {
            super("minimal");
        }
    }

    /** Written before capabilities existed: it implements backups and says nothing else. */
    static class BacksUp extends Minimal {
        @Override
        public BackupPlan planBackup(HaSpec spec, LeaderStatus status, BackupTarget target) {
            throw new AssertionError("not called");
        }
    }

    /** Inherits its backups from its superclass and adds replica changes. */
    static class BacksUpAndResizes extends BacksUp {
        @Override
        public ReplicaChangePlan planReplicaChange(HaSpec spec, int newReplicas) {
            throw new AssertionError("not called");
        }
    }

    @Test
    void givenAProviderWithOnlyTheSpisDefaultsWhenAskedThenItOffersNoOptionalOperation() {
        assertThat(new Minimal().capabilities()).isEmpty();
    }

    @Test
    void givenAProviderThatDeclaresNothingWhenAskedThenItOffersExactlyTheOperationsItsClassImplements() {
        assertThat(new BacksUp().capabilities()).containsExactly(Capability.BACKUP);
        assertThat(new BacksUpAndResizes().capabilities())
                .containsExactly(Capability.REPLICA_CHANGE, Capability.BACKUP);
    }
}
