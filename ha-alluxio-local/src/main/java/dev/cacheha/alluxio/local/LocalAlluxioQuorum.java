package dev.cacheha.alluxio.local;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real Alluxio masters on this machine, configured from the Alluxio provider's plan: each member is a
 * separate JVM on {@code localhost} with its own free ports ({@link LoopbackMapping} is the only difference
 * from the plan), its own directories under a temporary root, and the test settings of a small machine
 * (election timeouts of 750 ms to 1.5 s, a 256 MB heap, no update check, raft bound to 127.0.0.1).
 *
 * <p>No Alluxio class is loaded in the calling JVM: the masters and every CLI call run with the jars of an
 * {@link AlluxioClasspath}. {@link #probe()} and {@link #exec()} reach the members the way a controller
 * reaches pods, so the provider's leader discovery runs against this quorum unchanged.
 *
 * <p>Nothing outlives the quorum: {@link #close()} kills every master and deletes the root; a JVM shutdown
 * hook does the same if the caller never gets to close it; and each master exits by itself 20 minutes after it
 * started, should the calling JVM be killed outright. That limit holds in every case: a quorum is for tests
 * and demos of a few minutes, and a member (re)started more than 20 minutes ago is gone. Every JVM carries the
 * system property {@value AlluxioJvm#MARKER} on its command line, so leftovers can be found with
 * {@link #runningProcesses()}.
 *
 * <p>Methods are not meant to be called concurrently, except {@link #probe()} and {@link #exec()}, whose
 * results are thread-safe.
 */
public final class LocalAlluxioQuorum implements AutoCloseable {

    /** The settings a small shared test machine needs on top of the plan, as a pod's environment would add. */
    static final Map<String, String> LOCAL_SETTINGS = Map.of(
            "alluxio.master.hostname", LoopbackMapping.LOOPBACK_HOST,
            "alluxio.master.bind.host", LoopbackMapping.LOOPBACK_HOST,
            "alluxio.master.web.bind.host", LoopbackMapping.LOOPBACK_HOST,
            // Otherwise it asks a cloud metadata address on startup.
            "alluxio.master.update.check.enabled", "false",
            // Otherwise Ratis binds every interface.
            "alluxio.master.embedded.journal.ratis.config.raft.grpc.server.host", "127.0.0.1",
            // The defaults, 10 s to 20 s, make a failover take 12 s to 25 s.
            ElectionTimeouts.MIN, "750ms",
            ElectionTimeouts.MAX, "1500ms");

    /**
     * The election timeouts' keys. A rendered pod whose runtime sets them keeps the runtime's values: they also
     * bound how long a new member has to catch up when it joins (Ratis gives it 3 x the maximum), which the
     * harness's short ones leave at 4.5 s (docs/reliability.md, section 12).
     */
    static final class ElectionTimeouts {
        static final String MIN = "alluxio.master.embedded.journal.election.timeout.min";
        static final String MAX = "alluxio.master.embedded.journal.election.timeout.max";
        static final Set<String> KEYS = Set.of(MIN, MAX);

        private ElectionTimeouts() {}
    }

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 15;

    private final HaSpec spec;
    private final HaPlan plan;
    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();
    private final Path root;
    private final AlluxioClasspath classpath;
    private final LoopbackMapping mapping;
    private final List<MemberDirectories> dirs = new ArrayList<>();
    private final List<MasterJvm> masters = new ArrayList<>();
    private final MemberProbe probe;
    private final PodExec exec;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalAlluxioQuorum(HaSpec spec, HaPlan plan, AlluxioClasspath classpath, Path root) throws IOException {
        this.spec = spec;
        this.plan = plan;
        this.root = root;
        this.classpath = classpath;
        this.mapping = LoopbackMapping.withFreePorts(spec);
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("ufs"));
        for (Member member : plan.members()) {
            MemberDirectories memberDirs = MemberDirectories.create(root, member.ordinal());
            dirs.add(memberDirs);
            configure(member.ordinal(), plan);
            masters.add(new MasterJvm(member.ordinal(), classpath, root, memberDirs));
        }
        this.probe = new LoopbackProbe(plan.members(), mapping);
        this.exec = new LocalCli(plan.members(), classpath, root, dirs::get, mapping);
        this.shutdownHook = new Thread(this::killAllAndDelete, "kill local Alluxio masters");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts one master JVM per member of {@code spec}'s plan and returns at once; use
     * {@link #awaitLeader(Duration)} to wait for the election.
     *
     * @throws dev.cacheha.spi.SpecValidationException if the provider refuses the spec
     * @throws IllegalStateException if the plan names an address the loopback mapping cannot run
     */
    public static LocalAlluxioQuorum start(HaSpec spec, AlluxioClasspath classpath) {
        return create(spec, classpath, true);
    }

    /**
     * Prepares one master per member of {@code spec}'s plan and starts none: a test that grows or shrinks the
     * quorum starts members with {@link #restart(int)} after giving them a smaller plan's properties with
     * {@link #configure(int, HaPlan)}.
     *
     * @throws dev.cacheha.spi.SpecValidationException if the provider refuses the spec
     */
    public static LocalAlluxioQuorum prepare(HaSpec spec, AlluxioClasspath classpath) {
        return create(spec, classpath, false);
    }

    private static LocalAlluxioQuorum create(HaSpec spec, AlluxioClasspath classpath, boolean startAll) {
        HaPlan plan = new AlluxioHighAvailabilityProvider().plan(spec);
        Path root;
        try {
            root = Files.createTempDirectory("cache-ha-alluxio-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for a local Alluxio quorum", e);
        }
        LocalAlluxioQuorum quorum = null;
        try {
            quorum = new LocalAlluxioQuorum(spec, plan, classpath, root);
            if (startAll) {
                quorum.masters.forEach(MasterJvm::start);
            }
            return quorum;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof RuntimeException runtime
                    ? runtime
                    : new UncheckedIOException("cannot prepare a local Alluxio quorum", (IOException) e);
            try {
                if (quorum != null) {
                    quorum.close();
                } else {
                    deleteRecursively(root);
                }
            } catch (IOException | RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    /** The spec the quorum was started from. */
    public HaSpec spec() {
        return spec;
    }

    /** The provider's plan the masters run, before {@link LoopbackMapping} put them on loopback. */
    public HaPlan plan() {
        return plan;
    }

    /** How the plan's addresses map to this machine's. */
    public LoopbackMapping mapping() {
        return mapping;
    }

    /** The temporary directory that holds every member's files; gone after {@link #close()}. */
    public Path root() {
        return root;
    }

    /** Member {@code ordinal} of the plan. */
    public Member member(int ordinal) {
        return plan.members().get(ordinal);
    }

    /** HTTP to the members as a controller would send it: plan host and port in, plan addresses out. */
    public MemberProbe probe() {
        return probe;
    }

    /** {@code alluxio fs ...} and {@code alluxio fsadmin ...} in a member's container, as a pod exec would. */
    public PodExec exec() {
        return exec;
    }

    /** {@link #probe()} and {@link #exec()} with {@code deadline} for each call. */
    public ClusterAccess access(Duration deadline) {
        return new ClusterAccess(probe, exec, deadline);
    }

    /** The provider's own leader discovery, reaching this quorum through {@link #access(Duration)}. */
    public LeaderStatus discover(Duration deadline) {
        return provider.leaderDiscovery(spec, access(deadline)).discover();
    }

    /**
     * Runs {@code alluxio <args>} in member {@code ordinal}'s container and waits for it.
     *
     * @throws IllegalStateException if it could not run or did not finish within {@code deadline}
     */
    public PodExec.Result alluxio(int ordinal, Duration deadline, String... args) {
        List<String> argv = Stream.concat(Stream.of("alluxio"), Stream.of(args)).toList();
        try {
            return exec.exec(member(ordinal), AlluxioNames.CONTAINER, argv, deadline).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(argv + " failed on " + member(ordinal).podName(), e.getCause());
        }
    }

    /** Waits until the provider's discovery names a leader; see {@link #await(Predicate, String, Duration)}. */
    public LeaderStatus awaitLeader(Duration timeout) {
        return await(status -> status.leader().isPresent(), "a leader", timeout);
    }

    /**
     * Asks the provider's discovery, over HTTP only with 2 s per probe, until {@code condition} holds, at most
     * {@code timeout}. HTTP only: while masters start, every member refuses, and the discovery's CLI fallback
     * would start a JVM per member on every round and slow the start it waits for.
     *
     * @param what the condition in words, for the error
     * @return the first status that met the condition
     * @throws IllegalStateException on timeout, with the last status and the tail of every master's log
     */
    public LeaderStatus await(Predicate<LeaderStatus> condition, String what, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        LeaderStatus last;
        do {
            last = provider.leaderDiscovery(spec, new ClusterAccess(probe, PodExec.unavailable(),
                    ClusterAccess.DEFAULT_DEADLINE)).discover();
            if (condition.test(last)) {
                return last;
            }
            LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        } while (System.nanoTime() < end);
        throw new IllegalStateException("no " + what + " within " + timeout + "; last status: " + last
                + "\n" + logTails());
    }

    /** Kills member {@code ordinal} with SIGKILL and waits until the process is gone. */
    public void kill(int ordinal) {
        masters.get(ordinal).kill();
    }

    /**
     * Starts member {@code ordinal} again with its journal and metastore as it left them, or for the first time
     * after {@link #prepare}.
     */
    public void restart(int ordinal) {
        masters.get(ordinal).start();
    }

    /** Freezes member {@code ordinal} (SIGSTOP): its ports accept connections and never answer. */
    public void suspend(int ordinal) {
        masters.get(ordinal).suspend();
    }

    /** Thaws member {@code ordinal} (SIGCONT). */
    public void resume(int ordinal) {
        masters.get(ordinal).resume();
    }

    /** Whether member {@code ordinal}'s JVM runs. */
    public boolean isRunning(int ordinal) {
        return masters.get(ordinal).isAlive();
    }

    /** The file with member {@code ordinal}'s master output, across restarts. */
    public Path masterLog(int ordinal) {
        return dirs.get(ordinal).masterLog();
    }

    /**
     * Member {@code ordinal}'s {@code alluxio-site.properties}: the plan's properties after
     * {@link LoopbackMapping}.
     */
    public Path siteProperties(int ordinal) {
        return dirs.get(ordinal).siteProperties();
    }

    /** Member {@code ordinal}'s journal directory, as its journal volume would be mounted in its pod. */
    public Path journal(int ordinal) {
        return dirs.get(ordinal).journal();
    }

    /**
     * Deletes member {@code ordinal}'s journal and metastore, as deleting its journal claim and pod would: it
     * starts freshly formatted next time.
     *
     * @throws IllegalStateException if the member runs: a running member's journal is never deleted
     */
    public void wipeJournal(int ordinal) {
        if (isRunning(ordinal)) {
            throw new IllegalStateException("member " + ordinal + " is running: a journal is deleted only once its"
                    + " member is stopped");
        }
        MemberDirectories member = dirs.get(ordinal);
        try {
            for (Path dir : List.of(member.journal(), member.metastore())) {
                deleteRecursively(dir);
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the journal of member " + ordinal, e);
        }
    }

    /**
     * Writes {@code plan}'s properties, mapped to this machine, as member {@code ordinal}'s
     * {@code alluxio-site.properties}, as a pod would see its runtime's ConfigMap change; the member reads them
     * when it next starts. {@code plan} is this runtime's plan for this size or a smaller one, whose members are
     * a prefix of this quorum's.
     *
     * @throws IllegalStateException if {@code plan} names an address the loopback mapping does not know
     */
    public void configure(int ordinal, HaPlan plan) {
        MemberDirectories memberDirs = dirs.get(ordinal);
        Map<String, String> site = new HashMap<>(
                mapping.memberProperties(plan, ordinal, memberDirs.journal().toString()));
        site.putAll(LOCAL_SETTINGS);
        site.put("alluxio.master.metastore.dir", memberDirs.metastore().toString());
        // Every master must see the same root mount, as pods would see one shared under-storage.
        site.put("alluxio.master.mount.table.root.ufs", root.resolve("ufs").toString());
        memberDirs.writeConfiguration(site);
    }

    /**
     * Sets {@code set} and removes {@code removed} in every member's {@code alluxio-site.properties}, as applying
     * a changed ConfigMap would; members read it when they next start. Values are written as given: no address
     * or port is mapped to loopback.
     */
    public void changeProperties(Map<String, String> set, Set<String> removed) {
        for (MemberDirectories member : dirs) {
            Properties site = new Properties();
            try {
                try (InputStream in = Files.newInputStream(member.siteProperties())) {
                    site.load(in);
                }
                site.putAll(set);
                removed.forEach(site::remove);
                try (OutputStream out = Files.newOutputStream(member.siteProperties())) {
                    site.store(out, "the plan's properties, mapped to loopback by LoopbackMapping, then changed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot change " + member.siteProperties(), e);
            }
        }
    }

    /**
     * Creates {@code count} empty files {@code <directory>/file-<i>} through Alluxio's own client in one JVM
     * configured as member {@code ordinal} (see {@link FileBatch}). Files that already exist count as created, so
     * a failed call can be repeated.
     *
     * @throws IllegalStateException if the batch fails or does not finish within {@code deadline}
     */
    public void createFiles(int ordinal, String directory, int count, Duration deadline) {
        FileBatch.create(classpath, root, dirs.get(ordinal), directory, count, deadline);
    }

    /** Every process on this machine started by any {@code LocalAlluxioQuorum}, found by its command line. */
    public static List<ProcessHandle> runningProcesses() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine()
                        .map(line -> line.contains("-D" + AlluxioJvm.MARKER + "="))
                        .orElse(false))
                .toList();
    }

    /** Kills every master and deletes the root. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it does the same work.
        }
        killAllAndDelete();
    }

    private void killAllAndDelete() {
        List<RuntimeException> failures = new ArrayList<>();
        for (MasterJvm master : masters) {
            try {
                master.kill();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        // CLI calls that overran their deadline were killed; any other stray child of ours goes too.
        runningProcesses().stream()
                .filter(process -> process.info().commandLine().orElse("").contains(AlluxioJvm.MARKER + "=" + root))
                .forEach(this::killAndWait);
        try {
            deleteRecursively(root);
        } catch (IOException e) {
            failures.add(new UncheckedIOException("cannot delete " + root, e));
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("closing the local quorum at " + root
                    + " failed " + failures.size() + " time(s)");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private void killAndWait(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("process " + process.pid() + " did not die", e);
        }
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        for (int ordinal = 0; ordinal < dirs.size(); ordinal++) {
            tails.append("--- tail of ").append(masterLog(ordinal)).append(" (running: ")
                    .append(isRunning(ordinal)).append(")\n");
            try (Stream<String> lines = Files.lines(masterLog(ordinal))) {
                List<String> all = lines.collect(Collectors.toList());
                all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size())
                        .forEach(line -> tails.append(line).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                tails.append("(unreadable: ").append(e.getMessage()).append(")\n");
            }
        }
        return tails.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException error) throws IOException {
                if (error != null) {
                    throw error;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
