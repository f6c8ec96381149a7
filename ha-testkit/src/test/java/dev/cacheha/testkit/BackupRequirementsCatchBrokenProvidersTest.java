package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.testkit.sample.BrokenBackupProviders;
import dev.cacheha.testkit.sample.SampleBackupProvider;
import dev.cacheha.testkit.sample.SampleHighAvailabilityProvider;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The backup requirements can fail: run against a provider that breaks one of them, they report exactly the
 * requirement it breaks and pass the rest; a provider that offers no backups fails none.
 */
class BackupRequirementsCatchBrokenProvidersTest {

    /** The provider the next kit run checks: the kit classes below are instantiated by the engine. */
    private static Supplier<HighAvailabilityProvider> underTest;

    static Stream<Arguments> brokenProviders() {
        return Stream.of(
                Arguments.of(new BrokenBackupProviders.BacksUpOnTheFirstMember(),
                        "backs up on the member discovery names leader, and nowhere else, with a command and a"
                                + " timeout"),
                Arguments.of(new BrokenBackupProviders.BacksUpWithoutALeader(),
                        "refuses a backup, with the reason, when discovery names no leader (NO_QUORUM, UNKNOWN)"),
                Arguments.of(new BrokenBackupProviders.SharesOneDirectory(),
                        "gives each runtime its own backup directory below the target, and never verifies a failed"
                                + " command"),
                Arguments.of(new BrokenBackupProviders.RestoresForeignBackups(),
                        "refuses to restore a backup of another runtime, namespace or engine, with the reason"),
                Arguments.of(new BrokenBackupProviders.WipesBeforeStopping(),
                        "a restore deletes a journal only after every check and once its member is stopped, and"
                                + " ends with every member started and the whole quorum"),
                Arguments.of(new BrokenBackupProviders.LeavesAMemberStopped(),
                        "a restore deletes a journal only after every check and once its member is stopped, and"
                                + " ends with every member started and the whole quorum"),
                Arguments.of(new BrokenBackupProviders.RebuildsAtAnyCost(),
                        "refuses to rebuild a member, with the reason, when the others are no majority without it"),
                Arguments.of(new BrokenBackupProviders.RebuildsEveryMember(),
                        "rebuilds one follower alone, deleting its journal only once it is stopped, until it"
                                + " follows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenProviders")
    void aProviderThatBreaksOneRequirementFailsThatRequirementOnly(HighAvailabilityProvider broken,
            String requirement) {
        // Given a provider broken in exactly one way
        underTest = () -> broken;

        // When the backup requirements run against it
        Events tests = runKit();

        // Then that requirement fails, and only that one
        assertThat(failedNames(tests)).containsExactly(requirement);
        assertThat(tests.succeeded().count()).isEqualTo(tests.started().count() - 1);
    }

    @Test
    void theSampleProviderMeetsEveryRequirement() {
        underTest = SampleBackupProvider::new;

        Events tests = runKit();

        assertThat(failedNames(tests)).isEmpty();
        assertThat(tests.aborted().count()).isZero();
        assertThat(tests.succeeded().count()).isEqualTo(7);
    }

    @Test
    void aProviderThatOffersNoBackupsFailsNoneAndPassesNone() {
        // Given the SPI's defaults, which throw UnsupportedOperationException
        underTest = SampleHighAvailabilityProvider::new;

        Events tests = runKit();

        // Then every requirement is aborted: it says nothing about a provider that does not offer the operation
        assertThat(failedNames(tests)).isEmpty();
        assertThat(tests.succeeded().count()).isZero();
        assertThat(tests.aborted().count()).isEqualTo(7);
    }

    private static Events runKit() {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(KitRun.class)).execute().testEvents();
    }

    private static List<String> failedNames(Events tests) {
        return tests.failed().stream().map(event -> event.getTestDescriptor().getDisplayName()).toList();
    }

    /** The requirements over the provider of the current test; nested so the build does not run it alone. */
    static class KitRun extends BackupRequirements {
        KitRun() {
            super(new ProviderUnderTest() {
                @Override
                public HighAvailabilityProvider provider() {
                    return underTest.get();
                }

                @Override
                public EngineImpersonation impersonation() {
                    return SampleHighAvailabilityProvider.IMPERSONATION;
                }

                @Override
                public List<InvalidSpec> engineInvalidSpecs() {
                    return List.of();
                }

                @Override
                public List<String> enginePropertiesFiles() {
                    return List.of();
                }

                @Override
                public HaSpec.Builder validSpec(String name, String namespace) {
                    return HaSpec.builder(name, namespace);
                }
            });
        }
    }
}
