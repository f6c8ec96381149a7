package dev.cacheha.realcluster.node;

import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.LocalAlluxioQuorum;
import dev.cacheha.alluxio.local.LoopbackMapping;
import dev.cacheha.alluxio.local.RenderedPod;
import dev.cacheha.realcluster.ObjectEvents;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import dev.cacheha.toolkit.discovery.HttpMemberProbe;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A node of the real cluster whose pods run for real: node {@value #NAME}, tainted so that only pods that tolerate
 * {@value #TAINT_KEY} land on it (kwok does not manage it). When the scheduler binds a pod to it, the node runs the
 * pod with ha-alluxio-local's harness ({@link RenderedPod}: volumes, init step, {@code $(VAR)} expansion, the
 * entrypoint stand-in of the Alluxio master, the rendered probes) and reports back as a kubelet does: pod IP,
 * container statuses with restart counts, Ready from the readiness probe; a deleted pod's master gets SIGTERM,
 * SIGKILL after the grace period, then the pod object is removed with the grace-0 delete a kubelet sends. The
 * node's lease and Ready condition are kept fresh.
 *
 * <p>Every member is {@code localhost} with ports of its own ({@link MemberAddresses}); {@link #memberProbe()}
 * and {@link #podExec()} are the ports a controller in this JVM uses to reach the members, where a controller in
 * a cluster would use the pod network and exec through the API server (which needs a real kubelet).
 *
 * <p>A journal claim's volume is a directory per claim under the node's root: it survives a pod's restart and
 * recreation and is removed when the claim is deleted. Nothing of the node outlives {@link #close()}.
 */
public final class LocalNode implements AutoCloseable {

    /** The node's name. */
    public static final String NAME = "local-0";

    /** The taint that keeps every pod off the node unless it tolerates it. */
    public static final String TAINT_KEY = "cache-ha.dev/local-node";

    /** The address every pod and the node report (members differ by port, see {@link MemberAddresses}). */
    public static final String POD_IP = "127.0.0.1";

    /** The cluster domain in members' DNS names, as a kubelet's {@code --cluster-domain}. */
    public static final String CLUSTER_DOMAIN = "cluster.local";

    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration LEASE_DURATION = Duration.ofSeconds(40);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final int HISTORY = 500;

    private final KubernetesClient admin;
    private final AlluxioClasspath classpath;
    private final Path root;
    private final MemberAddresses addresses = new MemberAddresses(CLUSTER_DOMAIN);
    private final Map<String, NodePod> pods = new ConcurrentHashMap<>();
    private final Deque<String> history = new ConcurrentLinkedDeque<>();
    private final ExecutorService work = Executors.newCachedThreadPool(daemon("local-node-pod"));
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(daemon("local-node"));
    private final HttpMemberProbe http;
    private final Thread shutdownHook = new Thread(this::killMastersAndDeleteFiles, "local-node-shutdown");
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<PersistentVolumeClaim> claimInformer;
    private long lastHeartbeat;
    private volatile boolean closed;

    private LocalNode(KubernetesClient admin, AlluxioClasspath classpath, Path root) {
        this.admin = admin;
        this.classpath = classpath;
        this.root = root;
        this.http = HttpMemberProbe.create((member, port) -> new HostPort(LoopbackMapping.LOOPBACK_HOST,
                addresses.address(member.host()).orElseThrow(() -> new IllegalArgumentException(member.host()
                        + " is not a member the local node runs")).localPort(port)));
    }

    /**
     * Registers node {@value #NAME} with {@code admin} (a client with the rights of a kubelet and more), starts
     * running the pods bound to it, and returns once the node is Ready.
     *
     * @param classpath the Alluxio jars the masters run on
     */
    public static LocalNode start(KubernetesClient admin, AlluxioClasspath classpath) {
        Path root;
        try {
            root = Files.createTempDirectory("cache-ha-local-node-");
            Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local node's directory", e);
        }
        LocalNode node = new LocalNode(admin, classpath, root);
        Runtime.getRuntime().addShutdownHook(node.shutdownHook);
        try {
            node.register();
            node.podInformer = admin.pods().inAnyNamespace().withField("spec.nodeName", NAME)
                    .inform(ObjectEvents.of(node::onPod, node::onPodGone));
            node.claimInformer = admin.persistentVolumeClaims().inAnyNamespace()
                    .inform(ObjectEvents.of(claim -> { }, node::onClaimGone));
            node.loop.scheduleWithFixedDelay(node::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /**
     * The annotations that make every pod of a namespace run on this node: the namespace's node selector and
     * default toleration (admission plugins PodNodeSelector and PodTolerationRestriction, which the real
     * cluster's API server enables), so the pods a controller renders come here unchanged.
     */
    public static Map<String, String> namespaceAnnotations() {
        return Map.of("scheduler.alpha.kubernetes.io/node-selector", "kubernetes.io/hostname=" + NAME,
                "scheduler.alpha.kubernetes.io/defaultTolerations",
                "[{\"key\":\"" + TAINT_KEY + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");
    }

    /** Reaches a member's container port at its local port, with local addresses in the answer as the plan's. */
    public MemberProbe memberProbe() {
        return (member, port, path, deadline) -> {
            Optional<MemberAddresses.Address> address = addresses.address(member.host());
            if (address.isEmpty()) {
                return CompletableFuture.failedFuture(new IOException(member.host() + " does not resolve"));
            }
            return http.get(member, port, path, deadline).thenApply(response -> {
                String body = address.get().mapping().toPlanAddresses(response.body());
                return new MemberProbe.Response(response.status(), body.length() > MemberProbe.MAX_BODY_BYTES
                        ? body.substring(0, MemberProbe.MAX_BODY_BYTES) : body);
            });
        };
    }

    /** Runs argv in a container of a pod running on this node, in that pod's environment. */
    public PodExec podExec() {
        return (member, container, argv, deadline) -> running(member.namespace(), member.podName())
                .map(pod -> pod.rendered().exec(member, container, argv, deadline))
                .orElseGet(() -> CompletableFuture.failedFuture(new IOException("pod " + member.namespace() + "/"
                        + member.podName() + " does not run on node " + NAME)));
    }

    /** The running pod {@code name} of {@code namespace}, if its master runs on this node now. */
    public Optional<RenderedPod> pod(String namespace, String name) {
        return running(namespace, name).map(NodePod::rendered);
    }

    private Optional<NodePod> running(String namespace, String name) {
        return pods.values().stream()
                .filter(pod -> pod.namespace().equals(namespace) && pod.name().equals(name) && pod.isRunning())
                .findFirst();
    }

    /** The last {@code lines} lines of the master log of every pod of {@code namespace} the node has run. */
    public String masterLogTails(String namespace, int lines) {
        Path logs = root.resolve("pods");
        if (!Files.isDirectory(logs)) {
            return "(no pod has run)";
        }
        StringBuilder out = new StringBuilder();
        try (Stream<Path> podDirs = Files.list(logs)) {
            for (Path dir : podDirs.sorted().toList()) {
                Path log = dir.resolve("master.log");
                if (!dir.getFileName().toString().startsWith(namespace + "_") || !Files.exists(log)) {
                    continue;
                }
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                out.append("--- ").append(dir.getFileName()).append(" master.log, last ").append(lines)
                        .append(" lines:\n")
                        .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())))
                        .append('\n');
            }
        } catch (IOException e) {
            out.append("(cannot read the logs: ").append(e.getMessage()).append(")");
        }
        return out.toString();
    }

    /** Every master JVM (and CLI call) this node started that still runs. */
    public List<ProcessHandle> runningProcesses() {
        String marker = "=" + root + " ";
        return LocalAlluxioQuorum.runningProcesses().stream()
                .filter(process -> process.info().commandLine().orElse("").contains(marker))
                .toList();
    }

    /** The directory of claim volume {@code claim} of {@code namespace}: one per claim, by the claim's UID. */
    private Path claimDirectory(String namespace, String claim) {
        PersistentVolumeClaim live = admin.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
        if (live == null || live.getSpec().getVolumeName() == null
                || live.getMetadata().getDeletionTimestamp() != null) {
            throw new IllegalStateException("claim " + namespace + "/" + claim + " is not bound: the volume cannot"
                    + " be mounted yet");
        }
        return root.resolve("claims").resolve(live.getMetadata().getUid());
    }

    private void onClaimGone(PersistentVolumeClaim claim) {
        deleteRecursively(root.resolve("claims").resolve(claim.getMetadata().getUid()));
    }

    private void onPod(Pod pod) {
        if (closed) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        NodePod running = pods.get(uid);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            Duration grace = Duration.ofSeconds(Optional.ofNullable(pod.getMetadata().getDeletionGracePeriodSeconds())
                    .orElse(30L));
            work.execute(() -> {
                if (running != null) {
                    note("stops", pod, "deleted, grace " + grace.toSeconds() + " s");
                    running.stop(grace);
                }
                removePodObject(pod);
            });
            return;
        }
        if (running == null) {
            NodePod created = new NodePod(admin, pod, render(pod));
            if (pods.putIfAbsent(uid, created) == null) {
                note("runs", pod, "bound to the node");
                work.execute(created::start);
            }
        }
    }

    private RenderedPod render(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        return RenderedPod.ofPod(pod.getMetadata().getName(), pod.getSpec(), configMaps(namespace),
                secrets(namespace), addresses.mappingOf(pod), classpath, root,
                root.resolve("pods").resolve(namespace + "_" + pod.getMetadata().getName() + "_"
                        + pod.getMetadata().getUid()),
                claim -> claimDirectory(namespace, claim),
                root.resolve("ufs").resolve(namespace));
    }

    private Map<String, Map<String, String>> configMaps(String namespace) {
        return admin.configMaps().inNamespace(namespace).list().getItems().stream()
                .collect(Collectors.toMap(map -> map.getMetadata().getName(),
                        map -> map.getData() == null ? Map.of() : map.getData()));
    }

    private Map<String, Map<String, String>> secrets(String namespace) {
        Map<String, Map<String, String>> secrets = new TreeMap<>();
        admin.secrets().inNamespace(namespace).list().getItems().forEach(secret -> {
            Map<String, String> data = new TreeMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((key, value) ->
                        data.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
            }
            secrets.put(secret.getMetadata().getName(), data);
        });
        return secrets;
    }

    /** The grace-0 delete a kubelet sends once the pod's containers are gone, for this pod only (its UID). */
    private void removePodObject(Pod pod) {
        try {
            Pod live = admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .get();
            if (live != null && live.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                admin.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withGracePeriod(0).delete();
            }
        } catch (KubernetesClientException gone) {
            // Removed meanwhile: what the delete was for.
        }
    }

    private void onPodGone(Pod pod) {
        NodePod gone = pods.remove(pod.getMetadata().getUid());
        if (gone != null) {
            note("forgets", pod, "its object is gone");
            work.execute(() -> {
                gone.stop(Duration.ZERO);
                deleteRecursively(root.resolve("pods").resolve(pod.getMetadata().getNamespace() + "_"
                        + pod.getMetadata().getName() + "_" + pod.getMetadata().getUid()));
            });
        }
    }

    /**
     * What the node did with pods, oldest first: one line per pod it took on or let go, with the pod's UID and
     * the time. Which pod object a master ran for is what a failed test needs to tell a recreated member from one
     * that never went away; the last {@value #HISTORY} lines are kept.
     */
    public List<String> podHistory() {
        return List.copyOf(history);
    }

    private void note(String what, Pod pod, String why) {
        history.addLast(Instant.now() + " " + what + " " + pod.getMetadata().getNamespace() + "/"
                + pod.getMetadata().getName() + " (uid " + pod.getMetadata().getUid() + "): " + why);
        while (history.size() > HISTORY) {
            history.pollFirst();
        }
    }

    private void tick() {
        try {
            for (NodePod pod : pods.values()) {
                if (!pod.isStopped() && pod.tick()) {
                    work.execute(pod::start);
                }
            }
            if (System.nanoTime() - lastHeartbeat > HEARTBEAT.toNanos()) {
                heartbeat();
                lastHeartbeat = System.nanoTime();
            }
        } catch (RuntimeException e) {
            // The next tick tries again, as a kubelet's sync loop does; a dead loop would stall every pod.
            System.err.println("local node " + NAME + ": " + e);
        }
    }

    private void register() {
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("16"), "memory", new Quantity("32Gi"),
                "pods", new Quantity("110"));
        admin.nodes().resource(new NodeBuilder()
                .withNewMetadata()
                    .withName(NAME)
                    .addToLabels("kubernetes.io/hostname", NAME)
                    .addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("kubernetes.io/arch", "amd64")
                    .addToLabels("topology.kubernetes.io/zone", "zone-local")
                .endMetadata()
                .withNewSpec()
                    .addNewTaint().withKey(TAINT_KEY).withValue("true").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus()
                    .withCapacity(capacity)
                    .withAllocatable(capacity)
                    .addNewAddress().withType("InternalIP").withAddress(POD_IP).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(NAME).endAddress()
                    .withConditions(readyCondition())
                .endStatus()
                .build()).create();
        heartbeat();
        lastHeartbeat = System.nanoTime();
    }

    /** Renews the node's lease and its Ready condition, as a kubelet does. */
    private void heartbeat() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        admin.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder()
                .withNewMetadata().withName(NAME).withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withHolderIdentity(NAME).withLeaseDurationSeconds((int) LEASE_DURATION.toSeconds())
                .withRenewTime(now).endSpec()
                .build()).serverSideApply();
        // A strategic merge of the Ready condition alone, with no resourceVersion: the node lifecycle controller
        // writes the node too (its taints), and a heartbeat must not lose to it.
        NodeCondition ready = readyCondition();
        admin.nodes().withName(NAME).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\""
                        + ready.getReason() + "\",\"message\":\"" + ready.getMessage()
                        + "\",\"lastHeartbeatTime\":\"" + ready.getLastHeartbeatTime() + "\"}]}}");
    }

    private static NodeCondition readyCondition() {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("LocalNodeReady")
                .withMessage("the local node agent runs").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .build();
    }

    /**
     * Stops every pod's master (SIGKILL), removes the node, its lease and every directory. Pod objects of the
     * node stay for the caller to delete with their namespace.
     */
    @Override
    public void close() {
        closed = true;
        if (podInformer != null) {
            podInformer.close();
        }
        if (claimInformer != null) {
            claimInformer.close();
        }
        loop.shutdownNow();
        work.shutdownNow();
        killMasters();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs the same kill.
        }
        try {
            admin.leases().inNamespace("kube-node-lease").withName(NAME).delete();
            admin.nodes().withName(NAME).delete();
        } catch (KubernetesClientException e) {
            System.err.println("local node " + NAME + " could not remove itself from the cluster: " + e);
        }
        deleteRecursively(root);
    }

    private void killMastersAndDeleteFiles() {
        killMasters();
        deleteRecursively(root);
    }

    private void killMasters() {
        pods.values().forEach(pod -> pod.rendered().kill());
        List<ProcessHandle> left = new ArrayList<>(runningProcesses());
        left.forEach(ProcessHandle::destroyForcibly);
        left.forEach(process -> process.onExit().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> null).join());
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot delete " + path + ": " + e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
