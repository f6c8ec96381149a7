package dev.cacheha.examples.demo.kubernetes;

import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.examples.controller.CacheRuntimeOperator;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.deployment.WatchedNamespaces;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.ControlPlaneBinaries;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.node.LocalNode;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./cache-ha demo kubernetes}: the controller's whole story on this machine, told in kubectl's words. A
 * real control plane on loopback ({@link RealCluster}: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok), node {@value LocalNode#NAME} whose pods run as real Alluxio 2.9.6 masters
 * ({@link LocalNode}), and the controller of examples/controller, unchanged but for the node's two ports to the
 * members. Then, every step through the API server: a CacheRuntime of 3 masters applied until HEALTHY, 1,000 files
 * written, a backup, the leader's pod deleted, a property change rolled, two journals lost and restored from the
 * backup, and the runtime deleted. The tables of runtimes, conditions, pods and backups are printed as they change.
 *
 * <p>At the end, on a failure and on Ctrl-C, every master and control-plane process is stopped (on Ctrl-C by the
 * shutdown hooks of the node and the cluster).
 */
public final class KubernetesDemo {

    /** Exit status: the story ran to its end and nothing is left running. */
    public static final int DONE = 0;
    /** Exit status: a step failed or ran out of time (the report says which, with the masters' logs). */
    public static final int FAILED = 1;
    /** Exit status: an argument the demo does not take (it takes none but {@code --help}). */
    public static final int USAGE = 2;
    /** Exit status: the control-plane binaries are not built (the message says how to build them). */
    public static final int NOT_BUILT = 3;

    private static final String HELP = """
            Usage: ./cache-ha demo kubernetes
            Starts a real Kubernetes control plane on this machine (etcd, kube-apiserver, kube-controller-manager,
            kube-scheduler, kwok), a node whose pods run as real Alluxio 2.9.6 masters, and the cache-ha
            controller; then applies a CacheRuntime of 3 masters and tells what happens in kubectl's tables:
            HEALTHY with a leader, 1,000 files and a backup, the leader's pod deleted, a property change rolled
            (the leader last), two journals lost and restored from the backup, the runtime deleted.
            At the end, on a failure and on Ctrl-C every process it started is stopped.
            Needs the control plane built once: real-cluster/build-control-plane.sh (about 20 minutes, Go 1.26+).
            Exit codes: 0 the story ran to its end and nothing is left running; 1 a step failed (the report
            names it, with the runtime's status and the masters' logs); 2 an unknown argument; 3 the control
            plane is not built.
            """;

    /** The system property naming the controller's manifests (examples/controller/deploy). */
    public static final String DEPLOY_DIR_PROPERTY = "cacheha.deployDir";
    /** The system property naming the folder each cluster run's folder (and its logs) is made in. */
    public static final String WORK_DIR_PROPERTY = "cacheha.realCluster.workDir";

    private static final String RUNTIME = "demo";
    private static final String BACKUP = "nightly";
    private static final String FILES = "/demo";
    private static final int FILE_COUNT = 1_000;
    private static final String CONTAINER = "alluxio-master";
    private static final String SERVICE_ACCOUNT = "cache-ha-controller";
    private static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    /** Every wait's budget: generous, as the masters and the control plane share the machine's cores. */
    private static final Duration BUDGET = Duration.ofMinutes(4);
    private static final Duration CLI_DEADLINE = Duration.ofSeconds(60);
    /** The numbers line of {@code alluxio fs count}: files, folders, bytes. */
    private static final Pattern COUNT_LINE = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+\\d+\\s*$");

    private final Narrator narrator;
    private final ControlPlaneBinaries binaries;
    private final Path workDirectory;
    private final Path deployDirectory;
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private final Thread interrupted = new Thread(this::onInterrupt, "demo-interrupted");
    private volatile boolean stopping;
    private RealCluster cluster;
    private LocalNode node;
    private KubernetesClient controllerClient;
    private Operator operator;
    private volatile LiveTables tables;
    private String namespace;

    private KubernetesDemo(Narrator narrator, ControlPlaneBinaries binaries, Path workDirectory,
            Path deployDirectory) {
        this.narrator = narrator;
        this.binaries = binaries;
        this.workDirectory = workDirectory;
        this.deployDirectory = deployDirectory;
    }

    /**
     * Runs the demo with the binaries of {@value ControlPlaneBinaries#DIRECTORY_PROPERTY}, the manifests of
     * {@value #DEPLOY_DIR_PROPERTY} and the runs in {@value #WORK_DIR_PROPERTY}, and exits with its status.
     */
    public static void main(String[] args) {
        // Straight to the file descriptor, as the CLI writes: System.out would keep a write error to itself.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                Charset.defaultCharset()), true);
        if (args.length > 0) {
            boolean help = args.length == 1 && List.of("-h", "--help").contains(args[0]);
            PrintWriter usage = help ? out : new PrintWriter(System.err, true);
            usage.print(HELP);
            usage.flush();
            System.exit(help ? DONE : USAGE);
        }
        System.exit(run(out));
    }

    /** Tells the whole story on {@code out} and returns the exit status ({@link #DONE}, {@link #FAILED}, ...). */
    public static int run(PrintWriter out) {
        Narrator narrator = new Narrator(out);
        ControlPlaneBinaries binaries;
        try {
            binaries = ControlPlaneBinaries.fromSystemProperty();
        } catch (IllegalStateException missing) {
            narrator.say("The real Kubernetes control plane is not built on this machine yet.");
            narrator.block("    " + missing.getMessage());
            narrator.say("Build it once (about 20 minutes on 2 cores, needs Go 1.26+; later runs find it at once):");
            narrator.block("    real-cluster/build-control-plane.sh\nthen run ./cache-ha demo kubernetes again.");
            return NOT_BUILT;
        }
        Path work = Path.of(System.getProperty(WORK_DIR_PROPERTY,
                Path.of(System.getProperty("java.io.tmpdir"), "cache-ha-demo-kubernetes").toString()));
        Path deploy = Path.of(System.getProperty(DEPLOY_DIR_PROPERTY, "examples/controller/deploy"));
        return new KubernetesDemo(narrator, binaries, work, deploy).tell();
    }

    private int tell() {
        Runtime.getRuntime().addShutdownHook(interrupted);
        int status = DONE;
        try {
            phase("start a real control plane and node " + LocalNode.NAME, this::startCluster);
            phase("install the controller", this::installController);
            phase("apply a CacheRuntime of 3 masters", this::apply);
            phase("write " + FILE_COUNT + " files and back up the journal", this::writeAndBackUp);
            phase("delete the leader's pod", this::deleteLeaderPod);
            phase("change a property: a rolling restart, the leader last", this::changeProperty);
            phase("lose two journals and restore them from the backup", this::restore);
            phase("delete the CacheRuntime", this::delete);
        } catch (RuntimeException | AssertionError e) {
            status = FAILED;
            if (!stopping) {
                narrator.say("FAILED: " + e.getMessage());
                narrator.block(masterLogs());
            }
        } finally {
            stopEverything();
        }
        if (!stopping) {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came right now: the hook says so.
            }
            summarize();
        }
        return status;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void phase(String title, Step step) {
        narrator.step(title);
        long start = System.nanoTime();
        try {
            step.run();
            if (tables != null) {
                tables.printChanged();
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("step \"" + title + "\": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("step \"" + title + "\": " + e, e);
        } finally {
            phases.put(title, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void startCluster() {
        narrator.say("etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (3 fake nodes) from "
                + binaries.directory());
        cluster = RealCluster.start(binaries, workDirectory);
        narrator.say("control plane ready in " + ServerTable.shortDuration(cluster.startTime()) + "; its logs: "
                + cluster.logDirectory());
        node = LocalNode.start(cluster.admin(), AlluxioClasspath.fromResource(KubernetesDemo.class.getClassLoader()));
        narrator.say("node " + LocalNode.NAME + " runs its pods for real, as local Alluxio master JVMs; kwok's nodes"
                + " run theirs to Ready with no container");
        narrator.say("of a master pod's two containers the node runs the master alone: READY shows 1/2 at most, and"
                + " STATUS the other container's reason, NotRunByLocalNode");
        narrator.commandWithOutput("kubectl get nodes",
                ServerTable.get(cluster.admin(), "api/v1/nodes", Map.of()).render("No resources found"));
    }

    private void installController() {
        for (String file : List.of("crd.yaml", "crd-backup.yaml")) {
            narrator.command("kubectl apply --server-side -f " + deployDirectory.resolve(file));
            cluster.apply(deployDirectory.resolve(file), null);
        }
        namespace = cluster.createNamespace(RUNTIME, RealCluster.RESTRICTED_POD_SECURITY);
        cluster.admin().namespaces().withName(namespace).edit(object -> {
            object.getMetadata().getAnnotations().putAll(LocalNode.namespaceAnnotations());
            return object;
        });
        narrator.say("namespace " + namespace + ": Pod Security \"restricted\" enforced; its pods go to node "
                + LocalNode.NAME + " (the namespace's node selector and toleration)");
        narrator.command("kubectl config set-context --current --namespace=" + namespace);
        for (String file : List.of("serviceaccount.yaml", "rbac.yaml")) {
            narrator.command("kubectl apply --server-side -f " + deployDirectory.resolve(file));
            cluster.apply(deployDirectory.resolve(file), namespace);
        }
        controllerClient = cluster.clientAs(namespace, SERVICE_ACCOUNT);
        operator = CacheRuntimeOperator.create(controllerClient,
                new ClusterAccess(node.memberProbe(), node.podExec(), Duration.ofSeconds(2)),
                new SimpleMeterRegistry(), Duration.ofMillis(200), Duration.ofMinutes(10),
                WatchedNamespaces.of(namespace), Optional.empty());
        operator.start();
        narrator.say("the controller runs in this process as ServiceAccount " + SERVICE_ACCOUNT + " with the Role of"
                + " rbac.yaml; it reaches the masters' HTTP ports and runs commands in them through the local node,"
                + " since exec through the API server needs a real kubelet");
    }

    private void apply() {
        String manifest = resource("demo.yaml");
        narrator.commandWithOutput("kubectl apply --server-side -f demo.yaml", indent(manifest));
        applyManifest(manifest);
        tables = new LiveTables(narrator, cluster.admin(), namespace, RUNTIME);
        CacheRuntime runtime = awaitRuntime("HEALTHY with a leader and 3 Ready pods", this::healthyWithThreeReady);
        narrator.say("leader " + runtime.getStatus().getLeader() + "; Alluxio itself says:");
        tables.printChanged();
        execAndShow(runtime.getStatus().getLeader(), "alluxio", "fsadmin", "journal", "quorum", "info",
                "-domain", "MASTER");
    }

    private void writeAndBackUp() {
        String leader = runtime().getStatus().getLeader();
        narrator.say("an application writes " + FILE_COUNT + " files under " + FILES
                + " through Alluxio's own client");
        node.pod(namespace, leader).orElseThrow(() -> new IllegalStateException(leader + " does not run"))
                .createFiles(FILES, FILE_COUNT, BUDGET);
        execAndShow(leader, "alluxio", "fs", "count", FILES);
        String manifest = resource("backup.yaml");
        narrator.commandWithOutput("kubectl apply --server-side -f backup.yaml", indent(manifest));
        applyManifest(manifest);
        Await.until("backup " + BACKUP + " Succeeded", BUDGET, () -> {
            CacheRuntimeBackupStatus status = backupStatus();
            return status != null && CacheRuntimeBackupStatus.SUCCEEDED.equals(status.getPhase());
        }, () -> "backup status: " + backupStatus() + state());
        CacheRuntimeBackupStatus status = backupStatus();
        narrator.say("backup " + BACKUP + " taken by " + status.getBackup().takenBy().pod() + " (the leader): "
                + status.getBackup().location());
    }

    private void deleteLeaderPod() {
        String old = runtime().getStatus().getLeader();
        String oldUid = cluster.admin().pods().inNamespace(namespace).withName(old).get().getMetadata().getUid();
        long deleted = System.nanoTime();
        narrator.command("kubectl delete pod " + old + " --wait=false");
        cluster.admin().pods().inNamespace(namespace).withName(old).delete();
        CacheRuntime followed = awaitRuntime("status.leader names another member", runtime ->
                runtime.getStatus() != null && runtime.getStatus().getLeader() != null
                        && !old.equals(runtime.getStatus().getLeader()));
        narrator.say("new leader " + followed.getStatus().getLeader() + ", named in the status "
                + ServerTable.shortDuration(Duration.ofNanos(System.nanoTime() - deleted)) + " after the delete");
        awaitRuntime("pod " + old + " recreated by the StatefulSet controller, 3 Ready pods, HEALTHY", runtime -> {
            Pod pod = cluster.admin().pods().inNamespace(namespace).withName(old).get();
            return pod != null && !pod.getMetadata().getUid().equals(oldUid) && healthyWithThreeReady(runtime);
        });
        narrator.say(old + " is back in the quorum, and no file was lost:");
        execAndShow(old, "alluxio", "fs", "count", FILES);
    }

    private void changeProperty() {
        Map<String, String> before = podUids();
        List<String> restartOrder = new ArrayList<>();
        // The controller restarts the member that leads when its turn comes last; the leadership may move
        // meanwhile, so each restart is told with the leader the status named just before it.
        Map<String, String> leaderAtRestart = new TreeMap<>();
        String[] leader = {runtime().getStatus().getLeader()};
        long generation = patch("{\"spec\":{\"properties\":{\"alluxio.master.audit.logging.enabled\":\"true\"}}}");
        awaitRuntime("every member restarted, Ready at generation " + generation + ", HEALTHY", runtime -> {
            podUids().forEach((pod, uid) -> {
                if (!uid.equals(before.get(pod)) && !restartOrder.contains(pod)) {
                    restartOrder.add(pod);
                    leaderAtRestart.put(pod, leader[0]);
                }
            });
            if (runtime.getStatus() != null && runtime.getStatus().getLeader() != null) {
                leader[0] = runtime.getStatus().getLeader();
            }
            return restartOrder.size() == before.size() && readyAt(runtime, generation)
                    && healthyWithThreeReady(runtime);
        });
        String last = restartOrder.get(restartOrder.size() - 1);
        narrator.say("restarted one at a time: " + String.join(", ", restartOrder) + (last.equals(
                leaderAtRestart.get(last)) ? " (" + last + " led when its turn came, so it went last)"
                : " (" + last + " went last, while " + leaderAtRestart.get(last) + " led)"));
    }

    private void restore() {
        String leader = runtime().getStatus().getLeader();
        List<String> lost = readyPods().stream().filter(pod -> !pod.equals(leader)).limit(2).toList();
        List<String> claims = lost.stream().map(pod -> "journal-" + pod).toList();
        narrator.command("kubectl delete pvc " + String.join(" ", claims) + " --wait=false");
        narrator.command("kubectl delete pod " + String.join(" ", lost) + " --wait=false");
        for (int i = 0; i < lost.size(); i++) {
            cluster.admin().persistentVolumeClaims().inNamespace(namespace).withName(claims.get(i)).delete();
            cluster.admin().pods().inNamespace(namespace).withName(lost.get(i)).delete();
        }
        long generation = patch("{\"spec\":{\"restore\":{\"backupName\":\"" + BACKUP + "\"}}}");
        awaitRuntime("the restore Succeeded", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getRestore() != null
                && RestoreProgress.SUCCEEDED.equals(runtime.getStatus().getRestore().phase()));
        narrator.say("restored; the members restart once more, without the property that made them read the backup");
        awaitRuntime("Ready at generation " + generation + ", HEALTHY", runtime -> readyAt(runtime, generation)
                && healthyWithThreeReady(runtime));
        String member = readyPods().get(0);
        Await.until("the " + FILE_COUNT + " files back", BUDGET, () -> fileCount(member) == FILE_COUNT,
                this::state);
        narrator.say("the quorum was restored from backup " + BACKUP + "; the files are back:");
        execAndShow(member, "alluxio", "fs", "count", FILES);
    }

    private void delete() {
        narrator.command("kubectl delete cacheruntime " + RUNTIME + " --wait=false");
        cluster.admin().resources(CacheRuntime.class).inNamespace(namespace).withName(RUNTIME).delete();
        Await.until("every master stopped, every pod and journal claim of the runtime gone", BUDGET,
                () -> node.runningProcesses().isEmpty()
                        && cluster.admin().pods().inNamespace(namespace).list().getItems().isEmpty()
                        && journalClaims().isEmpty(),
                () -> "running masters: " + node.runningProcesses().size() + ", claims " + journalClaims()
                        + state());
        tables.printChanged();
        narrator.commandWithOutput("kubectl get pvc", ServerTable.get(cluster.admin(),
                "api/v1/namespaces/" + namespace + "/persistentvolumeclaims", Map.of())
                .render("No resources found in " + namespace + " namespace."));
        narrator.say("no master runs, the runtime's objects and journal claims are gone; the backup volume is"
                + " not the runtime's, so it stays");
    }

    /** Stops what was started, last first, and says whether any process of the demo outlived it. */
    private void stopEverything() {
        if (stopping) {
            // Ctrl-C: the shutdown hooks of the node and the cluster stop their processes; closing them here too
            // would race those hooks.
            return;
        }
        List<ProcessHandle> started = ProcessHandle.current().descendants().toList();
        List<String> failures = new ArrayList<>();
        closeQuietly(tables == null ? null : tables::close, failures);
        closeQuietly(operator == null ? null : operator::stop, failures);
        closeQuietly(controllerClient == null ? null : controllerClient::close, failures);
        closeQuietly(node == null ? null : node::close, failures);
        closeQuietly(cluster == null ? null : cluster::close, failures);
        started.forEach(process -> process.onExit().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> null).join());
        List<ProcessHandle> left = started.stream().filter(ProcessHandle::isAlive).toList();
        narrator.step("stop everything");
        failures.forEach(failure -> narrator.say("while stopping: " + failure));
        narrator.say(left.isEmpty()
                ? "stopped " + started.size() + " processes (masters and control plane); nothing is left running"
                : "STILL RUNNING: " + left.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
    }

    private interface Closing {
        void close() throws Exception;
    }

    private static void closeQuietly(Closing closing, List<String> failures) {
        if (closing == null) {
            return;
        }
        try {
            closing.close();
        } catch (Exception e) {
            failures.add(e.toString());
        }
    }

    private void onInterrupt() {
        stopping = true;
        if (tables != null) {
            // No table of a cluster that is going away.
            closeQuietly(tables::close, new ArrayList<>());
        }
        narrator.say("interrupted: the node stops every master and the cluster every control-plane process");
    }

    private void summarize() {
        narrator.step("how long each step took (load average " + loadAverage() + ")");
        phases.forEach((title, took) -> narrator.block(String.format(Locale.ROOT, "  %-60s %8s", title,
                ServerTable.shortDuration(took))));
        narrator.block(String.format(Locale.ROOT, "  %-60s %8s", "in all",
                ServerTable.shortDuration(narrator.elapsed())));
        if (cluster != null) {
            narrator.say("the control plane's logs stay in " + cluster.logDirectory());
        }
    }

    /** The runtime's status and its pods: what a wait that ran out of time says. */
    private String state() {
        if (cluster == null || namespace == null) {
            return "";
        }
        try {
            CacheRuntime runtime = runtime();
            return "\nruntime status: " + (runtime == null ? "(no runtime)" : runtime.getStatus())
                    + "\npods: " + cluster.admin().pods().inNamespace(namespace).list().getItems().stream()
                            .map(pod -> pod.getMetadata().getName() + " " + pod.getStatus().getPhase()).toList();
        } catch (RuntimeException e) {
            return "\n(no state: " + e + ")";
        }
    }

    /** What a failure report adds to the {@link #state()}: the end of every master's log. */
    private String masterLogs() {
        return node == null || namespace == null ? "" : node.masterLogTails(namespace, 20);
    }

    private void applyManifest(String manifest) {
        List<HasMetadata> objects = cluster.admin()
                .load(new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8))).items();
        for (HasMetadata object : objects) {
            object.getMetadata().setNamespace(namespace);
            cluster.admin().resource(object).fieldManager("kubectl").forceConflicts().serverSideApply();
        }
    }

    /** A JSON merge patch of the runtime, as {@code kubectl patch --type merge}; returns the generation it made. */
    private long patch(String mergePatch) {
        narrator.command("kubectl patch cacheruntime " + RUNTIME + " --type merge -p '" + mergePatch + "'");
        return cluster.admin().resources(CacheRuntime.class).inNamespace(namespace).withName(RUNTIME)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch).getMetadata().getGeneration();
    }

    private CacheRuntime runtime() {
        return cluster.admin().resources(CacheRuntime.class).inNamespace(namespace).withName(RUNTIME).get();
    }

    private CacheRuntimeBackupStatus backupStatus() {
        CacheRuntimeBackup backup = cluster.admin().resources(CacheRuntimeBackup.class).inNamespace(namespace)
                .withName(BACKUP).get();
        return backup == null ? null : backup.getStatus();
    }

    private CacheRuntime awaitRuntime(String what, Predicate<CacheRuntime> condition) {
        CacheRuntime[] seen = new CacheRuntime[1];
        narrator.say("waiting until " + what + " ...");
        Await.until("runtime " + RUNTIME + ": " + what, BUDGET, () -> {
            seen[0] = runtime();
            return seen[0] != null && condition.test(seen[0]);
        }, this::state);
        return seen[0];
    }

    private boolean healthyWithThreeReady(CacheRuntime runtime) {
        return runtime.getStatus() != null && "HEALTHY".equals(runtime.getStatus().getQuorumHealth())
                && runtime.getStatus().getLeader() != null && readyPods().size() == 3;
    }

    private static boolean readyAt(CacheRuntime runtime, long generation) {
        return runtime.getStatus() != null && runtime.getStatus().getConditions() != null
                && runtime.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                        && "True".equals(c.getStatus()) && Long.valueOf(generation).equals(c.getObservedGeneration()));
    }

    private List<Pod> pods() {
        return cluster.admin().pods().inNamespace(namespace).withLabel(INSTANCE_LABEL, RUNTIME).list().getItems();
    }

    private List<String> readyPods() {
        return pods().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .map(pod -> pod.getMetadata().getName())
                .sorted()
                .toList();
    }

    private Map<String, String> podUids() {
        Map<String, String> uids = new TreeMap<>();
        pods().forEach(pod -> uids.put(pod.getMetadata().getName(), pod.getMetadata().getUid()));
        return uids;
    }

    private List<String> journalClaims() {
        return cluster.admin().persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                .map(claim -> claim.getMetadata().getName())
                .filter(claim -> claim.startsWith("journal-" + RUNTIME + "-master-"))
                .sorted()
                .toList();
    }

    /** Runs argv in the master container of {@code pod} and prints it as {@code kubectl exec} would. */
    private void execAndShow(String pod, String... argv) {
        PodExec.Result result = exec(pod, argv);
        // Alluxio's CLI warns about its own SLF4J bindings on stderr at every call: shown only when it fails.
        narrator.commandWithOutput("kubectl exec " + pod + " -c " + CONTAINER + " -- " + String.join(" ", argv),
                indent(result.exitCode() == 0 ? result.stdout() : result.stdout() + result.stderr()
                        + "\n(exit code " + result.exitCode() + ")"));
    }

    /**
     * How many files {@code alluxio fs count} finds under {@link #FILES} in {@code pod}, or -1 while it cannot say
     * (a member restarting, the quorum electing): a condition asks again.
     */
    private int fileCount(String pod) {
        PodExec.Result result;
        try {
            result = exec(pod, "alluxio", "fs", "count", FILES);
        } catch (IllegalStateException notNow) {
            return -1;
        }
        Matcher counts = COUNT_LINE.matcher(result.stdout());
        return result.exitCode() == 0 && counts.find() ? Integer.parseInt(counts.group(1)) : -1;
    }

    private PodExec.Result exec(String pod, String... argv) {
        Member member = new Member(Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1)), namespace, pod,
                pod + "." + RUNTIME + "-master." + namespace + ".svc." + LocalNode.CLUSTER_DOMAIN);
        try {
            return node.podExec().exec(member, CONTAINER, List.of(argv), CLI_DEADLINE)
                    .get(CLI_DEADLINE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv) + " in " + pod, e);
        } catch (Exception e) {
            throw new IllegalStateException(String.join(" ", argv) + " in " + pod + " failed: " + e, e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = KubernetesDemo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the demo's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    private static String indent(String text) {
        return text.strip().lines().map(line -> "    " + line).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
