package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.local.AlluxioClasspath;
import dev.cacheha.alluxio.local.RenderedQuorum;
import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.RestoreRequest;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.runtime.RestoreProgress;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.realcluster.node.LocalNode;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
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
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole story on real Alluxio 2.9.6 masters through the real control plane: a CacheRuntime applied to the API
 * server, its pods made by the real StatefulSet controller, bound by the real scheduler to the {@link LocalNode},
 * which runs them as real masters; the controller (production code, with the node's two ports) drives them. Every
 * step of the test goes through the API server; what Alluxio itself says is asked with {@code alluxio fsadmin} in
 * a pod, as an operator would with {@code kubectl exec}. Each phase is timed; a failure names the phase, the
 * runtime's status and the end of every master's log.
 */
@ExtendWith(RealClusterExtension.class)
class AlluxioQuorumStoryOnRealClusterTest {

    private static final String NAME = "story";
    private static final String FILES = "/story";
    private static final int FILE_COUNT = 1_000;
    /** Generous: the masters and the control plane share two cores with two CPU burners. */
    private static final Duration BUDGET = Duration.ofMinutes(4);
    private static final Duration CLI_DEADLINE = Duration.ofSeconds(60);
    private static final Pattern QUORUM_LEADER = Pattern.compile("(?m)^Quorum leader\\s*:\\s*(\\S+)\\s*$");
    private static final Pattern MEMBER = Pattern.compile(
            "(?m)^(AVAILABLE|UNAVAILABLE)\\s*\\|\\s*\\d+\\s*\\|\\s*(\\S+)\\s*$");

    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private final List<String> figures = new ArrayList<>();

    @Test
    void anAppliedRuntimeBecomesAQuorumThatFailsOverBacksUpAndIsDeletedWholeEveryStepThroughTheApiServer(
            RealCluster cluster) throws Exception {
        AlluxioClasspath classpath = AlluxioClasspath.fromResource(getClass().getClassLoader());
        CacheRuntime desired = Runtimes.runtime("baseline", NAME, "alluxio", 3);
        Backups.withBackupVolume(desired);

        // The baseline, before the story so the two never share the CPU: the same pod specs from start to an
        // elected leader without the controller or the control plane.
        HaSpec spec = Runtimes.translator().translate(desired).spec();
        long baselineStart = System.nanoTime();
        Duration baseline;
        try (RenderedQuorum alone = RenderedQuorum.start(spec, Map.of(), classpath)) {
            Await.until("the rendered quorum alone elects a leader", BUDGET,
                    () -> alone.discover().leader().isPresent(), () -> "discovery: " + alone.discover());
            baseline = Duration.ofNanos(System.nanoTime() - baselineStart);
        }
        figures.add("rendered pods alone, start -> elected leader: " + millis(baseline) + " ms");

        try (LocalNode node = LocalNode.start(cluster.admin(), classpath);
                ControllerOnRealCluster controller = ControllerOnRealCluster.startOnLocalNode(cluster, NAME, node)) {
            Story story = new Story(controller, node);
            KubernetesClient admin = controller.admin();
            String namespace = controller.namespace();
            desired.getMetadata().setNamespace(namespace);

            // Things of the namespace that are not the runtime's: they must outlive it untouched.
            admin.resource(new ConfigMapBuilder().withNewMetadata().withName("foreign").withNamespace(namespace)
                    .endMetadata().addToData("owner", "someone else").build()).create();
            admin.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("backups")
                    .withNamespace(namespace).addToLabels(BackupVolume.OPT_IN_LABEL, "true").endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                    .build()).create();

            // a. Given a CacheRuntime of 3 masters applied, then 3 pods are Ready, the status names the leader
            // Alluxio itself reports, and the quorum is HEALTHY
            long applied = System.nanoTime();
            TranslatedRuntime translated = Runtimes.translator()
                    .translate(desired);
            ClusterAccess members = new ClusterAccess(node.memberProbe(), PodExec.unavailable(), Duration.ofSeconds(2));
            // Where the time from apply to HEALTHY goes: the first moment each step of the way held.
            Milestones milestones = new Milestones(applied, Map.of(
                    "1 StatefulSet's 3 pods exist", () -> story.podUids().size() == 3,
                    "2 all 3 bound to " + LocalNode.NAME, () -> controller.admin().pods().inNamespace(namespace)
                            .withLabel("app.kubernetes.io/instance", NAME).list().getItems().stream()
                            .filter(pod -> pod.getSpec().getNodeName() != null).count() == 3,
                    "3 all 3 masters started by the node", () -> story.podUids().keySet().stream()
                            .filter(pod -> node.pod(namespace, pod).isPresent()).count() == 3,
                    "4 a leader elected (the members' own answers)", () -> translated.provider()
                            .leaderDiscovery(translated.spec(), members).discover().leader().isPresent(),
                    "5 all 3 pods Ready", () -> story.readyPods().size() == 3,
                    "6 status HEALTHY", () -> {
                        CacheRuntime runtime = controller.runtime(NAME);
                        return runtime != null && runtime.getStatus() != null
                                && "HEALTHY".equals(runtime.getStatus().getQuorumHealth());
                    }));
            story.phase("a: apply -> 3 Ready pods, HEALTHY, status.leader is Alluxio's leader", () -> {
                admin.resource(desired).create();
                try {
                    story.awaitRuntime("HEALTHY with a leader", runtime -> runtime.getStatus() != null
                            && "HEALTHY".equals(runtime.getStatus().getQuorumHealth())
                            && runtime.getStatus().getLeader() != null);
                } finally {
                    milestones.close();
                    figures.add("apply -> HEALTHY, where the time goes (ms after apply): " + milestones.reached());
                }
                Duration toHealthy = Duration.ofNanos(System.nanoTime() - applied);
                figures.add("apply -> HEALTHY through the controller: " + millis(toHealthy) + " ms ("
                        + ratio(toHealthy, baseline) + "x the rendered pods alone; target 1.2x)");
                story.awaitReadyPods(3);
                story.awaitAlluxioAgrees();
            });

            // b. When 1,000 files are written and a backup is requested, then it succeeds on the leader with the
            // file on the backup volume
            String[] backupLocation = new String[1];
            story.phase("b: 1,000 files, CacheRuntimeBackup Succeeded from the leader, file on the volume", () -> {
                String leader = story.leader();
                node.pod(namespace, leader).orElseThrow().createFiles(FILES, FILE_COUNT, BUDGET);
                CacheRuntimeBackup request = Backups.toSharedVolume("nightly", NAME, "/backups");
                request.getMetadata().setNamespace(namespace);
                admin.resource(request).create();
                Await.until("backup nightly Succeeded", BUDGET, () -> {
                    CacheRuntimeBackupStatus status = controller.backup("nightly").getStatus();
                    return status != null && CacheRuntimeBackupStatus.SUCCEEDED.equals(status.getPhase());
                }, () -> "backup status: " + controller.backup("nightly").getStatus() + story.report());
                CacheRuntimeBackupStatus status = controller.backup("nightly").getStatus();
                assertThat(status.getBackup().getTakenBy().getPod()).isEqualTo(leader);
                backupLocation[0] = status.getBackup().getLocation();
                assertThat(backupLocation[0]).startsWith("file:///backups/");
                String file = URI.create(backupLocation[0]).getPath();
                assertThat(story.exec(story.anyReadyPod(), "test", "-s", file).exitCode())
                        .as("the backup file %s on the backup volume", file).isZero();
                assertThat(story.fileCount()).isEqualTo(FILE_COUNT);
            });

            // c. When the leader's pod is deleted, then the StatefulSet controller recreates it, another member
            // leads, the status follows, the recreated member rejoins and no acknowledged write is lost
            story.phase("c: leader pod deleted -> recreated, new leader, status follows, rejoins, files intact",
                    () -> {
                String old = story.leader();
                String oldUid = admin.pods().inNamespace(namespace).withName(old).get().getMetadata().getUid();
                String survivor = story.readyPods().stream().filter(pod -> !pod.equals(old)).findFirst()
                        .orElseThrow();
                long deleted = System.nanoTime();
                admin.pods().inNamespace(namespace).withName(old).delete();
                long[] alluxioNamed = {0};
                Thread quorumInfo = new Thread(() -> {
                    while (alluxioNamed[0] == 0 && System.nanoTime() - deleted < BUDGET.toNanos()) {
                        Optional<String> leader = story.alluxioLeader(survivor);
                        if (leader.isPresent() && !leader.get().startsWith(old + ".")) {
                            alluxioNamed[0] = System.nanoTime();
                        }
                    }
                }, "quorum-info");
                quorumInfo.start();
                CacheRuntime followed = story.awaitRuntime("status.leader names another member", runtime ->
                        runtime.getStatus() != null && runtime.getStatus().getLeader() != null
                                && !old.equals(runtime.getStatus().getLeader()));
                long statusNamed = System.nanoTime();
                quorumInfo.join(BUDGET.toMillis());
                figures.add("leader pod deleted -> status.leader names the new leader ("
                        + followed.getStatus().getLeader() + "): " + millis(Duration.ofNanos(statusNamed - deleted))
                        + " ms");
                if (alluxioNamed[0] != 0) {
                    Duration alluxio = Duration.ofNanos(alluxioNamed[0] - deleted);
                    figures.add("leader pod deleted -> Alluxio's quorum info first names it: " + millis(alluxio)
                            + " ms (status " + ratio(Duration.ofNanos(statusNamed - deleted), alluxio)
                            + "x; target 1.2x)");
                }
                Await.until("pod " + old + " recreated", BUDGET, () -> {
                    Pod pod = admin.pods().inNamespace(namespace).withName(old).get();
                    return pod != null && !pod.getMetadata().getUid().equals(oldUid);
                }, story::report);
                story.awaitReadyPods(3);
                story.awaitAlluxioAgrees();
                assertThat(story.leader()).isNotEqualTo(old);
                assertThat(story.fileCount()).isEqualTo(FILE_COUNT);
            });

            // e. When a property changes, then the members restart followers first and the leader last, the quorum
            // keeps its majority at every sampled moment, and the files stay
            story.phase("e: property change rolled followers first, leader last, majority kept, files intact", () -> {
                String leader = story.leader();
                Map<String, String> uids = story.podUids();
                List<String> restartOrder = new ArrayList<>();
                int[] fewestReady = {Integer.MAX_VALUE};
                int[] fewestAnswering = {Integer.MAX_VALUE};
                int[] fewestRunning = {Integer.MAX_VALUE};
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        fewestRunning[0] = Math.min(fewestRunning[0], (int) story.podUids().keySet().stream()
                                .filter(pod -> node.pod(namespace, pod).isPresent()).count());
                        fewestReady[0] = Math.min(fewestReady[0], story.readyPods().size());
                        // The quorum's majority as its members say it: each member that answers with its role.
                        LeaderStatus answers = translated.provider().leaderDiscovery(translated.spec(), members)
                                .discover();
                        fewestAnswering[0] = Math.min(fewestAnswering[0],
                                answers.membersWithRole(LeaderStatus.Role.LEADER).size()
                                        + answers.membersWithRole(LeaderStatus.Role.FOLLOWER).size());
                        story.podUids().forEach((pod, uid) -> {
                            if (!uid.equals(uids.get(pod)) && !restartOrder.contains(pod)) {
                                restartOrder.add(pod);
                            }
                        });
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "majority-sampler");
                sampler.start();
                try {
                    long generation = story.edit(runtime -> runtime.getSpec()
                            .setProperties(Map.of("alluxio.master.audit.logging.enabled", "true")));
                    controller.awaitReady(NAME, generation);
                    Await.until("every member restarted", BUDGET, () -> restartOrder.size() == 3,
                            () -> "restarted so far: " + restartOrder + story.report());
                    story.awaitReadyPods(3);
                } finally {
                    sampling.set(false);
                    sampler.join();
                }
                figures.add("property change: restart order " + restartOrder + " (leader was " + leader
                        + "); at the worst sampled moment: " + fewestRunning[0] + " of 3 masters running, "
                        + fewestAnswering[0] + " answering with a role within 2 s, " + fewestReady[0] + " pods Ready");
                assertThat(restartOrder).hasSize(3).last().isEqualTo(leader);
                // The majority the roll keeps is of running members: one member restarts at a time. Answers within
                // a deadline and readiness lag behind a restart and are noisy on a loaded machine: reported only.
                assertThat(fewestRunning[0]).as("masters running at the worst sampled moment")
                        .isGreaterThanOrEqualTo(2);
                story.awaitAlluxioAgrees();
                assertThat(story.fileCount()).isEqualTo(FILE_COUNT);
            });

            // f. When two journals are lost (their claims and pods deleted) and a restore from the backup is
            // requested, then the 1,000 files are back with one leader and three members
            story.phase("f: two journals lost -> spec.restore from the backup -> 1,000 files, 1 leader, 3 members",
                    () -> {
                String leader = story.leader();
                List<String> lost = story.readyPods().stream().filter(pod -> !pod.equals(leader)).limit(2).toList();
                for (String pod : lost) {
                    admin.persistentVolumeClaims().inNamespace(namespace)
                            .withName("journal-" + pod).delete();
                    admin.pods().inNamespace(namespace).withName(pod).delete();
                }
                long generation = story.edit(runtime -> runtime.getSpec().setRestore(new RestoreRequest("nightly")));
                story.awaitRuntime("restore Succeeded", runtime -> runtime.getStatus() != null
                        && runtime.getStatus().getRestore() != null
                        && RestoreProgress.SUCCEEDED.equals(runtime.getStatus().getRestore().getPhase()));
                controller.awaitReady(NAME, generation);
                story.awaitReadyPods(3);
                story.awaitAlluxioAgrees();
                Await.until("the 1,000 files back", BUDGET, () -> story.fileCount() == FILE_COUNT, story::report);
            });

            // g. When the runtime is deleted, then every master stops and every object and claim of it is gone,
            // while what is not its stays
            story.phase("g: runtime deleted -> masters stopped, objects and claims gone, nothing foreign touched",
                    () -> {
                String uid = controller.runtime(NAME).getMetadata().getUid();
                admin.resources(CacheRuntime.class).inNamespace(namespace).withName(NAME).delete();
                Await.until("every master stopped", BUDGET, () -> node.runningProcesses().isEmpty(),
                        () -> "running: " + node.runningProcesses() + story.report());
                Await.until("every object and claim of the runtime gone", BUDGET,
                        () -> controller.objectsControlledBy(uid).isEmpty()
                                && admin.pods().inNamespace(namespace).list().getItems().isEmpty()
                                && story.journalClaims().isEmpty(),
                        () -> "left: " + controller.objectsControlledBy(uid) + ", claims " + story.journalClaims());
                assertThat(admin.configMaps().inNamespace(namespace).withName("foreign").get().getData())
                        .containsEntry("owner", "someone else");
                assertThat(admin.persistentVolumeClaims().inNamespace(namespace).withName("backups").get())
                        .isNotNull();
            });
        } finally {
            System.out.println(report());
        }
    }

    private String report() {
        StringBuilder out = new StringBuilder("Alluxio quorum story on the real cluster (load average "
                + loadAverage() + "):\n");
        phases.forEach((phase, took) -> out.append("  ").append(phase).append(": ").append(millis(took))
                .append(" ms\n"));
        figures.forEach(figure -> out.append("  ").append(figure).append('\n'));
        return out.toString();
    }

    private static long millis(Duration duration) {
        return duration.toMillis();
    }

    private static String ratio(Duration measured, Duration reference) {
        return String.format(Locale.ROOT, "%.2f", (double) measured.toNanos() / reference.toNanos());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first moment, after a start, at which each of some conditions held, sampled every 100 ms. */
    private static final class Milestones implements AutoCloseable {

        private final long start;
        private final Map<String, BooleanSupplier> conditions;
        private final Map<String, Long> reached = new ConcurrentSkipListMap<>();
        private final Thread sampler;
        private volatile boolean closed;

        Milestones(long start, Map<String, BooleanSupplier> conditions) {
            this.start = start;
            this.conditions = conditions;
            this.sampler = new Thread(this::sample, "milestones");
            sampler.setDaemon(true);
            sampler.start();
        }

        private void sample() {
            while (!closed && reached.size() < conditions.size()) {
                conditions.forEach((name, condition) -> {
                    try {
                        if (!reached.containsKey(name) && condition.getAsBoolean()) {
                            reached.put(name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        }
                    } catch (RuntimeException notYet) {
                        // A member or the API server not answering yet: the condition does not hold.
                    }
                });
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Each condition that held, in name order, with the milliseconds after the start it first did. */
        Map<String, Long> reached() {
            return Map.copyOf(reached).entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                            (a, b) -> a, LinkedHashMap::new));
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            sampler.join(10_000);
        }
    }

    /** The story's steps and what they ask of the cluster and of Alluxio. */
    private final class Story {

        private final ControllerOnRealCluster controller;
        private final LocalNode node;

        Story(ControllerOnRealCluster controller, LocalNode node) {
            this.controller = controller;
            this.node = node;
        }

        interface Step {
            void run() throws Exception;
        }

        /** Runs and times {@code step}; a failure names the phase, the runtime's status and the masters' logs. */
        void phase(String name, Step step) throws Exception {
            long start = System.nanoTime();
            try {
                step.run();
            } catch (Exception | AssertionError e) {
                AssertionError failure = new AssertionError("phase " + name + " failed: " + e.getMessage()
                        + report(), e);
                throw failure;
            } finally {
                phases.put(name, Duration.ofNanos(System.nanoTime() - start));
            }
        }

        String report() {
            CacheRuntime runtime = controller.runtime(NAME);
            return "\nruntime status: " + (runtime == null ? "(no runtime)" : runtime.getStatus())
                    + "\npods: " + controller.describePods(NAME) + "\n" + node.masterLogTails(controller.namespace(),
                    20);
        }

        CacheRuntime awaitRuntime(String what, Predicate<CacheRuntime> condition) {
            CacheRuntime[] seen = new CacheRuntime[1];
            Await.until("runtime " + NAME + ": " + what, BUDGET, () -> {
                seen[0] = controller.runtime(NAME);
                return seen[0] != null && condition.test(seen[0]);
            }, this::report);
            return seen[0];
        }

        List<String> readyPods() {
            return controller.admin().pods().inNamespace(controller.namespace())
                    .withLabel("app.kubernetes.io/instance", NAME).list().getItems().stream()
                    .map(pod -> pod.getMetadata().getName())
                    .filter(controller::podReady)
                    .sorted()
                    .toList();
        }

        String anyReadyPod() {
            return readyPods().get(0);
        }

        void awaitReadyPods(int count) {
            Await.until(count + " pods Ready", BUDGET, () -> readyPods().size() == count, this::report);
        }

        String leader() {
            return controller.runtime(NAME).getStatus().getLeader();
        }

        /**
         * Waits until Alluxio's own quorum info names the leader the status names, its members are exactly the
         * Ready pods, each AVAILABLE, and the status is HEALTHY.
         */
        void awaitAlluxioAgrees() {
            String[] last = {""};
            Await.until("Alluxio's quorum info names status.leader and every pod AVAILABLE", BUDGET, () -> {
                CacheRuntime runtime = controller.runtime(NAME);
                List<String> pods = readyPods();
                if (runtime.getStatus() == null || runtime.getStatus().getLeader() == null || pods.isEmpty()) {
                    return false;
                }
                PodExec.Result info = exec(pods.get(0), "alluxio", "fsadmin", "journal", "quorum", "info",
                        "-domain", "MASTER");
                last[0] = info.stdout() + info.stderr();
                Matcher leader = QUORUM_LEADER.matcher(info.stdout());
                List<String> available = new ArrayList<>();
                List<String> members = new ArrayList<>();
                Matcher member = MEMBER.matcher(info.stdout());
                while (member.find()) {
                    String pod = member.group(2).substring(0, member.group(2).indexOf('.'));
                    members.add(pod);
                    if (member.group(1).equals("AVAILABLE")) {
                        available.add(pod);
                    }
                }
                return leader.find() && leader.group(1).startsWith(runtime.getStatus().getLeader() + ".")
                        && "HEALTHY".equals(runtime.getStatus().getQuorumHealth())
                        && members.stream().sorted().toList().equals(pods)
                        && available.stream().sorted().toList().equals(pods);
            }, () -> "last quorum info: " + last[0] + report());
        }

        /** The leader Alluxio's {@code quorum info} names, asked in pod {@code pod}, if it names one. */
        Optional<String> alluxioLeader(String pod) {
            try {
                Matcher leader = QUORUM_LEADER.matcher(exec(pod, "alluxio", "fsadmin", "journal", "quorum", "info",
                        "-domain", "MASTER").stdout());
                return leader.find() ? Optional.of(leader.group(1)) : Optional.empty();
            } catch (RuntimeException notNow) {
                return Optional.empty();
            }
        }

        /** How many files {@code alluxio fs count} finds under the story's directory. */
        int fileCount() {
            String out = exec(anyReadyPod(), "alluxio", "fs", "count", FILES).stdout();
            List<String> lines = out.lines().filter(line -> !line.isBlank()).toList();
            return Integer.parseInt(lines.get(lines.size() - 1).trim().split("\\s+")[0]);
        }

        PodExec.Result exec(String pod, String... argv) {
            Member member = new Member(ordinal(pod), controller.namespace(), pod,
                    pod + "." + NAME + "-master." + controller.namespace() + ".svc." + LocalNode.CLUSTER_DOMAIN);
            try {
                return node.podExec().exec(member, "alluxio-master", List.of(argv), CLI_DEADLINE)
                        .get(CLI_DEADLINE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(String.join(" ", argv) + " in " + pod + " failed", e);
            }
        }

        /** Applies {@code change} to the stored runtime and returns the generation it made. */
        long edit(Consumer<CacheRuntime> change) {
            return controller.edit(NAME, change).getMetadata().getGeneration();
        }

        /** The runtime's pods by name, each with its UID. */
        Map<String, String> podUids() {
            Map<String, String> uids = new TreeMap<>();
            controller.admin().pods().inNamespace(controller.namespace())
                    .withLabel("app.kubernetes.io/instance", NAME).list().getItems()
                    .forEach(pod -> uids.put(pod.getMetadata().getName(), pod.getMetadata().getUid()));
            return uids;
        }

        List<String> journalClaims() {
            return controller.admin().persistentVolumeClaims().inNamespace(controller.namespace()).list().getItems()
                    .stream().map(claim -> claim.getMetadata().getName())
                    .filter(claim -> claim.matches(".*-" + NAME + "-master-\\d+")).toList();
        }

        private int ordinal(String pod) {
            return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
        }
    }
}
