package dev.cacheha.alluxio.local;

import dev.cacheha.alluxio.AlluxioProperties;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One member's pod, run from the rendered objects as a kubelet would run it, on this machine. What it does, in
 * the kubelet's order:
 * <ol>
 *   <li>every volume of the pod template becomes a directory under the pod's root (a claim template too); a
 *       ConfigMap volume gets the ConfigMap's items as files;</li>
 *   <li>each init container runs its {@code command} with its environment: literal values with {@code $(VAR)}
 *       expanded, {@code fieldRef: metadata.name} as the pod's name, {@code secretKeyRef} from the Secrets the
 *       caller hands in (as the kubelet reads them from the API); every path in an environment value that lies
 *       under one of the container's mount paths points into that volume's directory, every other absolute path
 *       into the image's file system ({@link #imageRoot()});</li>
 *   <li>the master container starts through a stand-in for the image's entrypoint (below).</li>
 * </ol>
 *
 * <p>The entrypoint stand-in: the {@code alluxio/alluxio} image's entrypoint runs {@code master-only
 * --no-format} as {@code java $ALLUXIO_MASTER_JAVA_OPTS -Dalluxio.home=/opt/alluxio
 * -Dalluxio.conf.dir=/opt/alluxio/conf -Dalluxio.logs.dir=/opt/alluxio/logs alluxio.master.AlluxioMaster}, the
 * options word-split as its shell does. The stand-in does the same with the container's expanded
 * environment, with {@code alluxio.master.AlluxioMaster} replaced by the harness's self-ending master, and adds
 * exactly what one machine needs instead of a pod network: the {@link LoopbackMapping} of the site file the init
 * step assembled (own host and ports to loopback, journal and metastore into their volumes, one shared root
 * mount for all members), the test settings of {@link LocalAlluxioQuorum#LOCAL_SETTINGS} (but the runtime's own
 * election timeouts when its properties set them), a {@code -D} option
 * naming a member's DNS name turned into {@code localhost}, and {@code -XX:+UseSerialGC}. The heap option comes
 * from the rendered environment unchanged.
 *
 * <p>The job master container is not started: the harness runs masters only.
 */
public final class RenderedPod {

    /** The entrypoint arguments of the master container, and the environment variable its JVM options are in. */
    static final List<String> MASTER_ARGS = List.of("master-only", "--no-format");
    static final String MASTER_JAVA_OPTS = "ALLUXIO_MASTER_JAVA_OPTS";
    private static final String IMAGE_HOME = "/opt/alluxio";
    private static final String FILE_SCHEME = "file://";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final String podName;
    private final PodSpec podSpec;
    private final List<String> claimTemplates;
    private final Map<String, Map<String, String>> configMaps;
    private final Map<String, Map<String, String>> secrets;
    private final int ordinal;
    private final LoopbackMapping mapping;
    private final AlluxioClasspath classpath;
    private final Path quorumRoot;
    private final Path podRoot;
    private final Path imageRoot;
    private final Function<String, Path> claimDirectory;
    private final Path sharedUfs;
    private Process master;
    private KubeletProbes probes;
    private long masterStart;

    RenderedPod(HaPlan plan, Map<String, Map<String, String>> secrets, int ordinal, LoopbackMapping mapping,
            AlluxioClasspath classpath, Path quorumRoot, Path sharedUfs) {
        this(statefulSet(plan).getMetadata().getName() + "-" + ordinal, statefulSet(plan).getSpec().getTemplate()
                        .getSpec(), statefulSet(plan).getSpec().getVolumeClaimTemplates().stream()
                        .map(claim -> claim.getMetadata().getName()).toList(),
                Map.of(plan.object(ConfigMap.class).orElseThrow().getMetadata().getName(),
                        plan.object(ConfigMap.class).orElseThrow().getData()),
                secrets, ordinal, mapping, classpath, quorumRoot,
                quorumRoot.resolve("pods").resolve(statefulSet(plan).getMetadata().getName() + "-" + ordinal),
                quorumRoot.resolve("image"), claim -> {
                    throw new IllegalStateException("a rendered quorum's pods mount no claim, not " + claim);
                }, sharedUfs);
    }

    private RenderedPod(String podName, PodSpec podSpec, List<String> claimTemplates,
            Map<String, Map<String, String>> configMaps, Map<String, Map<String, String>> secrets, int ordinal,
            LoopbackMapping mapping, AlluxioClasspath classpath, Path quorumRoot, Path podRoot, Path imageRoot,
            Function<String, Path> claimDirectory, Path sharedUfs) {
        this.podName = podName;
        this.podSpec = podSpec;
        this.claimTemplates = List.copyOf(claimTemplates);
        this.configMaps = Map.copyOf(configMaps);
        this.secrets = secrets;
        this.ordinal = ordinal;
        this.mapping = mapping;
        this.classpath = classpath;
        this.quorumRoot = quorumRoot;
        this.podRoot = podRoot;
        this.imageRoot = imageRoot;
        this.claimDirectory = claimDirectory;
        this.sharedUfs = sharedUfs;
    }

    /**
     * A pod as the API server holds it, run on this machine as a node agent would run it: its volumes under
     * {@code podRoot}, each claim volume in the directory {@code claimDirectory} gives for the claim's name (so it
     * outlives the pod), its container's writable layer (the image's files) under {@code podRoot} too.
     *
     * @param podName the pod's name, which names a member of {@code mapping}: {@code <statefulset>-<ordinal>}
     * @param podSpec the pod's spec as bound to the node
     * @param configMaps the data of every ConfigMap of the pod's namespace a volume may name, by name
     * @param secrets the data of every Secret of the pod's namespace an environment variable may name, by name
     * @param mapping the loopback ports of every member of the pod's StatefulSet
     * @param classpath the Alluxio jars
     * @param markerRoot what every master JVM of the node carries in its command line, to be found by
     * @param podRoot where the pod's own directories go (removed by the caller with the pod)
     * @param claimDirectory the directory of a claim volume, by claim name
     * @param sharedUfs the root under-storage every member mounts
     */
    public static RenderedPod ofPod(String podName, PodSpec podSpec, Map<String, Map<String, String>> configMaps,
            Map<String, Map<String, String>> secrets, LoopbackMapping mapping, AlluxioClasspath classpath,
            Path markerRoot, Path podRoot, Function<String, Path> claimDirectory, Path sharedUfs) {
        int dash = podName.lastIndexOf('-');
        int ordinal = Integer.parseInt(podName.substring(dash + 1));
        return new RenderedPod(podName, podSpec, List.of(), configMaps, secrets, ordinal, mapping, classpath,
                markerRoot, podRoot, podRoot.resolve("image"), claimDirectory, sharedUfs);
    }

    private static StatefulSet statefulSet(HaPlan plan) {
        return plan.object(StatefulSet.class).orElseThrow();
    }

    /** The pod's name: {@code <statefulset>-<ordinal>}. */
    public String podName() {
        return podName;
    }

    /** The rendered master container. */
    public Container masterContainer() {
        return podSpec().getContainers().get(0);
    }

    /** Where the image's own files are: a directory holding {@code /opt/alluxio/conf} with a logging setup. */
    Path imageRoot() {
        return imageRoot;
    }

    /** The local directory of volume {@code name}. */
    public Path volume(String name) {
        return podSpec.getVolumes().stream()
                .filter(volume -> volume.getName().equals(name) && volume.getPersistentVolumeClaim() != null)
                .findFirst()
                .map(volume -> claimDirectory.apply(volume.getPersistentVolumeClaim().getClaimName()))
                .orElseGet(() -> volumesRoot().resolve(name));
    }

    /**
     * The directory of every volume: laid out as {@link MemberDirectories} of the pod ({@code conf} and
     * {@code logs} are the pod's volumes), so a CLI call in this pod reads the conf dir the master reads.
     */
    MemberDirectories directories() {
        return new MemberDirectories(volumesRoot());
    }

    private Path volumesRoot() {
        return podRoot.resolve("volumes");
    }

    /** Creates the volumes, runs the init containers and starts the master container with its probes. */
    public void start() {
        createVolumes();
        for (Container init : podSpec().getInitContainers()) {
            runInit(init);
        }
        mapSiteFileToLoopback();
        startMaster();
    }

    /** Starts the master container again, as the kubelet restarts a container: same volumes, no init. */
    public void restartMaster() {
        startMaster();
    }

    /** The probes of the running master container; replaced when it restarts. */
    public KubeletProbes probes() {
        return probes;
    }

    /** {@link System#nanoTime()} when the master container last started. */
    public long masterStartNanos() {
        return masterStart;
    }

    /** The master's process id, if it runs. */
    public long pid() {
        return master.pid();
    }

    /**
     * SIGTERM to the master container's process, then SIGKILL if it still runs after {@code grace}, as the kubelet
     * stops a container; waits until it is gone.
     */
    public void stop(Duration grace) {
        if (probes != null) {
            probes.close();
        }
        if (master == null) {
            return;
        }
        master.destroy();
        try {
            if (!master.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL of the master container's process; waits until it is gone. */
    public void kill() {
        if (probes != null) {
            probes.close();
        }
        if (master != null) {
            master.descendants().forEach(ProcessHandle::destroyForcibly);
            master.destroyForcibly();
            try {
                master.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the master runs. */
    public boolean isRunning() {
        return master != null && master.isAlive();
    }

    private PodSpec podSpec() {
        return podSpec;
    }

    private void createVolumes() {
        try {
            List<String> names = new ArrayList<>();
            podSpec().getVolumes().forEach(volume -> names.add(volume.getName()));
            names.addAll(claimTemplates);
            for (String name : names) {
                Files.createDirectories(volume(name));
            }
            for (Volume volume : podSpec().getVolumes()) {
                if (volume.getConfigMap() != null) {
                    writeItems(volume.getName(), "ConfigMap", volume.getConfigMap().getName(),
                            configMaps.get(volume.getConfigMap().getName()), volume.getConfigMap().getItems());
                } else if (volume.getSecret() != null) {
                    writeItems(volume.getName(), "Secret", volume.getSecret().getSecretName(),
                            secrets.get(volume.getSecret().getSecretName()), volume.getSecret().getItems());
                }
            }
            Path imageConf = Files.createDirectories(imageRoot().resolve(IMAGE_HOME.substring(1)).resolve("conf"));
            Files.writeString(imageConf.resolve("log4j.properties"),
                    MemberDirectories.log4jToConsole("INFO", "System.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the volumes of " + podName(), e);
        }
    }

    /** The items of a ConfigMap or Secret volume as files; no items means every key, as the kubelet does. */
    private void writeItems(String volume, String kind, String source, Map<String, String> data,
            List<KeyToPath> items) throws IOException {
        if (data == null) {
            throw new IllegalStateException("volume " + volume + " of " + podName() + " names " + kind + " "
                    + source + ", which does not exist: the kubelet would not start the pod");
        }
        Map<String, String> paths = new TreeMap<>();
        if (items.isEmpty()) {
            data.keySet().forEach(key -> paths.put(key, key));
        } else {
            items.forEach(item -> paths.put(item.getKey(), item.getPath()));
        }
        for (Map.Entry<String, String> item : paths.entrySet()) {
            if (!data.containsKey(item.getKey())) {
                throw new IllegalStateException(kind + " " + source + " has no key " + item.getKey()
                        + " for volume " + volume + " of " + podName());
            }
            Files.writeString(volume(volume).resolve(item.getValue()), data.get(item.getKey()), StandardCharsets.UTF_8);
        }
    }

    private void runInit(Container init) {
        ProcessBuilder builder = new ProcessBuilder(init.getCommand().isEmpty() ? init.getArgs() : init.getCommand());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        // Paths are mapped in literal values only: a Secret's value is handed over exactly as it is.
        List<String> literals = init.getEnv().stream().filter(v -> v.getValueFrom() == null).map(EnvVar::getName)
                .toList();
        environment(init).forEach((name, value) -> builder.environment().put(name,
                literals.contains(name) ? localPaths(init, value) : value));
        try {
            Process process = builder.redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(podRoot.resolve(init.getName() + ".log").toFile()))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("init container " + init.getName() + " of " + podName()
                        + " failed: " + Files.readString(podRoot.resolve(init.getName() + ".log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run init container " + init.getName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in init container " + init.getName(), e);
        }
    }

    /** The container's environment as the kubelet builds it, in order, {@code $(VAR)} expanded. */
    Map<String, String> environment(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            String value;
            if (variable.getValueFrom() == null) {
                value = expand(variable.getValue() == null ? "" : variable.getValue(), env);
            } else if (variable.getValueFrom().getFieldRef() != null) {
                if (!variable.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name")) {
                    throw new IllegalArgumentException("the stand-in knows fieldRef metadata.name only: " + variable);
                }
                value = podName();
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                SecretKeySelector ref = variable.getValueFrom().getSecretKeyRef();
                Map<String, String> secret = secrets.get(ref.getName());
                if (secret == null || !secret.containsKey(ref.getKey())) {
                    throw new IllegalStateException("Secret " + ref.getName() + " has no key " + ref.getKey()
                            + ": the kubelet would not start " + container.getName());
                }
                value = secret.get(ref.getKey());
            } else {
                throw new IllegalArgumentException("the stand-in does not know " + variable.getValueFrom());
            }
            env.put(variable.getName(), value);
        }
        return env;
    }

    private static String expand(String value, Map<String, String> defined) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group(1) == null
                    ? "$"
                    : defined.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(out).toString();
    }

    /** A path in the container's file system as a local path: in a mounted volume, or else in the image. */
    Path localPath(Container container, String path) {
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .max(Comparator.comparingInt(m -> m.getMountPath().length()))
                .orElse(null);
        if (mount == null) {
            return imageRoot().resolve(path.substring(1));
        }
        String rest = path.substring(mount.getMountPath().length());
        return rest.isEmpty() ? volume(mount.getName()) : volume(mount.getName()).resolve(rest.substring(1));
    }

    private String localPaths(Container container, String value) {
        return value.startsWith("/") ? localPath(container, value).toString() : value;
    }

    private void mapSiteFileToLoopback() {
        Container container = masterContainer();
        Path site = localPath(container, IMAGE_HOME + "/conf/" + AlluxioProperties.SITE_FILE);
        Properties assembled = new Properties();
        try (Reader reader = Files.newBufferedReader(site, StandardCharsets.ISO_8859_1)) {
            assembled.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the assembled site file " + site, e);
        }
        Map<String, String> properties = new TreeMap<>();
        assembled.stringPropertyNames().forEach(key -> properties.put(key, assembled.getProperty(key)));
        // A value naming a path in a mounted volume (a backup to restore from) names it where the volume is here.
        properties.replaceAll((key, value) -> inVolume(container, value));
        Map<String, String> local = new LinkedHashMap<>(mapping.memberProperties(properties, ordinal,
                localPath(container, AlluxioProperties.JOURNAL_FOLDER).toString()));
        LocalAlluxioQuorum.LOCAL_SETTINGS.forEach((key, value) -> {
            if (!LocalAlluxioQuorum.ElectionTimeouts.KEYS.contains(key) || !properties.containsKey(key)) {
                local.put(key, value);
            }
        });
        local.put("alluxio.master.metastore.dir", localPath(container, IMAGE_HOME + "/metastore").toString());
        local.put("alluxio.master.mount.table.root.ufs", sharedUfs.toString());
        try {
            Files.writeString(site, HaPlan.propertiesFile(local), StandardCharsets.ISO_8859_1);
            // A CLI call in this pod logs warnings to stderr and keeps stdout for its answer.
            Files.writeString(directories().log4j("cli"), MemberDirectories.log4jToConsole("WARN", "System.err"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + site, e);
        }
    }

    private void startMaster() {
        Container container = masterContainer();
        if (!container.getArgs().equals(MASTER_ARGS)) {
            throw new IllegalStateException("the entrypoint stand-in runs " + MASTER_ARGS + ", not "
                    + container.getArgs());
        }
        Map<String, String> env = environment(container);
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-XX:+UseSerialGC");
        for (String option : env.getOrDefault(MASTER_JAVA_OPTS, "").trim().split("\\s+")) {
            argv.add(toLoopback(option));
        }
        argv.add("-Djava.io.tmpdir=" + localPath(container, "/tmp"));
        argv.add("-D" + AlluxioJvm.MARKER + "=" + quorumRoot);
        argv.add("-Dalluxio.home=" + localPath(container, IMAGE_HOME));
        argv.add("-Dalluxio.conf.dir=" + localPath(container, IMAGE_HOME + "/conf"));
        argv.add("-Dalluxio.logs.dir=" + localPath(container, IMAGE_HOME + "/logs"));
        argv.add("-Dlog4j.configuration=" + localPath(container, IMAGE_HOME + "/conf/log4j.properties").toUri());
        argv.add(MasterJvm.MAIN_CLASS);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(masterLog().toFile()));
        builder.environment().put("CLASSPATH", classpath.joined());
        try {
            masterStart = System.nanoTime();
            master = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the master of " + podName(), e);
        }
        probes = new KubeletProbes(container, masterStart, planPort -> mapping.localPort(ordinal, planPort));
    }

    /**
     * Runs {@code argv} in container {@code container} of this pod, {@code member} being the pod as the
     * controller names it: a CLI call reads the pod's configuration directory, as in the pod (see
     * {@link LocalCli} for what runs). Paths in mounted volumes, in the arguments and in the output, are the
     * container's: mapped to the volumes' directories on the way in and back on the way out.
     */
    public CompletableFuture<PodExec.Result> exec(Member member, String container, List<String> argv,
            Duration deadline) {
        if (!member.podName().equals(podName) || member.ordinal() != ordinal) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(member + " is not pod " + podName));
        }
        Container master = masterContainer();
        List<String> local = argv.stream().map(argument -> inVolume(master, argument)).toList();
        return new LocalCli(List.of(member), classpath, quorumRoot, any -> directories(), mapping)
                .exec(member, container, local, deadline)
                .thenApply(result -> new PodExec.Result(result.exitCode(), containerPaths(master, result.stdout()),
                        containerPaths(master, result.stderr())));
    }

    /**
     * {@code value} with a path in a volume mounted in {@code container}, plain or as a {@code file://} URI, as
     * the volume's local directory; any other value as it is.
     */
    private String inVolume(Container container, String value) {
        String scheme = value.startsWith(FILE_SCHEME) ? FILE_SCHEME : "";
        String path = value.substring(scheme.length());
        return path.startsWith("/") && mounted(container, path) ? scheme + localPath(container, path) : value;
    }

    /** Whether {@code path} lies in a volume mounted in {@code container}. */
    private static boolean mounted(Container container, String path) {
        return container.getVolumeMounts().stream()
                .anyMatch(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"));
    }

    /** {@code text} with the local directory of every volume mounted in {@code container} as its mount path. */
    private String containerPaths(Container container, String text) {
        String mapped = text;
        List<VolumeMount> longestFirst = container.getVolumeMounts().stream()
                .sorted(Comparator.comparingInt((VolumeMount m) -> volume(m.getName()).toString().length())
                        .reversed())
                .toList();
        for (VolumeMount mount : longestFirst) {
            mapped = mapped.replace(volume(mount.getName()).toString(), mount.getMountPath());
        }
        return mapped;
    }

    /**
     * Creates {@code count} empty files {@code <directory>/file-<i>} through Alluxio's own client configured as
     * this pod is (its site file names every member), as an application beside the pod would.
     *
     * @throws IllegalStateException if the batch fails or does not finish within {@code deadline}
     */
    public void createFiles(String directory, int count, Duration deadline) {
        FileBatch.create(classpath, quorumRoot, directories(), directory, count, deadline);
    }

    /** The master container's output, across restarts. */
    public Path masterLog() {
        return podRoot.resolve("master.log");
    }

    /** {@code -D<key>=<a member's DNS name>} becomes {@code -D<key>=localhost}; other options stay. */
    private String toLoopback(String option) {
        int equals = option.indexOf('=');
        if (!option.startsWith("-D") || equals < 0) {
            return option;
        }
        String value = option.substring(equals + 1);
        boolean memberHost = mapping.memberHosts().stream().anyMatch(value::equals);
        return memberHost ? option.substring(0, equals + 1) + LoopbackMapping.LOOPBACK_HOST : option;
    }
}
