package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cacheha.testkit.sample.AssembledPropertiesProvider;
import dev.cacheha.testkit.sample.BrokenProviders;
import dev.cacheha.testkit.sample.ParsesWithABacktrackingRegex;
import dev.cacheha.testkit.sample.ProjectedPropertiesProvider;
import dev.cacheha.testkit.sample.SampleHighAvailabilityProvider;
import dev.cacheha.testkit.sample.SampleKit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit can fail: run against a provider that breaks one requirement, it reports exactly the test of that
 * requirement and passes the rest (a discovery that ignores its deadline fails the two requirements where a
 * member hangs). The kit runs are nested classes so that the build does not run them on
 * their own.
 */
class KitCatchesBrokenProvidersTest {

    static Stream<Arguments> brokenProviders() {
        return Stream.of(
                Arguments.of(UnsortedAddressesKit.class, List.of(
                        "lists one journal address per member, in ordinal order, inside the runtime's namespace")),
                Arguments.of(TakesForeignClaimsKit.class, List.of(
                        "selects not one claim of another runtime, namespace or look-alike name")),
                // A discovery that waits on a hung member forever gives no answer wherever a member hangs: in the
                // deadline requirement, and where the hung member is the leader its followers still name.
                Arguments.of(WaitsUnboundedKit.class, List.of(
                        "answers within one and a half deadlines when a member hangs, and reports it unreachable",
                        "never names a silent member leader, though the followers still name it")),
                Arguments.of(NeverMountsItsPropertiesKit.class, List.of(
                        "delivers every plan property to every master container, in the files the engine reads")),
                Arguments.of(AssemblesFromAMissingConfigMapKit.class, List.of(
                        "delivers every plan property to every master container, in the files the engine reads")),
                Arguments.of(NamesNoPropertiesFileKit.class, List.of(
                        "delivers every plan property to every master container, in the files the engine reads")),
                Arguments.of(StartsMembersInOrderKit.class, List.of(
                        "starts every master at once: podManagementPolicy Parallel")),
                Arguments.of(PublishesOnlyReadyMembersKit.class, List.of(
                        "names the masters with a headless Service that publishes them before they are ready")),
                Arguments.of(RetainsClaimsOnDeleteKit.class, List.of(
                        "deletes the journal claims with the runtime: retention whenDeleted Delete, and the claims"
                                + " say so")),
                Arguments.of(IgnoresJournalTrafficRestrictionKit.class, List.of(
                        "opens the journal ports to this runtime's masters only, with a NetworkPolicy, when asked to",
                        OPENS_EVERY_PORT_ONLY_TO_CLIENTS)),
                Arguments.of(OpensClientPortsToEveryoneKit.class, List.of(OPENS_EVERY_PORT_ONLY_TO_CLIENTS)),
                Arguments.of(RunsMastersAsRootKit.class, List.of(
                        "runs every container of every master pod, init containers included, as Pod Security"
                                + " \"restricted\" admits it, without a service account token")),
                Arguments.of(HidesAnOperationKit.class, List.of(
                        "declares in capabilities() exactly the optional operations it offers")),
                Arguments.of(ProbesAnUndeclaredPortKit.class, List.of(
                        "probes every master on a port its container declares")),
                Arguments.of(TakesTheFollowersWordKit.class, List.of(
                        "never names a silent member leader, though the followers still name it")),
                Arguments.of(TripsOnOddClaimsKit.class, List.of(
                        "never throws on odd claims (no metadata, labels or annotations; huge or non-decimal"
                                + " ordinals) and keeps each")),
                Arguments.of(IgnoresTheDeleteClaimAnnotationKit.class, List.of(
                        "keeps the runtime's claims that lack the delete-claim annotation or set it otherwise")),
                Arguments.of(HidesAPortKit.class, List.of(
                        "states every port its masters declare in rules(), so no override can take another port's"
                                + " default")),
                // The property is the only engine rule it keeps to itself; its port rules are still stated.
                Arguments.of(ChecksItsReservedPropertyLateKit.class, List.of(
                        "reported with an SPI violation: the journal addresses set by hand")),
                // Quadratic only where line breaks repeat: a run of blanks has one line start, one long line none.
                Arguments.of(ParsesWithABacktrackingRegexKit.class, List.of("1 MiB of line breaks",
                        "1 MiB of blanks, tabs and line breaks")),
                Arguments.of(JumpsAnySizeKit.class, List.of(
                        "changes the size of a running quorum, when offered, without passing through a state"
                                + " without a majority")),
                Arguments.of(WipesARunningJournalKit.class, List.of(
                        "changes the size of a running quorum, when offered, with its steps in the order every"
                                + " step list keeps: checks first, no journal wiped while its member may run, no"
                                + " member left stopped")));
    }

    @ParameterizedTest(name = "{0} fails only {1}")
    @MethodSource("brokenProviders")
    void aProviderBrokenOneWayFailsThatRequirementOnly(Class<?> kit, List<String> requirements) {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();

        assertThat(tests.failed().stream().map(event -> event.getTestDescriptor().getDisplayName()).toList())
                .as("failed requirements; the first failure: %s", tests.failed().stream().findFirst()
                        .flatMap(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class))
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElse(null))
                .containsExactlyInAnyOrderElementsOf(requirements);
        assertThat(tests.succeeded().count()).as("requirements met").isPositive();
        // The samples offer no backups (and one hides its replica change): only those groups may be skipped.
        assertThat(Stream.concat(tests.skipped().stream(), tests.aborted().stream())
                .map(event -> event.getTestDescriptor().getUniqueId().toString())
                .filter(id -> OPERATION_GROUPS.stream().noneMatch(group -> id.contains("[nested-class:" + group + "]")))
                .toList())
                .as("requirements skipped or aborted outside the groups of optional operations").isEmpty();
    }

    private static final String OPENS_EVERY_PORT_ONLY_TO_CLIENTS = "opens every declared port, and only to this"
            + " runtime's masters, this namespace and the spec's clients";

    /** The kit's nested groups of optional operations: replica change, and backup, restore and rebuild. */
    private static final List<String> OPERATION_GROUPS = List.of("ReplicaChange", "Recovery");

    @Test
    void givenAProviderThatOffersNoOptionalOperationWhenTheKitRunsThenEachGroupSkipsThemWithTheReasonAlike() {
        // Given a provider that declares no optional operation, and throws for each as the SPI's defaults do
        // When
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(OffersNoOperationKit.class))
                .execute().testEvents();

        // Then nothing fails, and the replica change and every recovery requirement are skipped, saying why
        assertThat(tests.failed().count()).as("failed requirements").isZero();
        List<String> reasons = tests.aborted().stream()
                .map(event -> event.getTestDescriptor().getUniqueId().toString() + " -> " + event
                        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage).orElse(""))
                .toList();
        assertThat(reasons).hasSize(9)
                .filteredOn(reason -> reason.contains("[nested-class:ReplicaChange]")).hasSize(2)
                .allMatch(reason -> reason.contains("does not offer [REPLICA_CHANGE]"));
        assertThat(reasons).allMatch(reason -> reason.contains("the sample-static provider does not offer"));
    }

    static Stream<Class<?>> honestAlternatives() {
        return Stream.of(ProjectedPropertiesKit.class, AssembledPropertiesKit.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("honestAlternatives")
    void aProviderThatDeliversItsPropertiesAnotherHonestWayPassesEveryRequirement(Class<?> kit) {
        // Given properties in a Secret projected into the engine's directory, or a site file an init step copies
        // from the plan's ConfigMap into an in-memory directory, rather than a ConfigMap's subPath
        // When
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(kit)).execute().testEvents();

        // Then
        assertThat(tests.failed().stream().map(event -> event.getTestDescriptor().getDisplayName()).toList())
                .as("failed requirements").isEmpty();
        assertThat(tests.succeeded().stream().map(event -> event.getTestDescriptor().getDisplayName()).toList())
                .contains("delivers every plan property to every master container, in the files the engine reads");
    }

    static class ProjectedPropertiesKit extends SampleKit {
        ProjectedPropertiesKit() {
            super(new ProjectedPropertiesProvider());
        }
    }

    static class AssembledPropertiesKit extends SampleKit {
        AssembledPropertiesKit() {
            super(new AssembledPropertiesProvider());
        }
    }

    static class AssemblesFromAMissingConfigMapKit extends SampleKit {
        AssemblesFromAMissingConfigMapKit() {
            super(new BrokenProviders.AssemblesFromAMissingConfigMap());
        }
    }

    static class ParsesWithABacktrackingRegexKit extends SampleKit {
        ParsesWithABacktrackingRegexKit() {
            super(new ParsesWithABacktrackingRegex());
        }
    }

    static class OpensClientPortsToEveryoneKit extends SampleKit {
        OpensClientPortsToEveryoneKit() {
            super(new BrokenProviders.OpensClientPortsToEveryone());
        }
    }

    static class HidesAPortKit extends SampleKit {
        HidesAPortKit() {
            super(new BrokenProviders.HidesAPort());
        }
    }

    static class ChecksItsReservedPropertyLateKit extends SampleKit {
        ChecksItsReservedPropertyLateKit() {
            super(new BrokenProviders.ChecksItsReservedPropertyLate());
        }
    }

    static class UnsortedAddressesKit extends SampleKit {
        UnsortedAddressesKit() {
            super(new BrokenProviders.UnsortedAddresses());
        }
    }

    static class TakesForeignClaimsKit extends SampleKit {
        TakesForeignClaimsKit() {
            super(new BrokenProviders.TakesForeignClaims());
        }
    }

    static class WaitsUnboundedKit extends SampleKit {
        WaitsUnboundedKit() {
            super(new BrokenProviders.WaitsUnbounded());
        }
    }

    static class NeverMountsItsPropertiesKit extends SampleKit {
        NeverMountsItsPropertiesKit() {
            super(new BrokenProviders.NeverMountsItsProperties());
        }
    }

    /** A well-behaved provider whose author did not say where the engine reads its properties. */
    static class NamesNoPropertiesFileKit extends SampleKit {
        NamesNoPropertiesFileKit() {
            super(new SampleHighAvailabilityProvider());
        }

        @Override
        protected List<String> enginePropertiesFiles() {
            return List.of();
        }
    }

    static class StartsMembersInOrderKit extends SampleKit {
        StartsMembersInOrderKit() {
            super(new BrokenProviders.StartsMembersInOrder());
        }
    }

    static class PublishesOnlyReadyMembersKit extends SampleKit {
        PublishesOnlyReadyMembersKit() {
            super(new BrokenProviders.PublishesOnlyReadyMembers());
        }
    }

    static class RetainsClaimsOnDeleteKit extends SampleKit {
        RetainsClaimsOnDeleteKit() {
            super(new BrokenProviders.RetainsClaimsOnDelete());
        }
    }

    static class IgnoresJournalTrafficRestrictionKit extends SampleKit {
        IgnoresJournalTrafficRestrictionKit() {
            super(new BrokenProviders.IgnoresJournalTrafficRestriction());
        }
    }

    static class RunsMastersAsRootKit extends SampleKit {
        RunsMastersAsRootKit() {
            super(new BrokenProviders.RunsMastersAsRoot());
        }
    }

    static class HidesAnOperationKit extends SampleKit {
        HidesAnOperationKit() {
            super(new BrokenProviders.HidesAnOperation());
        }
    }

    static class OffersNoOperationKit extends SampleKit {
        OffersNoOperationKit() {
            super(new BrokenProviders.OffersNoOperation());
        }
    }

    static class ProbesAnUndeclaredPortKit extends SampleKit {
        ProbesAnUndeclaredPortKit() {
            super(new BrokenProviders.ProbesAnUndeclaredPort());
        }
    }

    static class TakesTheFollowersWordKit extends SampleKit {
        TakesTheFollowersWordKit() {
            super(new BrokenProviders.TakesTheFollowersWord());
        }
    }

    static class TripsOnOddClaimsKit extends SampleKit {
        TripsOnOddClaimsKit() {
            super(new BrokenProviders.TripsOnOddClaims());
        }
    }

    static class IgnoresTheDeleteClaimAnnotationKit extends SampleKit {
        IgnoresTheDeleteClaimAnnotationKit() {
            super(new BrokenProviders.IgnoresTheDeleteClaimAnnotation());
        }
    }

    static class JumpsAnySizeKit extends SampleKit {
        JumpsAnySizeKit() {
            super(new BrokenProviders.JumpsAnySize());
        }
    }

    static class WipesARunningJournalKit extends SampleKit {
        WipesARunningJournalKit() {
            super(new BrokenProviders.WipesARunningJournal());
        }
    }
}
