package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The engine's declared rules, checked by the SPI: alone on a valid spec, and with the SPI's rules in one pass. */
class EngineRulesTest {

    /** An engine with Jindo's shape: a long suffix, two ports whose defaults a single override can collide with. */
    private static final EngineRules GOOSE = new EngineRules("goose", "-goose-master", ports(), new TreeMap<>(Map.of(
            "goose.raft.peers", "it is derived from the replicas and ports.raft")));

    private static Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("rpc", 8101);
        ports.put("raft", 8103);
        return ports;
    }

    private static final HighAvailabilityProvider PROVIDER = new EngineNamedProvider("goose") {
        @Override
        public EngineRules rules() {
            return GOOSE;
        }
    };

    private static SpecValidationException refusal(HaSpec.Builder builder) {
        return assertThatExceptionOfType(SpecValidationException.class)
                .isThrownBy(() -> builder.build(PROVIDER))
                .actual();
    }

    @Test
    void anOverrideEqualToAnotherPortsDefaultIsRefusedThoughNoOtherOverrideHasIt() {
        // Given a spec that moves rpc onto 8103, the raft port's default, and leaves raft alone
        HaSpec spec = HaSpec.builder("cache", "fluid").port("rpc", 8103).build();

        // When the engine's rules check it
        List<Violation> violations = GOOSE.violations(spec);

        // Then the override is refused, naming the port whose default it takes
        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("ports.rpc");
            assertThat(violation.rule()).contains("8103 is already the default port of ports.raft of goose masters");
        });
    }

    @Test
    void movingBothPortsAwayFromEachOthersDefaultsIsAccepted() {
        // Given rpc on the raft default, and raft moved elsewhere
        HaSpec spec = HaSpec.builder("cache", "fluid").port("rpc", 8103).port("raft", 9000).build(PROVIDER);

        // Then the ports resolve to the overrides, in the engine's order
        assertThat(GOOSE.ports(spec)).containsExactly(Map.entry("rpc", 8103), Map.entry("raft", 9000));
    }

    @Test
    void anUnknownPortNameAndAReservedPropertyAreRefusedWithTheirFieldPaths() {
        // Given a valid spec with a port the engine lacks and a property the engine generates
        HaSpec spec = HaSpec.builder("cache", "fluid").port("bogus", 1).property("goose.raft.peers", "x").build();

        // When the provider validates it
        SpecValidationException refused = assertThatExceptionOfType(SpecValidationException.class)
                .isThrownBy(() -> PROVIDER.validate(spec)).actual();

        // Then both are reported at once
        assertThat(refused.violations()).extracting(Violation::field)
                .containsExactly("ports.bogus", "properties[goose.raft.peers]");
        assertThat(refused.violations().get(0).rule()).contains("known ports: rpc, raft");
        assertThat(refused.violations().get(1).rule()).contains("it is derived from the replicas and ports.raft");
    }

    @Test
    void spiAndEngineViolationsAreReportedInOnePass() {
        // Given four replicas (an SPI rule) and an unknown port (an engine rule)
        HaSpec.Builder builder = HaSpec.builder("cache", "fluid").replicas(4).port("bogus", 1);

        // When it is built against the provider
        // Then both problems are in the same exception, the SPI's first
        assertThat(refusal(builder).violations()).extracting(Violation::field)
                .containsExactly("replicas", "ports.bogus");
    }

    @Test
    void theNameLeavesRoomForTheEnginesSuffixAndIsCheckedOnce() {
        // Given a name that fits the SPI alone (52) but not "<name>-goose-master" with its revision hash
        String name = "n".repeat(40);

        // When it is built against the provider
        // Then exactly one name violation names the engine's StatefulSet
        assertThat(refusal(HaSpec.builder(name, "fluid")).violations()).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("name");
            assertThat(violation.rule()).contains("at most 39 characters")
                    .contains("StatefulSet \"" + name + "-goose-master\"");
        });
        // And the longest name that fits is accepted
        assertThat(HaSpec.builder("n".repeat(39), "fluid").replicas(7).build(PROVIDER).name()).hasSize(39);
    }

    @Test
    void aProvidersOwnChecksRunOnceTheDeclaredRulesPass() {
        // Given a provider that adds a rule of its own beyond its declared facts
        HighAvailabilityProvider picky = new EngineNamedProvider("picky") {
            @Override
            public void validate(HaSpec spec) {
                SpecValidationException.throwIfAny(spec.restrictJournalTraffic()
                        ? List.of(new Violation("restrictJournalTraffic", "picky masters have no journal port"))
                        : List.of());
            }
        };

        // When a spec that obeys every declared rule breaks the provider's own
        // Then the provider's violation is reported by the same call
        assertThatExceptionOfType(SpecValidationException.class)
                .isThrownBy(() -> HaSpec.builder("cache", "fluid").restrictJournalTraffic(true).build(picky))
                .satisfies(refused -> assertThat(refused.violations()).extracting(Violation::field)
                        .containsExactly("restrictJournalTraffic"));
    }

    @Test
    void anEngineWithoutDeclaredPortsAcceptsAnyPortName() {
        // Given a provider with the default rules
        HighAvailabilityProvider plain = new EngineNamedProvider("plain") {};

        // When a spec names any port
        HaSpec spec = HaSpec.builder("cache", "fluid").port("anything", 1234).build(plain);

        // Then it is accepted
        assertThat(spec.ports()).containsEntry("anything", 1234);
        assertThat(plain.rules().violations(spec)).isEmpty();
    }

    @Test
    void aDefaultPortOutsideTheRangeIsAProviderBug() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> new EngineRules("bad", "", Map.of("rpc", 70000), new TreeMap<>()))
                .withMessageContaining("default port rpc");
    }

    @Test
    void askingForAPortTheRulesDoNotNameIsAProviderBug() {
        HaSpec spec = HaSpec.builder("cache", "fluid").build();

        assertThat(GOOSE.port(spec, "raft")).isEqualTo(8103);
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> GOOSE.port(spec, "web"))
                .withMessageContaining("known: [rpc, raft]");
    }
}
