package dev.cacheha.examples.controller.realcluster;

import dev.cacheha.examples.controller.CacheRuntimeOperator;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.deployment.WatchedNamespaces;
import dev.cacheha.examples.controller.discovery.DiscoveriesInFlight;
import dev.cacheha.examples.controller.fake.FakeQuorum;
import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.node.LocalNode;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The controller in this JVM on the real cluster, as a cluster would run it: its client is the controller's
 * ServiceAccount in the API server's eyes (the admin impersonates it), with the Role and RoleBinding of
 * {@code deploy/rbac.yaml} and the CRDs of {@code deploy/} applied from the files as a user applies them, and its
 * informers watching one namespace, the one that Role is in. Pods and claims are made by the real StatefulSet
 * controller and run to Ready on kwok's nodes; the members' answers come from a {@link FakeQuorum} that answers
 * only for pods that exist and are Ready, and commands go to a {@link RecordingPodExec} (no container runs).
 */
final class ControllerOnRealCluster implements AutoCloseable {

    /** The controller's manifests, as shipped. */
    static final Path DEPLOY = Path.of(System.getProperty("cacheha.deployDir", "deploy"));

    /** The controller's ServiceAccount, as deploy/serviceaccount.yaml names it. */
    static final String SERVICE_ACCOUNT = "cache-ha-controller";

    /** The budget of every wait: enough beside two CPU-burning loops. */
    static final Duration BUDGET = Await.DEFAULT_BUDGET;

    private final RealCluster cluster;
    private final String namespace;
    private final KubernetesClient controllerClient;
    private final SharedIndexInformer<Pod> pods;
    /** Namespaces watched besides {@link #namespace}, with the test's pod informer of each. */
    private final Map<String, SharedIndexInformer<Pod>> otherNamespaces = new TreeMap<>();
    private final FakeQuorum quorum;
    private final RecordingPodExec exec;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ControllerRequests requests = new ControllerRequests();
    private final ClusterAccess access;
    private final Duration resync;
    private final HeldDiscoveryThreads discoveryThreads = new HeldDiscoveryThreads();
    /** The running operator's one pool of leader discoveries. */
    private DiscoveriesInFlight discoveries;
    /** Whether the controller watches every namespace (with the ClusterRole) rather than its own and others. */
    private boolean everyNamespace;
    /** The ClusterRoleBinding {@link #watchEveryNamespace()} made, taken away on {@link #close()}. */
    private final List<String> clusterBindings = new ArrayList<>();
    private Operator operator;
    private boolean running;

    private ControllerOnRealCluster(RealCluster cluster, String namespace, TestEngine engine, Duration resync) {
        this(cluster, namespace, resync, null, RecordingPodExec.succeeding("done"), engine);
    }

    /**
     * The controller with {@code members} and {@code exec} as its ports to the members (a {@link LocalNode}'s), or,
     * when {@code engine} is given, the engine's {@link FakeQuorum} answering for Ready pods and {@code exec}.
     */
    private ControllerOnRealCluster(RealCluster cluster, String namespace, Duration resync, MemberProbe members,
            PodExec exec, TestEngine engine) {
        this.cluster = cluster;
        this.namespace = namespace;
        Config impersonating;
        try (KubernetesClient account = cluster.clientAs(namespace, SERVICE_ACCOUNT)) {
            impersonating = account.getConfiguration();
        }
        this.controllerClient = new KubernetesClientBuilder().withConfig(impersonating)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("requests", requests))
                .build();
        this.pods = cluster.admin().pods().inNamespace(namespace).inform();
        this.quorum = engine == null ? null : engine.quorum().answeringOnlyWhile(this::podReady);
        this.exec = exec instanceof RecordingPodExec recording ? recording : null;
        this.access = new ClusterAccess(quorum == null ? members : quorum, exec, Duration.ofSeconds(2));
        this.resync = resync;
        this.operator = newOperator();
    }

    private Operator newOperator() {
        List<String> watched = new ArrayList<>(List.of(namespace));
        watched.addAll(otherNamespaces.keySet());
        ControllerSettings settings = ControllerSettings.defaults();
        discoveries = new DiscoveriesInFlight(settings.commandThreads(), settings.commandsPerNamespace(),
                DiscoveriesInFlight.INLINE_WAIT, discoveryThreads);
        return CacheRuntimeOperator.create(controllerClient, access, registry, Duration.ofMillis(200), resync,
                everyNamespace ? WatchedNamespaces.all() : WatchedNamespaces.of(watched.toArray(String[]::new)),
                Optional.empty(), settings, discoveries);
    }

    /**
     * Makes the controller, not started yet, watch every namespace, with the ClusterRole and ClusterRoleBinding of
     * {@code deploy/rbac-cluster.yaml} granted to its ServiceAccount, as a deployment with
     * {@code WATCH_NAMESPACES=*} is given them; {@link #close()} takes the binding away again.
     */
    void watchEveryNamespace() {
        if (running) {
            throw new IllegalStateException("the controller's namespaces are fixed once it runs");
        }
        for (HasMetadata object : cluster.apply(DEPLOY.resolve("rbac-cluster.yaml"), null)) {
            if (object instanceof ClusterRoleBinding binding) {
                clusterBindings.add(binding.getMetadata().getName());
                cluster.admin().rbac().clusterRoleBindings().withName(binding.getMetadata().getName())
                        .edit(edited -> {
                            edited.getSubjects().stream().filter(subject -> SERVICE_ACCOUNT.equals(subject.getName()))
                                    .forEach(subject -> subject.setNamespace(namespace));
                            return edited;
                        });
            }
        }
        everyNamespace = true;
        operator = newOperator();
    }

    /** Where the controller's leader discoveries run: a test holds them there to keep one under way. */
    HeldDiscoveryThreads discoveryThreads() {
        return discoveryThreads;
    }

    /** The running controller's one pool of leader discoveries, which its runtimes and backups share. */
    DiscoveriesInFlight discoveries() {
        return discoveries;
    }

    /**
     * Makes the controller, not started yet, watch a new namespace too (Pod Security "restricted" enforced), with
     * the Role of {@code deploy/rbac.yaml} there bound to the controller's ServiceAccount, as a deployment watching
     * several namespaces grants it; its pods count for the {@link FakeQuorum} like those of {@link #namespace()}.
     *
     * @return the new namespace's name
     */
    String watchAlso(String namespacePrefix) {
        if (running) {
            throw new IllegalStateException("the controller's namespaces are fixed once it runs");
        }
        String other = cluster.createNamespace(namespacePrefix, RealCluster.RESTRICTED_POD_SECURITY);
        for (HasMetadata object : cluster.apply(DEPLOY.resolve("rbac.yaml"), other)) {
            if (object instanceof RoleBinding binding) {
                cluster.admin().rbac().roleBindings().inNamespace(other).withName(binding.getMetadata().getName())
                        .edit(edited -> {
                            edited.getSubjects().stream().filter(subject -> SERVICE_ACCOUNT.equals(subject.getName()))
                                    .forEach(subject -> subject.setNamespace(namespace));
                            return edited;
                        });
            }
        }
        otherNamespaces.put(other, cluster.admin().pods().inNamespace(other).inform());
        operator = newOperator();
        return other;
    }

    /**
     * A new namespace whose pods run on {@code node} for real (its node selector and toleration), with the CRDs,
     * the ServiceAccount and the Role of {@code deploy/}, and the controller started with the node's two ports to
     * the members: exec through the API server would need a real kubelet, and the members' HTTP ports are on
     * loopback. The controller's own code is the production code; only these ports differ.
     */
    static ControllerOnRealCluster startOnLocalNode(RealCluster cluster, String namespacePrefix, LocalNode node) {
        installCrds(cluster);
        String namespace = cluster.createNamespace(namespacePrefix, RealCluster.RESTRICTED_POD_SECURITY);
        cluster.admin().namespaces().withName(namespace).edit(object -> {
            object.getMetadata().getAnnotations().putAll(LocalNode.namespaceAnnotations());
            return object;
        });
        cluster.apply(DEPLOY.resolve("serviceaccount.yaml"), namespace);
        cluster.apply(DEPLOY.resolve("rbac.yaml"), namespace);
        ControllerOnRealCluster controller = new ControllerOnRealCluster(cluster, namespace, Duration.ofMinutes(10),
                node.memberProbe(), node.podExec(), null);
        controller.start();
        return controller;
    }

    /**
     * Installs the CRDs of {@code deploy/} (once per cluster; applying them again changes nothing) and waits until
     * the API server serves both.
     */
    static void installCrds(RealCluster cluster) {
        for (String file : List.of("crd.yaml", "crd-backup.yaml")) {
            cluster.apply(DEPLOY.resolve(file), null);
        }
        for (String crd : List.of("cacheruntimes.data.cacheha.dev", "cacheruntimebackups.data.cacheha.dev")) {
            Await.until(crd + " established", () -> cluster.admin().apiextensions().v1().customResourceDefinitions()
                    .withName(crd).get().getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())), () -> "");
        }
    }

    /**
     * A new namespace (Pod Security "restricted" enforced) with the CRDs, the ServiceAccount and the Role of
     * {@code deploy/}; the controller is not started.
     */
    static ControllerOnRealCluster prepare(RealCluster cluster, String namespacePrefix, TestEngine engine) {
        return prepare(cluster, namespacePrefix, engine, Duration.ofMinutes(10));
    }

    /**
     * {@link #prepare(RealCluster, String, TestEngine)} with every runtime reconciled at least every
     * {@code resync}.
     */
    static ControllerOnRealCluster prepare(RealCluster cluster, String namespacePrefix, TestEngine engine,
            Duration resync) {
        installCrds(cluster);
        String namespace = cluster.createNamespace(namespacePrefix, RealCluster.RESTRICTED_POD_SECURITY);
        cluster.apply(DEPLOY.resolve("serviceaccount.yaml"), namespace);
        cluster.apply(DEPLOY.resolve("rbac.yaml"), namespace);
        return new ControllerOnRealCluster(cluster, namespace, engine, resync);
    }

    /** {@link #prepare} and start the controller. */
    static ControllerOnRealCluster start(RealCluster cluster, String namespacePrefix, TestEngine engine) {
        ControllerOnRealCluster controller = prepare(cluster, namespacePrefix, engine);
        controller.start();
        return controller;
    }

    /** Starts the controller prepared by {@link #prepare}. */
    void start() {
        operator.start();
        running = true;
    }

    /** Stops the controller, as a stopped process would be; its namespace stays. */
    void stop() {
        if (running) {
            operator.stop();
            running = false;
        }
    }

    /**
     * Stops the controller and starts a fresh one with the same client and ports, as a crashed and restarted
     * controller process would: what the stopped one held in memory is gone, its informers list everything anew.
     */
    void restart() {
        stop();
        operator = newOperator();
        start();
    }

    /** The requests the controller sent. */
    ControllerRequests requests() {
        return requests;
    }

    /** The framework's and the controller's meters. */
    SimpleMeterRegistry registry() {
        return registry;
    }

    /** The namespace the controller watches and its Role is in. */
    String namespace() {
        return namespace;
    }

    /** The cluster's admin, for the test's own reads and writes. */
    KubernetesClient admin() {
        return cluster.admin();
    }

    /** The members' answers (of a controller prepared with a {@link TestEngine}). */
    FakeQuorum quorum() {
        return quorum;
    }

    /**
     * Members 0 to {@value HaSpec#MAX_REPLICAS} - 1 of runtime {@code name} answer once their pods are Ready, member
     * {@code leader} leading (of a controller prepared with a {@link TestEngine}).
     */
    void membersAnswer(String name, int leader) {
        IntStream.range(0, HaSpec.MAX_REPLICAS).forEach(ordinal -> quorum.set(name + "-master-" + ordinal,
                ordinal == leader ? Role.LEADER : Role.FOLLOWER));
    }

    /** The commands the controller ran in members (of a controller prepared with a {@link TestEngine}). */
    RecordingPodExec exec() {
        return exec;
    }

    /** The runtime {@code name} as stored, or null. */
    CacheRuntime runtime(String name) {
        return admin().resources(CacheRuntime.class).inNamespace(namespace).withName(name).get();
    }

    /** The backup {@code name} as stored, or null. */
    CacheRuntimeBackup backup(String name) {
        return admin().resources(CacheRuntimeBackup.class).inNamespace(namespace).withName(name).get();
    }

    /** Applies {@code change} to runtime {@code name} as stored, again after a conflict; returns what was stored. */
    CacheRuntime edit(String name, Consumer<CacheRuntime> change) {
        return Runtimes.edit(admin().resources(CacheRuntime.class).inNamespace(namespace).withName(name), change);
    }

    /** Waits until backup {@code name} is in {@code phase}, and returns it. */
    CacheRuntimeBackup awaitBackup(String name, String phase) {
        Await.until("backup " + name + " " + phase, BUDGET, () -> {
            CacheRuntimeBackup backup = backup(name);
            return backup != null && backup.getStatus() != null && phase.equals(backup.getStatus().getPhase());
        }, () -> "backup: " + backup(name));
        return backup(name);
    }

    /** Waits until runtime {@code name} matches {@code condition}, and returns it. */
    CacheRuntime await(String name, Predicate<CacheRuntime> condition, String what) {
        CacheRuntime[] seen = new CacheRuntime[1];
        Await.until("runtime " + name + ": " + what, BUDGET, () -> {
            seen[0] = runtime(name);
            return seen[0] != null && condition.test(seen[0]);
        }, () -> "its status is " + (seen[0] == null ? "(no runtime)" : seen[0].getStatus()) + "; its pods: "
                + describePods(name));
        return seen[0];
    }

    /** Waits until runtime {@code name} is Ready at {@code generation}, and returns it. */
    CacheRuntime awaitReady(String name, long generation) {
        return await(name, runtime -> runtime.getStatus() != null && runtime.getStatus().getConditions() != null
                && runtime.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                        && "True".equals(c.getStatus()) && Long.valueOf(generation).equals(c.getObservedGeneration())),
                "Ready at generation " + generation);
    }

    /**
     * Every object of the namespace of a kind the controller creates (StatefulSet, ConfigMap, Secret, Service,
     * PodDisruptionBudget, NetworkPolicy) whose owner reference names {@code uid}.
     */
    List<HasMetadata> objectsControlledBy(String uid) {
        KubernetesClient admin = admin();
        return Stream.of(admin.apps().statefulSets().inNamespace(namespace).list().getItems(),
                        admin.configMaps().inNamespace(namespace).list().getItems(),
                        admin.secrets().inNamespace(namespace).list().getItems(),
                        admin.services().inNamespace(namespace).list().getItems(),
                        admin.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems(),
                        admin.network().v1().networkPolicies().inNamespace(namespace).list().getItems())
                .<HasMetadata>flatMap(List::stream)
                .filter(object -> object.getMetadata().getOwnerReferences().stream()
                        .anyMatch(owner -> uid.equals(owner.getUid())))
                .toList();
    }

    /** The pods of runtime {@code name}, each with its phase and every condition that does not hold, and why. */
    String describePods(String name) {
        return admin().pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", name).list()
                .getItems().stream()
                .map(pod -> pod.getMetadata().getName() + " " + pod.getStatus().getPhase()
                        + (pod.getMetadata().getDeletionTimestamp() == null ? "" : " (terminating)") + " "
                        + pod.getStatus().getConditions().stream().filter(c -> !"True".equals(c.getStatus()))
                                .map(c -> c.getType() + ": " + c.getReason() + " " + c.getMessage()).toList())
                .toList().toString();
    }

    /** Pod {@code name} of the watched namespaces as the test's pod informers have it, or null. */
    Pod pod(String name) {
        Pod pod = pods.getStore().getByKey(namespace + "/" + name);
        for (Map.Entry<String, SharedIndexInformer<Pod>> other : otherNamespaces.entrySet()) {
            pod = pod != null ? pod : other.getValue().getStore().getByKey(other.getKey() + "/" + name);
        }
        return pod;
    }

    /** Whether pod {@code name} of the watched namespaces exists, is not being deleted and is Ready. */
    boolean podReady(String name) {
        Pod pod = pod(name);
        return pod != null && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Stops the controller and deletes the namespace (the cluster keeps running for the next test class). */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            pods.close();
            discoveryThreads.close();
            clusterBindings.forEach(binding -> cluster.admin().rbac().clusterRoleBindings().withName(binding)
                    .delete());
            otherNamespaces.values().forEach(SharedIndexInformer::close);
            controllerClient.close();
            cluster.admin().namespaces().withName(namespace).delete();
            otherNamespaces.keySet().forEach(other -> cluster.admin().namespaces().withName(other).delete());
        }
    }
}
