package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.testkit.sample.BrokenProviders;
import dev.cacheha.testkit.sample.SampleHighAvailabilityProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit can fail: run against a provider that breaks one requirement, it reports exactly the test of that
 * requirement and passes the rest. The kit runs are nested classes so that the build does not run them on
 * their own.
 */
class KitCatchesBrokenProvidersTest {

    @Test
    void unsortedJournalAddressesFailTheAddressRequirementOnly() {
        Events tests = runKit(UnsortedAddressesKit.class);

        assertThat(failedNames(tests))
                .containsExactly("lists one journal address per member, in ordinal order, inside the runtime's namespace");
        assertThat(tests.succeeded().count()).isPositive();
    }

    @Test
    void aCleanupThatTakesForeignClaimsFailsTheForeignClaimRequirementOnly() {
        Events tests = runKit(TakesForeignClaimsKit.class);

        assertThat(failedNames(tests))
                .containsExactly("selects not one claim of another runtime, namespace or look-alike name");
        assertThat(tests.succeeded().count()).isPositive();
    }

    @Test
    void aDiscoveryThatWaitsOnAHungMemberFailsTheDeadlineRequirementOnly() {
        Events tests = runKit(WaitsUnboundedKit.class);

        assertThat(failedNames(tests))
                .containsExactly("answers within one and a half deadlines when a member hangs, and reports it unreachable");
        assertThat(tests.succeeded().count()).isPositive();
    }

    private static Events runKit(Class<?> kit) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();
    }

    private static List<String> failedNames(Events tests) {
        return tests.failed().stream().map(event -> event.getTestDescriptor().getDisplayName()).toList();
    }

    /** A kit run over a provider with its journal addresses in reverse. */
    static class UnsortedAddressesKit extends SampleKit {
        @Override
        protected HighAvailabilityProvider provider() {
            return new BrokenProviders.UnsortedAddresses();
        }
    }

    /** A kit run over a provider whose cleanup goes by name prefix alone. */
    static class TakesForeignClaimsKit extends SampleKit {
        @Override
        protected HighAvailabilityProvider provider() {
            return new BrokenProviders.TakesForeignClaims();
        }
    }

    /** A kit run over a provider that ignores the per-call deadline. */
    static class WaitsUnboundedKit extends SampleKit {
        @Override
        protected HighAvailabilityProvider provider() {
            return new BrokenProviders.WaitsUnbounded();
        }
    }

    /** The sample engine's members, shared by the broken kits. */
    abstract static class SampleKit extends HighAvailabilityProviderCompatibilityKit {
        @Override
        protected EngineImpersonation impersonation() {
            return SampleHighAvailabilityProvider.IMPERSONATION;
        }
    }
}
