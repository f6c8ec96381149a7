package dev.cacheha.examples.controller;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.BoundedPodExec;
import dev.cacheha.examples.controller.access.KubernetesPodExec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupReconciler;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.reconcile.CacheRuntimeReconciler;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.toolkit.discovery.HttpMemberProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The controller as a JOSDK {@link Operator}: a {@link CacheRuntimeReconciler} and a
 * {@link CacheRuntimeBackupReconciler} registered with the framework's informers, work queue, retries and
 * finalizer handling, and Micrometer metrics — JOSDK's own
 * ({@code operator.sdk.*}, through {@link MicrometerMetrics}) and the controller's
 * ({@link ControllerMetrics}) in one registry.
 */
public final class CacheRuntimeOperator {

    private CacheRuntimeOperator() {}

    /**
     * An operator, not started, that reconciles every CacheRuntime and CacheRuntimeBackup {@code client} can see.
     *
     * @param client the cluster; the operator does not close it
     * @param access how providers reach the masters
     * @param registry where the framework's and the controller's meters go
     * @param recheck how soon a runtime that waits for its members is reconciled again
     * @param resync how often every runtime is reconciled even without an event, to refresh its quorum health
     * @param serverSideApply true on a real API server: owned objects and the finalizer are server-side applied;
     *     false against fabric8's mock server, which answers an apply with 415 (merge patches are used then)
     */
    public static Operator create(KubernetesClient client, ClusterAccess access, MeterRegistry registry,
            Duration recheck, Duration resync, boolean serverSideApply) {
        return create(client, access, registry, recheck, resync, serverSideApply, ControllerSettings.defaults());
    }

    /**
     * An operator as {@link #create(KubernetesClient, ClusterAccess, MeterRegistry, Duration, Duration, boolean)}
     * makes it, holding runtimes to {@code settings} (allowed images, cluster domain, command limits): every
     * command either reconciler runs goes through one {@link BoundedPodExec} with the settings' limits.
     */
    public static Operator create(KubernetesClient client, ClusterAccess unbounded, MeterRegistry registry,
            Duration recheck, Duration resync, boolean serverSideApply, ControllerSettings settings) {
        requireNonNull(registry, "registry");
        ClusterAccess access = new ClusterAccess(unbounded.probe(), new BoundedPodExec(unbounded.exec(),
                settings.commandThreads(), settings.commandsPerNamespace()), unbounded.deadline());
        HighAvailabilityProviders providers = HighAvailabilityProviders.load();
        Operator operator = new Operator(configuration -> configuration
                .withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(serverSideApply)
                .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build()));
        operator.register(new CacheRuntimeReconciler(client, providers, access, recheck,
                CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT, new ControllerMetrics(registry),
                serverSideApply, settings),
                overrider -> overrider.withReconciliationMaxInterval(resync));
        operator.register(new CacheRuntimeBackupReconciler(client, providers, access, recheck, settings));
        return operator;
    }

    /**
     * Runs the controller against the cluster of the current kubeconfig (or the in-cluster service account)
     * until the process is stopped.
     */
    public static void main(String[] args) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        ExecutorService execStreams = Executors.newCachedThreadPool();
        ClusterAccess access = ClusterAccess.of(HttpMemberProbe.create(), new KubernetesPodExec(client, execStreams));
        Operator operator = create(client, access, new SimpleMeterRegistry(),
                CacheRuntimeReconciler.DEFAULT_RECHECK, Duration.ofMinutes(1), true);
        operator.installShutdownHook(Duration.ofSeconds(30));
        operator.start();
    }
}
