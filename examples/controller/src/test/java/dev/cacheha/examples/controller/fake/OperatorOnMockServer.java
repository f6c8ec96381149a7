package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.controller.CacheRuntimeOperator;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.deployment.WatchedNamespaces;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Optional;

/**
 * The controller's operator, not started, on an empty CRUD mock API server: for what the operator does before
 * any runtime exists (which namespaces its informers ask for, what its health says). No members, no commands.
 */
public final class OperatorOnMockServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Operator operator;
    private final ServerRequests requests;
    private boolean serverRunning = true;

    /** A mock API server serving both resources, and an operator watching {@code watched} on it. */
    public OperatorOnMockServer(WatchedNamespaces watched) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntime.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntimeBackup.class));
        requests = new ServerRequests(server);
        client = server.createClient();
        operator = CacheRuntimeOperator.create(client,
                new ClusterAccess(new FakeQuorum((role, path, leaderHost) -> ""), PodExec.unavailable(),
                        Duration.ofMillis(500)),
                new SimpleMeterRegistry(), Duration.ofSeconds(5), Duration.ofMinutes(10), watched,
                Optional.empty());
    }

    /** The operator, not started until the test starts it. */
    public Operator operator() {
        return operator;
    }

    /** The requests the operator sent. */
    public ServerRequests requests() {
        return requests;
    }

    /** Stops the API server, as an outage would. */
    public void stopServer() {
        serverRunning = false;
        server.destroy();
    }

    @Override
    public void close() {
        try {
            operator.stop();
        } finally {
            client.close();
            if (serverRunning) {
                server.destroy();
            }
        }
    }
}
