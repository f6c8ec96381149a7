package dev.cacheha.realcluster;

import dev.cacheha.realcluster.ClusterCredentials.User;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC and Node authorization, Pod Security
 * admission, service-account tokens), kube-controller-manager (every default controller, each with its own
 * service account), kube-scheduler, and kwok keeping {@value #NODES} fake nodes in distinct zones alive and
 * running their pods to Ready (no container runs). Claims in the default storage class {@value #STORAGE_CLASS}
 * bind through a provisioner stand-in.
 *
 * <p>Everything of one run lives in {@code <workDir>/<run>/}: the logs of every component under {@code logs/}
 * (kept), etcd's data and the credentials (deleted by {@link #close()}, which stops every process it started
 * and checks that none is left).
 */
public final class RealCluster implements AutoCloseable {

    /** The number of fake nodes, node {@code i} in zone {@code zone-i}. */
    public static final int NODES = 3;

    /** The default storage class. */
    public static final String STORAGE_CLASS = "standard";

    /** The field manager of every server-side apply the tests make, as the controller's. */
    public static final String FIELD_MANAGER = "cache-ha";

    /** Namespace labels that make Pod Security enforce, warn and audit the "restricted" level. */
    public static final Map<String, String> RESTRICTED_POD_SECURITY = Map.of(
            "pod-security.kubernetes.io/enforce", "restricted",
            "pod-security.kubernetes.io/warn", "restricted",
            "pod-security.kubernetes.io/audit", "restricted");

    private static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";
    private static final String POD_CIDR = "10.0.0.0/16";
    private static final Duration START_BUDGET = Duration.ofSeconds(120);
    /**
     * The controller manager's and the scheduler's leases (their leases are how {@link #start} knows they run).
     * One instance of each runs, so nobody else can take over; with the default 10 s renewal deadline, a renewal
     * a busy machine delayed ended the process ("Leaderelection lost"): the scheduler of a 1,000-runtime run
     * exited that way at load average 50 and left 1,321 pods unscheduled.
     */
    private static final String LEASE_DURATION = "--leader-elect-lease-duration=10m";
    private static final String RENEW_DEADLINE = "--leader-elect-renew-deadline=9m";

    private final ControlPlaneBinaries binaries;
    private final Path runDirectory;
    private final ClusterCredentials credentials;
    private final List<ComponentProcess> components = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopEverything, "real-cluster-shutdown");
    private String server;
    private Path caFile;
    private Path adminKubeconfig;
    private KubernetesClient admin;
    private ClaimProvisioner provisioner;
    private Duration startTime;
    private boolean closed;

    private RealCluster(ControlPlaneBinaries binaries, Path runDirectory) {
        this.binaries = binaries;
        this.runDirectory = runDirectory;
        this.credentials = ClusterCredentials.create(runDirectory.resolve("credentials"));
    }

    /**
     * Starts a cluster in a new run folder under {@code workDir} and returns once it is ready: the API server
     * ready, the controller manager and the scheduler holding their leases, every node Ready, and the
     * {@code default} namespace's service account made by the controller manager.
     *
     * @throws IllegalStateException when a component does not get there within its budget, naming it, with the
     *     end of its log and the folder of every log; everything started is stopped again
     */
    public static RealCluster start(ControlPlaneBinaries binaries, Path workDir) {
        List<ProcessHandle> orphans = stopOrphans(workDir);
        if (!orphans.isEmpty()) {
            System.err.println("stopped " + orphans.size() + " process(es) of earlier runs in " + workDir
                    + " whose JVM had died: " + orphans.stream().map(ProcessHandle::pid).toList());
        }
        String run = "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-" + ProcessHandle.current().pid();
        RealCluster cluster = new RealCluster(binaries, workDir.toAbsolutePath().resolve(run));
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        long started = System.nanoTime();
        try {
            cluster.startComponents();
        } catch (RuntimeException e) {
            try {
                cluster.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw new IllegalStateException("the real cluster did not start; logs of every component in "
                    + cluster.logDirectory(), e);
        }
        cluster.startTime = Duration.ofNanos(System.nanoTime() - started);
        return cluster;
    }

    private void startComponents() {
        int etcdClientPort = freeLoopbackPort();
        String etcd = "http://127.0.0.1:" + etcdClientPort;
        String etcdPeer = "http://127.0.0.1:" + freeLoopbackPort();
        ComponentProcess etcdProcess = launch("etcd", List.of(
                binaries.executable("etcd").toString(),
                "--name=real-cluster",
                "--data-dir=" + runDirectory.resolve("etcd-data"),
                "--listen-client-urls=" + etcd,
                "--advertise-client-urls=" + etcd,
                "--listen-peer-urls=" + etcdPeer,
                "--initial-advertise-peer-urls=" + etcdPeer,
                "--initial-cluster=real-cluster=" + etcdPeer,
                // A test cluster's data is thrown away: no fsync, which the shared disk would pay for.
                "--unsafe-no-fsync=true"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        awaitServing("etcd answers healthy on " + etcd, etcdProcess,
                () -> get(http, etcd + "/health").contains("\"health\":\"true\""));

        int apiPort = freeLoopbackPort();
        server = "https://127.0.0.1:" + apiPort;
        Path certs = runDirectory.resolve("apiserver-certs");
        Path servingCertificate = certs.resolve("apiserver.crt");
        ComponentProcess apiserver = launch("kube-apiserver", List.of(
                binaries.executable("kube-apiserver").toString(),
                "--etcd-servers=" + etcd,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                // The endpoints of Service "kubernetes" would have to be a non-loopback address; nothing here
                // reaches the API server through that Service.
                "--endpoint-reconciler-type=none",
                "--secure-port=" + apiPort,
                // Self-signed serving certificate (with its own CA in the same file) for 127.0.0.1.
                "--cert-dir=" + certs,
                "--token-auth-file=" + credentials.tokenFile(),
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction,PodNodeSelector,PodTolerationRestriction",
                "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + credentials.serviceAccountPublicKey(),
                "--service-account-signing-key-file=" + credentials.serviceAccountPrivateKey(),
                "--anonymous-auth=false"));
        awaitServing("kube-apiserver ready on " + server, apiserver, () -> readyz(servingCertificate));
        // The serving certificate file holds the certificate and then its CA; clients (and the root CA the
        // controller manager publishes to every namespace) get the CA alone.
        caFile = certs.resolve("ca.crt");
        writeCertificateAuthorities(servingCertificate, caFile);

        adminKubeconfig = credentials.kubeconfig(User.ADMIN, server, caFile);
        admin = newClient(baseConfig(User.ADMIN));
        launch("kube-controller-manager", List.of(
                binaries.executable("kube-controller-manager").toString(),
                "--kubeconfig=" + credentials.kubeconfig(User.CONTROLLER_MANAGER, server, caFile),
                "--controllers=*",
                // kwok renews its fake nodes' leases from the test machine; when a busy machine delays a renewal
                // past the grace period, the node lifecycle controller marks every pod of the node NotReady, which
                // kwok never undoes (seen: grown runtimes stuck with Running, unready pods). Nodes never fail
                // here, so the grace period is long. (The controller itself stays: it lifts the not-ready taint
                // every new node starts with.) 10 min was not enough: while kwok ran 3,000 pods up at load 40 its
                // heartbeats stopped for 12 min and 2,330 pods of the 1,000-runtime run were marked NotReady.
                "--node-monitor-grace-period=2h",
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + credentials.serviceAccountPrivateKey(),
                "--root-ca-file=" + caFile,
                "--cluster-cidr=" + POD_CIDR,
                "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
                "--secure-port=0",
                "--leader-elect=true", LEASE_DURATION, RENEW_DEADLINE));
        launch("kube-scheduler", List.of(
                binaries.executable("kube-scheduler").toString(),
                "--kubeconfig=" + credentials.kubeconfig(User.SCHEDULER, server, caFile),
                "--secure-port=0",
                "--leader-elect=true", LEASE_DURATION, RENEW_DEADLINE));
        FakeNodes.create(admin, NODES);
        admin.storage().v1().storageClasses()
                .resource(ClaimProvisioner.storageClass(STORAGE_CLASS, true)).create();
        provisioner = ClaimProvisioner.start(admin);
        launch("kwok", List.of(
                binaries.executable("kwok").toString(),
                "--kubeconfig=" + credentials.kubeconfig(User.KWOK, server, caFile),
                "--config=" + binaries.kwokStages(),
                "--manage-all-nodes=false",
                "--manage-nodes-with-annotation-selector=" + FakeNodes.KWOK_ANNOTATION + "="
                        + FakeNodes.KWOK_ANNOTATION_VALUE,
                "--cidr=" + POD_CIDR));

        for (String holder : List.of("kube-controller-manager", "kube-scheduler")) {
            awaitServing(holder + " holds its lease", component(holder), () -> {
                Lease lease = admin.leases().inNamespace("kube-system").withName(holder).get();
                return lease != null && lease.getSpec().getHolderIdentity() != null;
            });
        }
        awaitServing(NODES + " nodes Ready", component("kwok"), () -> admin.nodes().list().getItems().stream()
                .filter(RealCluster::isReady).count() == NODES);
        awaitServing("the default service account in namespace default", component("kube-controller-manager"),
                () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);
    }

    private ComponentProcess launch(String name, List<String> command) {
        ComponentProcess process = ComponentProcess.start(name, command, logDirectory().resolve(name + ".log"));
        components.add(process);
        return process;
    }

    private ComponentProcess component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Waits for {@code condition}; gives up at once, with the end of its log, if {@code component} exits. */
    private void awaitServing(String what, ComponentProcess component, BooleanSupplier condition) {
        Await.until(what, START_BUDGET, () -> {
            if (!component.isAlive()) {
                throw new IllegalStateException(component.exitReport());
            }
            return condition.getAsBoolean();
        }, () -> components.stream().filter(c -> !c.isAlive()).map(c -> c.name() + " exited; ")
                .collect(Collectors.joining()) + "last lines of " + component.log() + ":\n" + component.tail());
    }

    private boolean readyz(Path servingCertificate) {
        if (!Files.isRegularFile(servingCertificate)) {
            return false;
        }
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(servingCertificate))
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + "/readyz"))
                .header("Authorization", "Bearer " + credentials.token(User.ADMIN))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static SSLContext trusting(Path certificates) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (X509Certificate certificate : certificates(certificates)) {
                trusted.setCertificateEntry("apiserver-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + certificates, e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot parse the certificates in " + file, e);
        }
    }

    private static void writeCertificateAuthorities(Path certificates, Path target) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates(certificates)) {
            if (certificate.getBasicConstraints() >= 0) {
                try {
                    pem.append(ClusterCredentials.pem("CERTIFICATE", certificate.getEncoded()));
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
                }
            }
        }
        if (pem.isEmpty()) {
            throw new IllegalStateException("no CA certificate in " + certificates);
        }
        try {
            Files.writeString(target, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static String get(HttpClient http, String uri) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean isReady(Node node) {
        return node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private Config baseConfig(User user) {
        // Config.empty(): nothing from ~/.kube/config, the environment or system properties.
        return new ConfigBuilder(Config.empty())
                .withMasterUrl(server)
                .withCaCertFile(caFile.toString())
                .withOauthToken(credentials.token(user))
                .withRequestTimeout((int) Duration.ofSeconds(30).toMillis())
                .build();
    }

    private static KubernetesClient newClient(Config config) {
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A client in {@code system:masters}, for setting up and checking what a test needs. Do not close it. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A new admin client whose responses' warnings go to {@code warnings}; the caller closes it. */
    public KubernetesClient clientRecording(ServerWarnings warnings) {
        return new KubernetesClientBuilder().withConfig(baseConfig(User.ADMIN))
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("warnings", warnings))
                .build();
    }

    /**
     * A new client that the API server treats as service account {@code name} of {@code namespace} (the admin
     * impersonates it, with the groups a service-account token would carry), so RBAC decides what it may do
     * exactly as for the real account. The caller closes it.
     */
    public KubernetesClient clientAs(String namespace, String name) {
        Config config = baseConfig(User.ADMIN);
        config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + name);
        config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                "system:authenticated");
        return newClient(config);
    }

    /** The admin's kubeconfig file, for kubectl and other clients. */
    public Path kubeconfig() {
        return adminKubeconfig;
    }

    /** The binaries this cluster runs, kubectl among them. */
    public ControlPlaneBinaries binaries() {
        return binaries;
    }

    /** Where every component's log is, kept after the cluster stops. */
    public Path logDirectory() {
        return runDirectory.resolve("logs");
    }

    /** How long {@link #start} took until everything was ready. */
    public Duration startTime() {
        return startTime;
    }

    /**
     * Creates a namespace named {@code prefix} plus a random suffix, with {@code labels}, and returns its name
     * once its {@code default} service account exists (pods of the namespace need it to be admitted).
     */
    public String createNamespace(String prefix, Map<String, String> labels) {
        String name = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
        Await.until("the default service account in new namespace " + name,
                () -> admin.serviceAccounts().inNamespace(name).withName("default").get() != null,
                () -> "see " + logDirectory().resolve("kube-controller-manager.log"));
        return name;
    }

    /** Creates a storage class the provisioner stand-in serves (not the default), unless it exists. */
    public void ensureStorageClass(String name) {
        if (admin.storage().v1().storageClasses().withName(name).get() == null) {
            admin.storage().v1().storageClasses().resource(ClaimProvisioner.storageClass(name, false)).create();
        }
    }

    /** Creates service account {@code name} in {@code namespace}. */
    public void createServiceAccount(String namespace, String name) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create();
    }

    /**
     * Applies every object of a manifest file by server-side apply as {@value #FIELD_MANAGER}, as
     * {@code kubectl apply --server-side -n namespace} would, except that objects naming another namespace are
     * moved to {@code namespace} too, and so are the service-account subjects of its role bindings that named
     * the file's namespace: a file written for namespace {@code data} then serves any test namespace.
     * Cluster-scoped objects (custom resource definitions) are applied as they are; pass a null namespace for a
     * file that has only those. Returns once every custom resource definition of the file is established, so
     * its resources can be used at once.
     *
     * @return the applied objects as the server returned them
     */
    public List<HasMetadata> apply(Path manifest, String namespace) {
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(manifest)) {
            objects = admin.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        List<HasMetadata> applied = new ArrayList<>();
        for (HasMetadata object : objects) {
            String original = object.getMetadata().getNamespace();
            if (original != null && namespace != null) {
                object.getMetadata().setNamespace(namespace);
                if (object instanceof RoleBinding binding) {
                    binding.getSubjects().stream()
                            .filter(s -> "ServiceAccount".equals(s.getKind()) && original.equals(s.getNamespace()))
                            .forEach(s -> s.setNamespace(namespace));
                }
            }
            applied.add(admin.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
        }
        for (HasMetadata object : applied) {
            if (object instanceof CustomResourceDefinition definition) {
                awaitEstablished(definition.getMetadata().getName());
            }
        }
        return applied;
    }

    private void awaitEstablished(String definition) {
        Await.until("custom resource definition " + definition + " established", () -> {
            CustomResourceDefinition live = admin.apiextensions().v1().customResourceDefinitions()
                    .withName(definition).get();
            return live.getStatus() != null && live.getStatus().getConditions() != null
                    && live.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
        }, () -> "see " + logDirectory().resolve("kube-apiserver.log"));
    }

    /**
     * Stops the processes that earlier runs in {@code workDir} left behind when their JVM was killed before it
     * could close its cluster, and returns them. Such a process is provably one of ours: its command line names a
     * run folder in {@code workDir}, and that folder's name ends with the pid of the JVM that started it, which
     * is no longer alive. Processes of runs whose JVM lives (another module's tests) are left alone.
     */
    static List<ProcessHandle> stopOrphans(Path workDir) {
        Pattern runOfJvm =
                Pattern.compile(Pattern.quote(workDir.toAbsolutePath() + "/run-") + "\\d{8}-\\d{6}-(\\d+)/");
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(runOfJvm::matcher)
                        .filter(Matcher::find)
                        .map(run -> ProcessHandle.of(Long.parseLong(run.group(1))).filter(ProcessHandle::isAlive))
                        .map(Optional::isEmpty)
                        .orElse(false))
                .toList();
        List<ProcessHandle> trees = orphans.stream()
                .flatMap(orphan -> Stream.concat(orphan.descendants(), Stream.of(orphan)))
                .toList();
        trees.forEach(ProcessHandle::destroyForcibly);
        trees.forEach(ComponentProcess::awaitExit);
        return orphans;
    }

    /** Every process on this machine whose command line names this run's folder, that is, every one it started. */
    public List<ProcessHandle> runningProcesses() {
        // Every component is given a path inside the run folder (data, certificates, kubeconfig).
        String marker = runDirectory.toString() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .sorted(Comparator.comparingLong(ProcessHandle::pid))
                .toList();
    }

    /**
     * Stops every component (last started first, with the processes each started), deletes etcd's data and the
     * credentials, and checks that no process of this run is left. Logs are kept. Idempotent.
     *
     * @throws IllegalStateException if a process survived, naming it
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running; it does the same work.
        }
        stopEverything();
        List<ProcessHandle> left = runningProcesses();
        if (!left.isEmpty()) {
            throw new IllegalStateException("processes of the real cluster still running after close: "
                    + left.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
        }
    }

    private void stopEverything() {
        List<RuntimeException> failures = new ArrayList<>();
        if (provisioner != null) {
            provisioner.close();
        }
        if (admin != null) {
            admin.close();
        }
        List<ComponentProcess> lastFirst = new ArrayList<>(components);
        Collections.reverse(lastFirst);
        for (ComponentProcess component : lastFirst) {
            try {
                component.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            deleteRecursively(runDirectory.resolve("etcd-data"));
            credentials.delete();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("stopping the real cluster failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    @Override
    public String toString() {
        return "real cluster at " + Objects.requireNonNullElse(server, "(not started)") + ", logs in "
                + logDirectory();
    }
}
