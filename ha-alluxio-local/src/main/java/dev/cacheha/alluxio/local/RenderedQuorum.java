package dev.cacheha.alluxio.local;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.PodExec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real Alluxio masters started from the rendered objects of the provider's plan, one {@link RenderedPod} per
 * member, each with the rendered probes running against it ({@link KubeletProbes}). Where
 * {@link LocalAlluxioQuorum} starts masters from the plan's properties, this starts them the way a kubelet
 * would start the pods: volumes, init step, environment, entrypoint. Nothing outlives {@link #close()}.
 */
public final class RenderedQuorum implements AutoCloseable {

    private final HaSpec spec;
    private final HaPlan plan;
    private final Path root;
    private final LoopbackMapping mapping;
    private final List<RenderedPod> pods = new ArrayList<>();
    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final LoopbackProbe probe;
    private final PodExec cli;

    private RenderedQuorum(HaSpec spec, Map<String, Map<String, String>> secrets, AlluxioClasspath classpath,
            Path root) throws IOException {
        this.spec = spec;
        this.plan = provider.plan(spec);
        this.root = root;
        this.mapping = LoopbackMapping.withFreePorts(spec);
        Path ufs = Files.createDirectories(root.resolve("ufs"));
        for (int ordinal = 0; ordinal < spec.replicas(); ordinal++) {
            pods.add(new RenderedPod(plan, secrets, ordinal, mapping, classpath, root, ufs));
        }
        this.probe = new LoopbackProbe(plan.members(), mapping);
        this.cli = new LocalCli(plan.members(), classpath, root, ordinal -> pods.get(ordinal).directories(), mapping);
    }

    /**
     * Starts every member's pod from {@code spec}'s plan and returns at once.
     *
     * @param secrets the Secrets of the runtime's namespace, by name, each its data by key
     */
    public static RenderedQuorum start(HaSpec spec, Map<String, Map<String, String>> secrets,
            AlluxioClasspath classpath) {
        Path root;
        try {
            root = Files.createTempDirectory("cache-ha-rendered-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        RenderedQuorum quorum = null;
        try {
            quorum = new RenderedQuorum(spec, secrets, classpath, root);
            quorum.pods.forEach(RenderedPod::start);
            return quorum;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException runtime ? runtime : new UncheckedIOException(
                    (IOException) e);
            if (quorum != null) {
                quorum.close();
            } else {
                deleteQuietly(root);
            }
            throw failure;
        }
    }

    /** The plan the pods were rendered from. */
    public HaPlan plan() {
        return plan;
    }

    /** The directory every member mounts as its root under-storage, as pods would share one object store. */
    public Path underStorage() {
        return root.resolve("ufs");
    }

    /** Member {@code ordinal}'s pod. */
    public RenderedPod pod(int ordinal) {
        return pods.get(ordinal);
    }

    /** How many Ready pods there are now, by their readiness probes. */
    public int readyPods() {
        return (int) pods.stream().filter(pod -> pod.isRunning() && pod.probes().isReady()).count();
    }

    /** The provider's discovery over HTTP to the members, as a controller would ask. */
    public LeaderStatus discover() {
        return provider.leaderDiscovery(spec, new ClusterAccess(probe, PodExec.unavailable(),
                ClusterAccess.DEFAULT_DEADLINE)).discover();
    }

    /** {@code alluxio fs ...} and {@code alluxio fsadmin ...} in a member's master container. */
    public PodExec exec() {
        return cli;
    }

    /** The local web port of member {@code ordinal}. */
    public int localWebPort(int ordinal) {
        return mapping.localPorts(ordinal).web();
    }

    /** The local rpc port of member {@code ordinal}. */
    public int localRpcPort(int ordinal) {
        return mapping.localPorts(ordinal).rpc();
    }

    /** Sends {@code signal} ({@code -STOP}, {@code -CONT}) to member {@code ordinal}'s master. */
    public void signal(int ordinal, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pods.get(ordinal).pid()))
                    .redirectErrorStream(true).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills every master and deletes every file. */
    @Override
    public void close() {
        for (RenderedPod pod : pods) {
            if (pod.isRunning()) {
                // A frozen master cannot die until it runs again.
                signal(pods.indexOf(pod), "-CONT");
            }
            pod.kill();
        }
        LocalAlluxioQuorum.runningProcesses().stream()
                .filter(process -> process.info().commandLine().orElse("").contains(AlluxioJvm.MARKER + "=" + root))
                .forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a temporary directory left behind is harmless, a failed close must not hide a failure.
        }
    }
}
