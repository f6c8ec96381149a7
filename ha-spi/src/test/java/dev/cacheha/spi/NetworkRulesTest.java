package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.validSpec;
import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of the names and numbers masters are reached by: the cluster domain and the port overrides. */
class NetworkRulesTest {

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"cluster.local", "corp.example.com", "k8s", "c-1.internal"})
    void aDnsSubdomainIsAcceptedAsClusterDomain(String clusterDomain) {
        HaSpec spec = validSpec().clusterDomain(clusterDomain).build();

        assertThat(spec.clusterDomain()).isEqualTo(clusterDomain);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Cluster.Local", "cluster..local", ".cluster.local", "cluster.local.", "cluster_local",
            "cluster local", "-cluster.local"})
    void aClusterDomainThatIsNotADnsSubdomainIsRefused(String clusterDomain) {
        assertThat(violationsOf(validSpec().clusterDomain(clusterDomain))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("clusterDomain");
            assertThat(violation.rule()).startsWith("\"" + clusterDomain + "\" is not a DNS-1123 subdomain");
        });
    }

    @Test
    void anEmptyClusterDomainIsRefusedAsEmpty() {
        assertThat(violationsOf(validSpec().clusterDomain("")))
                .containsExactly(new Violation("clusterDomain", "must not be empty"));
    }

    @Test
    void theLowestAndHighestPortNumbersAreAccepted() {
        HaSpec spec = validSpec().port("rpc", 1).port("journal", 65535).build();

        assertThat(spec.ports()).containsExactly(Map.entry("journal", 65535), Map.entry("rpc", 1));
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE})
    void aPortOutsideOneTo65535IsRefusedUnderItsName(int port) {
        assertThat(violationsOf(validSpec().port("rpc", port)))
                .containsExactly(new Violation("ports.rpc", port + " is not a port number: use 1 to 65535"));
    }

    @Test
    void aPortUsedTwiceIsRefusedOnTheLaterNameNamingTheEarlierOne() {
        // Given two port names on one number, inserted in reverse order of their names
        HaSpec.Builder builder = validSpec().port("web", 19999).port("rpc", 19999).port("journal", 19200);

        // When the spec is built
        // Then the later name in sorted order is refused, naming the one that already has the port
        assertThat(violationsOf(builder)).containsExactly(new Violation("ports.web",
                "19999 is already the port of ports.rpc; every port must be distinct"));
    }

    @Test
    void aPortUsedThreeTimesIsRefusedOnEachLaterName() {
        HaSpec.Builder builder = validSpec().port("c", 7000).port("a", 7000).port("b", 7000);

        assertThat(violationsOf(builder)).containsExactly(
                new Violation("ports.b", "7000 is already the port of ports.a; every port must be distinct"),
                new Violation("ports.c", "7000 is already the port of ports.a; every port must be distinct"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"rpc", "journal", "web-ui", "a", "port15charsxxxx", "h2"})
    void anIanaServiceNameIsAcceptedAsPortName(String portName) {
        HaSpec spec = validSpec().port(portName, 8080).build();

        assertThat(spec.port(portName, 1)).isEqualTo(8080);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "RPC", "1rpc", "-rpc", "rpc-", "rpc_port", "rpc.port", "rpc port", "rpc--port",
            "port16charsxxxxx"})
    void aPortNameThatIsNotAnIanaServiceNameIsRefused(String portName) {
        assertThat(violationsOf(validSpec().port(portName, 8080))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("ports." + portName);
            assertThat(violation.rule())
                    .startsWith("\"" + portName + "\" is not a port name")
                    .contains("at most 15 lower-case letters, digits and '-', starting with a letter");
        });
    }

    @Test
    void aPortNameWithAControlCharacterIsEscapedInTheFieldPathAndTheRule() {
        // Given a port name that would start a new line in an error message
        HaSpec.Builder builder = validSpec().port("rpc\nforged: line", 0);

        // When the spec is built
        // Then both violations show the name escaped, so the message keeps one violation per line
        assertThat(violationsOf(builder)).extracting(Violation::field).containsExactly("ports.rpc\\u000aforged: line",
                "ports.rpc\\u000aforged: line");
        assertThat(Refusals.refusalOf(builder).getMessage().lines()).hasSize(3);
    }

    @Test
    void clientSelectorsAreKeptSortedWithoutRepeats() {
        ClientSelector ml = ClientSelector.of(Map.of("team", "ml"), Map.of());
        ClientSelector ops = ClientSelector.namespace("ops");

        HaSpec spec = validSpec().client(ml).client(ops).client(ml).build();

        assertThat(spec.clients()).containsExactly(ops, ml);
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void everyBrokenClientSelectorIsReportedAtOnceWithItsFieldPath() {
        // Given a selector without namespace labels, one with a bad key, one with a bad value
        HaSpec.Builder builder = validSpec()
                .client(ClientSelector.of(Map.of(), Map.of("app", "spark")))
                .client(ClientSelector.of(Map.of("bad key", "x"), Map.of()))
                .client(ClientSelector.of(Map.of("team", "ml"), Map.of("example.com/app", "-spark")));

        // When it builds, Then each is reported with its path, indexed in the order given
        assertThat(violationsOf(builder)).extracting(Violation::field).containsExactlyInAnyOrder(
                "clients[0].namespaceLabels",
                "clients[1].namespaceLabels[bad key]",
                "clients[2].podLabels[example.com/app]");
        assertThat(violationsOf(builder)).filteredOn(v -> v.field().equals("clients[0].namespaceLabels"))
                .singleElement().asString().contains("every namespace");
    }

    @Test
    void moreThanSixteenClientSelectorsAreRefused() {
        HaSpec.Builder builder = validSpec();
        for (int i = 0; i < 17; i++) {
            builder.client(ClientSelector.namespace("ns-" + i));
        }

        assertThat(violationsOf(builder)).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("clients"));
    }
}
