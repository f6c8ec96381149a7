package dev.cacheha.examples.controller;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.access.BoundedPodExec;
import dev.cacheha.examples.controller.access.KubernetesPodExec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupReconciler;
import dev.cacheha.examples.controller.deployment.DeploymentSettings;
import dev.cacheha.examples.controller.deployment.HealthEndpoint;
import dev.cacheha.examples.controller.deployment.WatchedNamespaces;
import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.metrics.ControllerMetrics;
import dev.cacheha.examples.controller.reconcile.CacheRuntimeReconciler;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.toolkit.discovery.HttpMemberProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
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
     * An operator, not started, that reconciles every CacheRuntime and CacheRuntimeBackup {@code client} can see,
     * in every namespace and with no leader election: one instance, as the tests run it.
     *
     * @param client the cluster; the operator does not close it
     * @param access how providers reach the masters
     * @param registry where the framework's and the controller's meters go
     * @param recheck how soon a runtime that waits for its members is reconciled again
     * @param resync how often every runtime is reconciled even without an event, to refresh its quorum health
     */
    public static Operator create(KubernetesClient client, ClusterAccess access, MeterRegistry registry,
            Duration recheck, Duration resync) {
        return create(client, access, registry, recheck, resync, WatchedNamespaces.all(), Optional.empty());
    }

    /**
     * An operator, not started, that reconciles the CacheRuntimes and CacheRuntimeBackups of {@code watched}, and
     * only while it holds the Lease of {@code leaderElection} when there is one, with the default
     * {@link ControllerSettings}.
     *
     * @param watched the namespaces every informer watches; the client's RBAC must allow them
     * @param leaderElection the Lease the instances elect their leader on, or empty when only one ever runs
     * @see #create(KubernetesClient, ClusterAccess, MeterRegistry, Duration, Duration)
     */
    public static Operator create(KubernetesClient client, ClusterAccess access, MeterRegistry registry,
            Duration recheck, Duration resync, WatchedNamespaces watched,
            Optional<LeaderElectionConfiguration> leaderElection) {
        return create(client, access, registry, recheck, resync, watched, leaderElection,
                ControllerSettings.defaults());
    }

    /**
     * An operator as {@link #create(KubernetesClient, ClusterAccess, MeterRegistry, Duration, Duration,
     * WatchedNamespaces, Optional)} makes it, holding runtimes to {@code settings} (allowed images, cluster
     * domain, command limits): every command either reconciler runs goes through one {@link BoundedPodExec} with
     * the settings' limits.
     */
    public static Operator create(KubernetesClient client, ClusterAccess unbounded, MeterRegistry registry,
            Duration recheck, Duration resync, WatchedNamespaces watched,
            Optional<LeaderElectionConfiguration> leaderElection, ControllerSettings settings) {
        return create(client, unbounded, registry, recheck, resync, watched, leaderElection, settings,
                new DiscoveriesInFlight(settings.commandThreads(), settings.commandsPerNamespace(),
                        DiscoveriesInFlight.INLINE_WAIT));
    }

    /**
     * An operator as {@link #create(KubernetesClient, ClusterAccess, MeterRegistry, Duration, Duration,
     * WatchedNamespaces, Optional, ControllerSettings)} makes it, whose runtimes and backups discover their leaders
     * in {@code discoveries}: one pool, one bound in all and one per namespace for both reconcilers.
     */
    public static Operator create(KubernetesClient client, ClusterAccess unbounded, MeterRegistry registry,
            Duration recheck, Duration resync, WatchedNamespaces watched,
            Optional<LeaderElectionConfiguration> leaderElection, ControllerSettings settings,
            DiscoveriesInFlight discoveries) {
        requireNonNull(registry, "registry");
        requireNonNull(watched, "watched");
        ClusterAccess access = new ClusterAccess(unbounded.probe(), new BoundedPodExec(unbounded.exec(),
                settings.commandThreads(), settings.commandsPerNamespace()), unbounded.deadline());
        HighAvailabilityProviders providers = HighAvailabilityProviders.load();
        Operator operator = new Operator(configuration -> {
            configuration
                    .withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry)
                            .build());
            leaderElection.ifPresent(configuration::withLeaderElectionConfiguration);
        });
        operator.register(new CacheRuntimeReconciler(client, providers, access, recheck,
                CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT, new ControllerMetrics(registry), settings,
                discoveries),
                overrider -> watched.applyTo(overrider).withReconciliationMaxInterval(resync));
        operator.register(new CacheRuntimeBackupReconciler(client, providers, access, recheck, settings,
                discoveries),
                watched::applyTo);
        return operator;
    }

    /**
     * Runs the controller with the {@link DeploymentSettings} of its environment, against the cluster of the
     * in-cluster service account (or the current kubeconfig), until the process is stopped: the health endpoint
     * answers at once, the informers start, and this instance reconciles once it holds the Lease. Settings that
     * break a rule end the process with status 2 and every broken rule, before anything starts.
     */
    public static void main(String[] args) {
        DeploymentSettings settings;
        ControllerSettings controllerSettings;
        try {
            settings = DeploymentSettings.fromEnvironment(System.getenv(),
                    DeploymentSettings.serviceAccountNamespace(DeploymentSettings.SERVICE_ACCOUNT_NAMESPACE_FILE));
            ControllerSettings fromEnvironment = ControllerSettings.fromEnvironment(System.getenv());
            // The controller's discovery reaches the masters from the controller's own namespace.
            controllerSettings = Optional.ofNullable(System.getenv(DeploymentSettings.POD_NAMESPACE))
                    .map(String::strip).filter(namespace -> !namespace.isEmpty())
                    .or(() -> DeploymentSettings.serviceAccountNamespace(
                            DeploymentSettings.SERVICE_ACCOUNT_NAMESPACE_FILE))
                    .map(fromEnvironment::withControllerNamespace).orElse(fromEnvironment);
        } catch (IllegalArgumentException refused) {
            // A SettingsRefusedException (the deployment's settings) or ControllerSettings' own refusal.
            System.err.println(refused.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        ExecutorService execStreams = Executors.newCachedThreadPool();
        ClusterAccess access = ClusterAccess.of(HttpMemberProbe.create(), new KubernetesPodExec(client, execStreams));
        Operator operator = create(client, access, new SimpleMeterRegistry(),
                CacheRuntimeReconciler.DEFAULT_RECHECK, Duration.ofMinutes(1), settings.watched(),
                Optional.of(settings.lease().configuration()), controllerSettings);
        // Open for the process's whole life: the kubelet asks it until the container ends.
        HealthEndpoint.start(settings.healthPort(), operator);
        // No shutdown hook (JOSDK installs none under leader election): a stopped leader's Lease simply expires,
        // and every step it may have cut short is recorded and idempotent, so the next leader resumes it.
        try {
            operator.start();
        } catch (RuntimeException notStarted) {
            notStarted.printStackTrace();
            System.exit(1);
        }
    }
}
