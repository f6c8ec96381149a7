package dev.cacheha.examples.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.Violation;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentSettingsTest {

    private static final Optional<String> NO_ACCOUNT_FILE = Optional.empty();

    private static List<String> refusals(Map<String, String> environment, Optional<String> accountNamespace) {
        SettingsRefusedException refused = catchThrowableOfType(
                () -> DeploymentSettings.fromEnvironment(environment, accountNamespace),
                SettingsRefusedException.class);
        assertThat(refused).as("refused").isNotNull();
        return refused.violations().stream().map(Violation::toString).toList();
    }

    @Test
    void unsetWatchesTheOwnNamespaceFromPodNamespaceWithTheLeaseThereAndTheDefaults() {
        // Given only the pod's namespace, from the downward API
        Map<String, String> environment = Map.of("POD_NAMESPACE", "data");

        // When the settings are read
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(environment, NO_ACCOUNT_FILE);

        // Then that namespace is watched, the default Lease lives there, and the health port is the default
        assertThat(settings.watched()).isEqualTo(WatchedNamespaces.of("data"));
        assertThat(settings.lease()).isEqualTo(new LeaseSettings("cache-ha-controller", "data"));
        assertThat(settings.healthPort()).isEqualTo(8080);
    }

    @Test
    void unsetWatchesTheServiceAccountsNamespaceWhenThereIsNoPodNamespace() {
        // Given no variable at all, but the service account's namespace file (with its trailing newline)
        // When the settings are read
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", " "),
                Optional.of("analytics\n"));

        // Then the file's namespace is watched and holds the Lease
        assertThat(settings.watched()).isEqualTo(WatchedNamespaces.of("analytics"));
        assertThat(settings.lease().namespace()).isEqualTo("analytics");
    }

    @Test
    void theServiceAccountNamespaceFileIsReadWhenItExists(@TempDir Path directory) throws Exception {
        // Given a namespace file as Kubernetes mounts it, and a path where there is none
        Path file = Files.writeString(directory.resolve("namespace"), "data");

        // Then its content is read, and a missing file is no namespace
        assertThat(DeploymentSettings.serviceAccountNamespace(file)).contains("data");
        assertThat(DeploymentSettings.serviceAccountNamespace(directory.resolve("missing"))).isEmpty();
    }

    @Test
    void aListIsWatchedSortedWithoutDuplicatesAndTheLeaseStaysInTheOwnNamespace() {
        // Given a comma-separated list with spaces and a duplicate
        Map<String, String> environment = Map.of("WATCH_NAMESPACES", "sales, analytics ,sales",
                "POD_NAMESPACE", "cache-ha");

        // When the settings are read
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(environment, Optional.of("cache-ha"));

        // Then exactly those namespaces are watched, and the Lease is in the controller's own namespace
        assertThat(settings.watched()).isEqualTo(new WatchedNamespaces.Listed(List.of("analytics", "sales")));
        assertThat(settings.lease().namespace()).isEqualTo("cache-ha");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "ALL", " * "})
    void starOrUpperCaseAllWatchesEveryNamespace(String every) {
        // Given every namespace asked for, and an explicit Lease
        Map<String, String> environment = Map.of("WATCH_NAMESPACES", every, "LEASE_NAME", "controller.lock",
                "LEASE_NAMESPACE", "ops", "HEALTH_PORT", "9090");

        // When the settings are read
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(environment, NO_ACCOUNT_FILE);

        // Then every namespace is watched, with the Lease and port named
        assertThat(settings.watched()).isEqualTo(WatchedNamespaces.all());
        assertThat(settings.lease()).isEqualTo(new LeaseSettings("controller.lock", "ops"));
        assertThat(settings.healthPort()).isEqualTo(9090);
    }

    @Test
    void lowerCaseAllIsANamespaceCalledAll() {
        // Given "all" in lower case, which is a valid namespace name
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(Map.of("WATCH_NAMESPACES", "all"),
                Optional.of("data"));

        // Then it is that namespace, not every namespace
        assertThat(settings.watched()).isEqualTo(WatchedNamespaces.of("all"));
    }

    @Test
    void everyBrokenRuleIsReportedAtOnceNamingItsVariable() {
        // Given a malformed list, a bad Lease name and namespace and a port out of range
        Map<String, String> environment = Map.of("WATCH_NAMESPACES", "sales,,Data", "LEASE_NAME", "Lock_1",
                "LEASE_NAMESPACE", "-ops", "HEALTH_PORT", "70000", "POD_NAMESPACE", "data");

        // When the settings are read, Then each rule is named with its variable, all in one refusal
        assertThat(refusals(environment, NO_ACCOUNT_FILE)).containsExactly(
                "WATCH_NAMESPACES: entry 2 of \"sales,,Data\" is empty",
                "WATCH_NAMESPACES: \"Data\" is not a namespace name (lowercase letters, digits and '-', starting"
                        + " and ending with a letter or digit, at most 63 characters)",
                "LEASE_NAME: \"Lock_1\" is not an object name (lowercase letters, digits, '-' and '.', at most 253"
                        + " characters)",
                "LEASE_NAMESPACE: \"-ops\" is not a namespace name (lowercase letters, digits and '-', starting"
                        + " and ending with a letter or digit, at most 63 characters)",
                "HEALTH_PORT: \"70000\" is not a port number (1 to 65535)");
    }

    @Test
    void everyNamespaceCombinedWithNamesIsContradictory() {
        // Given "*" next to a namespace name
        // When the settings are read, Then the combination is refused, not silently widened or narrowed
        assertThat(refusals(Map.of("WATCH_NAMESPACES", "*,sales", "POD_NAMESPACE", "data"), NO_ACCOUNT_FILE))
                .containsExactly("WATCH_NAMESPACES: * (or ALL) means every namespace and cannot be combined with"
                        + " other entries: \"*,sales\"");
    }

    @Test
    void withoutAnyOwnNamespaceTheDefaultsThatNeedItAreRefused() {
        // Given no POD_NAMESPACE, no service account file (a run outside a pod), and nothing else set
        // When the settings are read, Then both settings that default to the own namespace say what to set
        assertThat(refusals(Map.of(), NO_ACCOUNT_FILE)).containsExactly(
                "WATCH_NAMESPACES: unset, which means the controller's own namespace, but neither POD_NAMESPACE"
                        + " nor /var/run/secrets/kubernetes.io/serviceaccount/namespace names the controller's own"
                        + " namespace; set POD_NAMESPACE from the downward API, or WATCH_NAMESPACES to namespaces"
                        + " separated by ',' or to * for every namespace",
                "LEASE_NAMESPACE: unset, which means the controller's own namespace, but neither POD_NAMESPACE nor"
                        + " /var/run/secrets/kubernetes.io/serviceaccount/namespace names the controller's own"
                        + " namespace; set one of them");
    }

    @Test
    void aPodNamespaceOtherThanTheServiceAccountsIsContradictory() {
        // Given POD_NAMESPACE set by hand to another namespace than the pod's service account's
        // When the settings are read, Then it is refused naming both
        assertThat(refusals(Map.of("POD_NAMESPACE", "sales"), Optional.of("data"))).containsExactly(
                "POD_NAMESPACE: \"sales\" differs from the service account's namespace \"data\""
                        + " (/var/run/secrets/kubernetes.io/serviceaccount/namespace); set it from the downward"
                        + " API's metadata.namespace");
    }

    @Test
    void aNonNumericPortAndALongValueAreQuotedCutShort() {
        // Given a port that is no number and a namespace list far longer than any message should be
        String longName = "a".repeat(200);
        List<String> refused = refusals(Map.of("HEALTH_PORT", "http", "WATCH_NAMESPACES", longName),
                Optional.of("data"));

        // Then the port is named, and the long value is cut at 80 characters
        assertThat(refused).containsExactly(
                "WATCH_NAMESPACES: \"" + "a".repeat(80) + "...\" is not a namespace name (lowercase letters, digits"
                        + " and '-', starting and ending with a letter or digit, at most 63 characters)",
                "HEALTH_PORT: \"http\" is not a port number (1 to 65535)");
    }

    @Test
    void theLeaseBecomesJosdksLeaderElectionThatExitsWhenTheLeaseIsLost() {
        // Given Lease settings
        LeaderElectionConfiguration configuration = new LeaseSettings("cache-ha-controller", "data").configuration();

        // Then JOSDK elects on that Lease, and an instance that loses it exits rather than reconcile beside the
        // new leader
        assertThat(configuration.getLeaseName()).isEqualTo("cache-ha-controller");
        assertThat(configuration.getLeaseNamespace()).contains("data");
        assertThat(configuration.isExitOnStopLeading()).isTrue();
    }
}
