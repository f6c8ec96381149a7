package dev.cacheha.examples.demo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.ControlPlaneBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * {@code ./cache-ha demo kubernetes} on the real control plane with real Alluxio masters: the whole story told to
 * its end, and a run interrupted as Ctrl-C interrupts it, each checked for what it printed and for every process
 * it started (every descendant seen while it ran) being gone afterwards.
 */
@DisabledIfSystemProperty(named = "cacheha.realCluster.skip", matches = "true",
        disabledReason = "real-cluster tests skipped by -Dcacheha.realCluster.skip=true")
class KubernetesDemoOnRealClusterTest {

    private static final Duration PROCESS_EXIT_BUDGET = Duration.ofSeconds(30);
    /** A row of the pods table of a master that runs and is Ready (the node runs 1 of a pod's 2 containers). */
    private static final Pattern RUNNING_MASTER = Pattern.compile("(?m)^demo-master-\\d\\s+1/2\\s");

    @Test
    void theDemoTellsTheWholeStoryInKubectlTablesAndLeavesNothingRunning() throws Exception {
        // Given the control plane's binaries and the controller's manifests (Maven names both)
        StringWriter text = new StringWriter();
        long start = System.nanoTime();
        String loadBefore = loadAverage();

        // When the demo runs to its end, every process below this JVM watched while it runs
        int status;
        Set<ProcessHandle> started;
        try (DescendantProcesses descendants = DescendantProcesses.of(ProcessHandle.current())) {
            status = KubernetesDemo.run(new PrintWriter(text, true));
            started = descendants.seen();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String output = text.toString();
        System.out.println(output);
        System.out.println("demo kubernetes: " + took.toSeconds() + " s wall time; load average before "
                + loadBefore + ", after " + loadAverage());

        // Then it told every step and ended well
        assertThat(status).as("exit status; output:%n%s", output).isEqualTo(KubernetesDemo.DONE);
        assertThat(output)
                .contains("$ kubectl get nodes", "local-0")
                .contains("$ kubectl apply --server-side -f demo.yaml")
                .containsPattern("NAME\\s+AGE\\s+ENGINE\\s+PHASE\\s+LEADER\\s+HEALTH\\s+REPLICAS")
                .containsPattern("demo\\s+\\S+\\s+alluxio\\s+\\S+\\s+demo-master-\\d\\s+HEALTHY\\s+3")
                .containsPattern("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+ROLE")
                .containsPattern("demo-master-\\d\\s+1/2\\s+\\S+\\s+\\d+\\s+\\S+\\s+leader")
                .containsPattern("TYPE\\s+STATUS\\s+REASON\\s+MESSAGE")
                .containsPattern("(?m)^Ready\\s+True\\s")
                .containsPattern("nightly\\s+\\S+\\s+demo\\s+file:///backups/\\S+\\s+Succeeded")
                .containsPattern("Quorum leader\\s*:\\s*demo-master-\\d")
                .contains("new leader demo-master-", "the files are back")
                // The member leading when the last turn came went last, or the one left when the leadership moved
                // during the roll (restarting followers can move it; the controller then has one member left)
                .containsPattern("restarted one at a time: demo-master-\\d, demo-master-\\d, demo-master-\\d \\("
                        + "(demo-master-\\d led when its turn came, so it went last"
                        + "|demo-master-\\d went last, while demo-master-\\d led)\\)")
                .containsPattern("(?m)^\\s*1000\\s+\\d+\\s+\\d+\\s*$")
                .contains("$ kubectl delete cacheruntime demo")
                .contains("nothing is left running");
        // and no process it started outlived it: not a master, not a CLI call, not a control-plane process
        assertThat(started).as("processes started by the demo").isNotEmpty();
        assertThat(stillAlive(started)).as("processes the demo started that still run").isEmpty();
    }

    @Test
    void anInterruptedDemoLeavesNoMasterAndNoControlPlaneProcessRunning() throws Exception {
        // Given a build whose processes can get SIGINT at all, and the demo in a JVM of its own, as ./cache-ha
        // runs it, with masters running
        assertThat(ignoresSigint()).as("SIGINT is ignored by this build's processes (as by a job that a"
                + " non-interactive shell started with &), so no JVM below it installs a handler and Ctrl-C cannot"
                + " be shown: run the build in the foreground").isFalse();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path"))));
        for (String property : List.of(ControlPlaneBinaries.DIRECTORY_PROPERTY, KubernetesDemo.DEPLOY_DIR_PROPERTY,
                KubernetesDemo.WORK_DIR_PROPERTY)) {
            command.add("-D" + property + "=" + System.getProperty(property));
        }
        command.add(KubernetesDemo.class.getName());
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> copyLines(demo, output), "demo-output");
        reader.start();
        Set<ProcessHandle> started;
        try (DescendantProcesses descendants = DescendantProcesses.of(demo.toHandle())) {
            try {
                Await.until("the demo shows a running master", Duration.ofMinutes(4),
                        () -> RUNNING_MASTER.matcher(output).find() || !demo.isAlive(), () -> "output:\n" + output);
                assertThat(demo.isAlive()).as("the demo still runs; output:%n%s", output).isTrue();

                // When it gets SIGINT, as from Ctrl-C
                new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).inheritIO().start().waitFor();
                assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("the demo ended; output:%n%s", output).isTrue();
            } finally {
                started = descendants.seen();
                if (demo.isAlive()) {
                    // It did not end, so the test fails; what it started must not outlive the test either.
                    demo.destroyForcibly();
                    started.forEach(ProcessHandle::destroyForcibly);
                }
            }
        }
        reader.join(10_000);
        System.out.println(output);

        // Then it said so, and every process it started is gone
        assertThat(demo.exitValue()).as("exit status after SIGINT").isEqualTo(130);
        assertThat(output.toString()).contains("interrupted: the node stops every master");
        assertThat(started).as("processes the demo started").isNotEmpty();
        assertThat(stillAlive(started)).as("processes the interrupted demo started that still run").isEmpty();
        assertThat(processesNaming(runFolderOf(demo.pid()))).as("processes naming the demo's cluster run folder")
                .isEmpty();
    }

    /** The processes of {@code started} still alive once each had {@link #PROCESS_EXIT_BUDGET} to exit. */
    private static List<String> stillAlive(Set<ProcessHandle> started) {
        started.forEach(process -> process.onExit().orTimeout(PROCESS_EXIT_BUDGET.toSeconds(), TimeUnit.SECONDS)
                .exceptionally(e -> null).join());
        return started.stream().filter(ProcessHandle::isAlive)
                .map(process -> process.pid() + " " + process.info().commandLine().orElse("?")).sorted().toList();
    }

    /** What names a cluster run of the JVM {@code pid} in its command line: {@code <workDir>/run-<time>-<pid>/}. */
    private static Pattern runFolderOf(long pid) {
        return Pattern.compile(Pattern.quote(Path.of(System.getProperty(KubernetesDemo.WORK_DIR_PROPERTY))
                .toAbsolutePath() + "/run-") + "\\d{8}-\\d{6}-" + pid + "/");
    }

    private static List<String> processesNaming(Pattern pattern) {
        return ProcessHandle.allProcesses()
                .map(process -> process.pid() + " " + process.info().commandLine().orElse(""))
                .filter(line -> pattern.matcher(line).find())
                .toList();
    }

    private static void copyLines(Process process, StringBuffer into) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                into.append(line).append('\n');
            }
        } catch (IOException ended) {
            into.append("(output ended: ").append(ended).append(")\n");
        }
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /** Every descendant of a process seen while it runs, sampled every 200 ms until closed. */
    /**
     * Whether this process ignores SIGINT ({@code SigIgn} of {@code /proc/self/status}); its children inherit that,
     * and a JVM started so installs no SIGINT handler.
     */
    private static boolean ignoresSigint() throws IOException {
        long sigint = 1L << (2 - 1);
        return Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("SigIgn:"))
                .anyMatch(line -> (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & sigint) != 0);
    }

    private static final class DescendantProcesses implements AutoCloseable {

        private final ProcessHandle root;
        private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
        private final Thread sampler;
        private volatile boolean closed;

        private DescendantProcesses(ProcessHandle root) {
            this.root = root;
            this.sampler = new Thread(this::sample, "descendants");
            sampler.setDaemon(true);
        }

        static DescendantProcesses of(ProcessHandle root) {
            DescendantProcesses descendants = new DescendantProcesses(root);
            descendants.sampler.start();
            return descendants;
        }

        private void sample() {
            while (!closed) {
                root.descendants().forEach(seen::add);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Set<ProcessHandle> seen() {
            root.descendants().forEach(seen::add);
            return Set.copyOf(seen);
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            sampler.join(5_000);
        }
    }
}
