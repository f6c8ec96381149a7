package dev.cacheha.alluxio.local;

import dev.cacheha.alluxio.AlluxioProperties;
import dev.cacheha.spi.HaPlan;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
 * mount for all members), the test settings of {@link LocalAlluxioQuorum#LOCAL_SETTINGS}, a {@code -D} option
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
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final StatefulSet statefulSet;
    private final ConfigMap configMap;
    private final Map<String, Map<String, String>> secrets;
    private final int ordinal;
    private final LoopbackMapping mapping;
    private final AlluxioClasspath classpath;
    private final Path quorumRoot;
    private final Path podRoot;
    private final Path sharedUfs;
    private Process master;
    private KubeletProbes probes;
    private long masterStart;

    RenderedPod(HaPlan plan, Map<String, Map<String, String>> secrets, int ordinal, LoopbackMapping mapping,
            AlluxioClasspath classpath, Path quorumRoot, Path sharedUfs) {
        this.statefulSet = plan.object(StatefulSet.class).orElseThrow();
        this.configMap = plan.object(ConfigMap.class).orElseThrow();
        this.secrets = secrets;
        this.ordinal = ordinal;
        this.mapping = mapping;
        this.classpath = classpath;
        this.quorumRoot = quorumRoot;
        this.podRoot = quorumRoot.resolve("pods").resolve(podName());
        this.sharedUfs = sharedUfs;
    }

    /** The pod's name: {@code <statefulset>-<ordinal>}. */
    public String podName() {
        return statefulSet.getMetadata().getName() + "-" + ordinal;
    }

    /** The rendered master container. */
    public Container masterContainer() {
        return podSpec().getContainers().get(0);
    }

    /** Where the image's own files are: a directory holding {@code /opt/alluxio/conf} with a logging setup. */
    Path imageRoot() {
        return quorumRoot.resolve("image");
    }

    /** The local directory of volume {@code name}. */
    public Path volume(String name) {
        return volumesRoot().resolve(name);
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
    void start() {
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
        return statefulSet.getSpec().getTemplate().getSpec();
    }

    private void createVolumes() {
        try {
            List<String> names = new ArrayList<>();
            podSpec().getVolumes().forEach(volume -> names.add(volume.getName()));
            statefulSet.getSpec().getVolumeClaimTemplates().forEach(claim -> names.add(claim.getMetadata().getName()));
            for (String name : names) {
                Files.createDirectories(volume(name));
            }
            for (Volume volume : podSpec().getVolumes()) {
                if (volume.getConfigMap() != null) {
                    if (!volume.getConfigMap().getName().equals(configMap.getMetadata().getName())) {
                        throw new IllegalStateException("volume " + volume.getName() + " names ConfigMap "
                                + volume.getConfigMap().getName() + ", which the plan does not have");
                    }
                    for (KeyToPath item : volume.getConfigMap().getItems()) {
                        Files.writeString(volume(volume.getName()).resolve(item.getPath()),
                                configMap.getData().get(item.getKey()), StandardCharsets.UTF_8);
                    }
                }
            }
            Path imageConf = Files.createDirectories(imageRoot().resolve(IMAGE_HOME.substring(1)).resolve("conf"));
            Files.writeString(imageConf.resolve("log4j.properties"),
                    MemberDirectories.log4jToConsole("INFO", "System.out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the volumes of " + podName(), e);
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
        Map<String, String> local = new LinkedHashMap<>(mapping.memberProperties(properties, ordinal,
                localPath(container, AlluxioProperties.JOURNAL_FOLDER).toString()));
        local.putAll(LocalAlluxioQuorum.LOCAL_SETTINGS);
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
