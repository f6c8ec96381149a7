package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.controller.CacheRuntimeOperator;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.ClusterAccess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The controller running on JOSDK against fabric8's CRUD mock server: the real framework (informers, work
 * queue, retries, finalizer), a {@link FakeStatefulSetController} making pods, a {@link FakeQuorum} answering
 * for the members and a {@link RecordingPodExec} for commands. The server's dispatcher is wrapped in
 * {@link ApiServerFaults}, for faults matched on the request body. The test's own reads and writes go through
 * {@link #test()}, whose requests {@link ServerRequests} leaves out.
 */
public final class ControllerHarness implements AutoCloseable {

    /** Where the runtimes live. */
    public static final String NAMESPACE = "data";

    private final KubernetesMockServer server;
    private final ApiServerFaults faults;
    private final Duration resync;
    private final KubernetesClient controllerClient;
    private final KubernetesClient test;
    private final FakeQuorum quorum;
    private final RecordingPodExec exec;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServerRequests requests;
    private final FakeStatefulSetController statefulSets;
    private Operator operator;

    /** Starts a mock API server and the operator for runtimes of {@code engine}. */
    public ControllerHarness(TestEngine engine) {
        this(engine, Duration.ofMinutes(10), Duration.ofMillis(20));
    }

    /**
     * Starts a mock API server and the operator for runtimes of {@code engine}. The controller updates only by
     * server-side apply, which the mock server cannot do: it takes each apply as a JSON merge patch
     * ({@link ApiServerFaults}), so requests and their order can be checked here; field ownership is proven on
     * the real control plane.
     *
     * @param resync how often every runtime is reconciled without an event (JOSDK's maximum interval)
     * @param statefulSetPause the pause between two passes of the {@link FakeStatefulSetController}
     */
    public ControllerHarness(TestEngine engine, Duration resync, Duration statefulSetPause) {
        this.resync = resync;
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        this.faults = new ApiServerFaults(new KubernetesMixedDispatcher(responses));
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, faults, false);
        server.init();
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntime.class));
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntimeBackup.class));
        this.requests = new ServerRequests(server);
        this.controllerClient = server.createClient();
        this.test = new KubernetesClientBuilder().withConfig(new ConfigBuilder(controllerClient.getConfiguration())
                .withUserAgent(ServerRequests.TEST_AGENT).build()).build();
        this.quorum = engine.quorum();
        this.exec = RecordingPodExec.succeeding("done");
        this.statefulSets = new FakeStatefulSetController(test, NAMESPACE, statefulSetPause);
        start();
    }

    /** Starts a fresh operator, as a restarted controller process would. */
    public void start() {
        operator = CacheRuntimeOperator.create(controllerClient,
                new ClusterAccess(quorum, exec, Duration.ofMillis(500)),
                registry, Duration.ofMillis(50), resync);
        operator.start();
    }

    /** Stops the operator, as a crashed controller process would be. */
    public void stop() {
        operator.stop();
        // Dropped, so that a stopped controller's informer caches can be collected (the benchmark's heap figure).
        operator = null;
    }

    /** A client for the test's own requests. */
    public KubernetesClient test() {
        return test;
    }

    /** The members' answers. */
    public FakeQuorum quorum() {
        return quorum;
    }

    /** The commands run in members. */
    public RecordingPodExec exec() {
        return exec;
    }

    /** The pods and claims the cluster would make. */
    public FakeStatefulSetController statefulSets() {
        return statefulSets;
    }

    /** The meters of the framework and the controller. */
    public SimpleMeterRegistry registry() {
        return registry;
    }

    /** The controller's requests. */
    public ServerRequests requests() {
        return requests;
    }

    /** Faults and observers on the mock API server's requests. */
    public ApiServerFaults faults() {
        return faults;
    }

    /** The mock API server. */
    public KubernetesMockServer server() {
        return server;
    }

    /** The runtime {@code name} as stored. */
    public CacheRuntime runtime(String name) {
        return test.resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Applies {@code change} to runtime {@code name} as stored, again after a conflict; returns what was stored. */
    public CacheRuntime edit(String name, Consumer<CacheRuntime> change) {
        return Runtimes.edit(test.resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(name), change);
    }

    /** The backup {@code name} as stored. */
    public CacheRuntimeBackup backup(String name) {
        return test.resources(CacheRuntimeBackup.class).inNamespace(NAMESPACE).withName(name).get();
    }

    /** Waits up to {@code budget} until runtime {@code name} matches {@code condition}, and returns it. */
    public CacheRuntime await(String name, Predicate<CacheRuntime> condition, Duration budget, String what) {
        return Eventually.within(budget, what, () -> {
            CacheRuntime runtime = runtime(name);
            return runtime != null && condition.test(runtime) ? runtime : null;
        });
    }

    /** Waits up to {@code budget} until runtime {@code name} is Ready at {@code generation}, and returns it. */
    public CacheRuntime awaitReadyAt(String name, long generation, Duration budget) {
        return await(name, runtime -> condition(runtime, "Ready").filter(ready -> ready.getStatus().equals("True")
                && Objects.equals(ready.getObservedGeneration(), generation)).isPresent(),
                budget, "runtime " + name + " Ready at generation " + generation);
    }

    /** The journal claims' UIDs by name, every other claim (a backup volume's) left out. */
    public Map<String, String> journalClaimUids() {
        return test.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(claim -> claim.getMetadata().getName().startsWith("journal-"))
                .collect(Collectors.toMap(claim -> claim.getMetadata().getName(),
                        claim -> claim.getMetadata().getUid()));
    }

    /** Condition {@code type} of the runtime's status, if it has one. */
    public static Optional<Condition> condition(CacheRuntime runtime, String type) {
        return runtime.getStatus() == null || runtime.getStatus().getConditions() == null ? Optional.empty()
                : runtime.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    @Override
    public void close() {
        statefulSets.close();
        try {
            if (operator != null) {
                operator.stop();
            }
        } finally {
            // The server goes first: closing the clients' watches first blocks its event loop on each close.
            try {
                server.destroy();
            } catch (IllegalStateException slowShutdown) {
                // vert.x did not stop within the mock server's own wait, which a loaded machine exceeds; the
                // test's outcome is already decided and its threads end with the JVM.
                System.err.println("mock API server shutdown: " + slowShutdown);
            } finally {
                test.close();
                controllerClient.close();
            }
        }
    }
}
