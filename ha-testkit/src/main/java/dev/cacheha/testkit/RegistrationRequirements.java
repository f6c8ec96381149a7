package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cacheha.spi.Backup;
import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.Capability;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Finding the provider: controllers load it by its engine name through {@link java.util.ServiceLoader}, and ask
 * its {@link HighAvailabilityProvider#capabilities()} which optional operations it offers.
 */
public abstract class RegistrationRequirements extends ProviderRequirements {

    /** A group that checks {@code subject}. */
    protected RegistrationRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("is found through ServiceLoader by its engine name")
    void isFoundThroughServiceLoaderByItsEngineName() {
        HighAvailabilityProvider provider = provider();

        HighAvailabilityProviders installed = HighAvailabilityProviders.load();

        assertThat(installed.installed()).contains(provider.engine());
        assertThat(installed.get(provider.engine())).hasSameClassAs(provider);
    }

    @Test
    @DisplayName("has a stable, lower-case, non-blank engine name")
    void hasAStableLowerCaseNonBlankEngineName() {
        String engine = provider().engine();

        assertThat(engine).isNotBlank()
                .isEqualTo(engine.strip())
                .isEqualTo(engine.toLowerCase(Locale.ROOT));
        assertThat(provider().engine()).isEqualTo(engine);
        assertThat(HighAvailabilityProviders.load().get(engine).engine()).isEqualTo(engine);
    }

    @Test
    @DisplayName("declares in capabilities() exactly the optional operations it offers")
    void declaresExactlyTheOperationsItOffers() {
        HaSpec spec = spec(3);
        HaPlan plan = provider().plan(spec);
        LeaderStatus status = LeaderStatus.fromAnswers(plan.members().stream()
                .map(member -> new MemberAnswer(member, member.ordinal() == 0 ? Role.LEADER : Role.FOLLOWER, "kit",
                        Duration.ZERO, ""))
                .toList(), "kit", Duration.ZERO);
        BackupTarget target = subject().backupTarget();
        Map<Capability, Runnable> calls = new EnumMap<>(Capability.class);
        calls.put(Capability.REPLICA_CHANGE, () -> provider().planReplicaChange(spec, 5));
        calls.put(Capability.BACKUP, () -> provider().planBackup(spec, status, target));
        calls.put(Capability.RESTORE, () -> provider().planRestore(spec, new Backup(provider().engine(),
                spec.namespace(), spec.name(), target, target.directory() + "/backup-1", plan.members().get(0))));
        calls.put(Capability.MEMBER_REBUILD, () -> provider().planMemberRebuild(spec, status, 2));

        calls.forEach((capability, call) -> {
            boolean unsupported = catchThrowable(call::run) instanceof UnsupportedOperationException;
            boolean declared = provider().capabilities().contains(capability);
            assertThat(unsupported).as("whether %s throws UnsupportedOperationException, when the provider %s %s",
                    capability.method(), declared ? "declares" : "does not declare", capability).isEqualTo(!declared);
        });
    }
}
