package dev.cacheha.examples.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cacheha.examples.controller.deployment.DeploymentSettings;
import dev.cacheha.examples.controller.deployment.HealthEndpoint;
import dev.cacheha.examples.controller.deployment.WatchedNamespaces;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The controller's Deployment against what the controller does with it: the environment it sets is settings the
 * controller accepts, the namespaces and Lease they name are the ones the shipped RBAC grants, and the probes ask
 * the health endpoint on the port it listens on.
 */
class DeploymentManifestTest {

    private static List<HasMetadata> read(String file) throws IOException {
        return StrictManifestReading.documents(Path.of("deploy", file));
    }

    private static <T> T only(String file, Class<T> kind) throws IOException {
        List<T> found = read(file).stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName() + " in " + file).hasSize(1);
        return found.get(0);
    }

    private static Deployment deployment() throws IOException {
        return only("deployment.yaml", Deployment.class);
    }

    private static Container controller(Deployment deployment) {
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The container's environment, with the downward API's metadata.namespace filled in as the kubelet does. */
    private static Map<String, String> environment(Deployment deployment) {
        Map<String, String> environment = new HashMap<>();
        for (EnvVar variable : controller(deployment).getEnv()) {
            if (variable.getValueFrom() != null) {
                assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).as(variable.getName())
                        .isEqualTo("metadata.namespace");
                environment.put(variable.getName(), deployment.getMetadata().getNamespace());
            } else {
                environment.put(variable.getName(), variable.getValue());
            }
        }
        return environment;
    }

    @Test
    void itRunsAsTheControllersServiceAccountInItsNamespaceWithOneReplica() throws IOException {
        // Given the Deployment and the ServiceAccount
        Deployment deployment = deployment();
        ServiceAccount account = only("serviceaccount.yaml", ServiceAccount.class);

        // Then its pods run as that account, in the account's namespace, one by default
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account.getMetadata().getName());
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        // And a rolling update never takes the only replica down before its successor is ready
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .isZero();
    }

    @Test
    void itsEnvironmentIsAcceptedAndNamesWhatTheShippedRbacGrants() throws IOException {
        // Given the environment the Deployment gives the controller, read as the controller reads it
        Deployment deployment = deployment();
        DeploymentSettings settings = DeploymentSettings.fromEnvironment(environment(deployment), Optional.empty());

        // Then it watches its own namespace, where rbac.yaml's Role is
        Role role = only("rbac.yaml", Role.class);
        assertThat(settings.watched()).isEqualTo(WatchedNamespaces.of(role.getMetadata().getNamespace()));
        // And it elects on the Lease leader-election.yaml grants, in that Role's namespace
        Role election = only("leader-election.yaml", Role.class);
        assertThat(settings.lease().namespace()).isEqualTo(election.getMetadata().getNamespace());
        assertThat(election.getRules()).anySatisfy(rule -> assertThat(rule.getResourceNames())
                .containsExactly(settings.lease().name()));
        // And the health endpoint listens on the port the container declares as "health"
        assertThat(controller(deployment).getPorts())
                .extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .contains(tuple("health", settings.healthPort()));
    }

    @Test
    void itsProbesAskTheHealthEndpointsPathsOnTheHealthPort() throws IOException {
        // Given the controller's container
        Container container = controller(deployment());

        // Then start-up and liveness ask whether the operator runs, readiness whether its informers watch
        assertThat(List.of(container.getStartupProbe(), container.getLivenessProbe()))
                .extracting(probe -> probe.getHttpGet().getPath()).containsOnly(HealthEndpoint.LIVENESS_PATH);
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo(HealthEndpoint.READINESS_PATH);
        // And every probe asks the port named "health"
        for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
        }
        // And start-up may take JOSDK's whole cache sync (2 min) before liveness may restart the container
        Probe startup = container.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThan(120);
    }
}
