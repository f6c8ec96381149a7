package dev.cacheha.examples.controller.access;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.FakeStatefulSetController;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.LeaderStatus.Role;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One tenant's hung commands do not stall another tenant's runtimes (issue #20 item 7). */
class TenantIsolationTest {

    private static final Duration BUDGET = Duration.ofSeconds(60);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    private static final String OTHER = "other";
    private static final int HANGING_BACKUPS = 60;
    private static final int MUTE_RUNTIMES = 60;

    private ControllerHarness harness;
    private FakeStatefulSetController otherStatefulSets;

    @AfterEach
    void tearDown() {
        if (otherStatefulSets != null) {
            otherStatefulSets.close();
        }
        if (harness != null) {
            harness.close();
        }
    }

    private Duration timeToReady(String name) {
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            harness.quorum().set(name + "-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER);
        }
        long start = System.nanoTime();
        harness.test().resource(Runtimes.runtime(OTHER, name, ENGINE.engine(), 3)).create();
        Eventually.within(BUDGET, "runtime " + OTHER + "/" + name + " Ready", () -> {
            CacheRuntime runtime = harness.test().resources(CacheRuntime.class).inNamespace(OTHER).withName(name)
                    .get();
            return runtime.getStatus() != null && runtime.getStatus().getConditions() != null
                    && runtime.getStatus().getConditions().stream().anyMatch(condition ->
                            condition.getType().equals("Ready") && condition.getStatus().equals("True")) ? true : null;
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Starts the controller with a namespace "other" beside its own, and returns how long a runtime there takes to
     * become Ready.
     */
    private Duration usualTimeToReadyInAnotherNamespace() {
        harness = new ControllerHarness(ENGINE);
        harness.test().resource(new NamespaceBuilder().withNewMetadata().withName(OTHER).endMetadata().build())
                .create();
        otherStatefulSets = new FakeStatefulSetController(harness.test(), OTHER, Duration.ofMillis(20));
        // (the first runtime of a run pays the warm-up of the controller, the informers and the JIT: not usual)
        timeToReady("warm-up");
        return timeToReady("first");
    }

    @Test
    void sixtyHangingBackupsInOneNamespaceDoNotDelayARuntimeOfAnotherNamespace() {
        // Given the controller, a namespace "other", and how long a runtime there takes to become Ready
        Duration usual = usualTimeToReadyInAnotherNamespace();

        // When a tenant of namespace data asks for 60 backups whose commands hang (a backup may run 10 minutes)
        harness.quorum().set("demo-master-0", Role.FOLLOWER).set("demo-master-1", Role.LEADER)
                .set("demo-master-2", Role.FOLLOWER);
        harness.exec().hangingWhen(call -> call.argv().contains("backup"));
        Backups.labelledClaim(harness, "backups");
        harness.test().resource(Backups.withBackupVolume(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3)))
                .create();
        Backups.awaitReady(harness, "demo", BUDGET);
        for (int i = 0; i < HANGING_BACKUPS; i++) {
            harness.test().resource(Backups.toSharedVolume("hang-" + i, "demo", "/backups")).create();
        }
        Eventually.within(BUDGET, "every backup Running", () -> harness.test().resources(CacheRuntimeBackup.class)
                .inNamespace(NAMESPACE).list().getItems().stream().filter(backup -> backup.getStatus() != null
                        && CacheRuntimeBackupStatus.RUNNING.equals(backup.getStatus().getPhase()))
                .count() == HANGING_BACKUPS ? true : null);

        // Then a new runtime of namespace other becomes Ready within its usual time (three times it, plus 2 s for a
        // loaded machine), while the backups still run
        Duration loaded = timeToReady("second");
        System.out.printf("runtime Ready: %d ms alone, %d ms beside %d hanging backups of another namespace%n",
                usual.toMillis(), loaded.toMillis(), HANGING_BACKUPS);
        assertThat(loaded).isLessThanOrEqualTo(usual.multipliedBy(3).plusSeconds(2));
        // And the tenant's commands were started only up to its namespace's share
        assertThat(harness.exec().calls()).filteredOn(call -> call.argv().contains("backup"))
                .hasSize(ControllerSettings.DEFAULT_COMMANDS_PER_NAMESPACE);
    }

    @Test
    void sixtyRuntimesWhoseDiscoveryCommandsHangDoNotDelayARuntimeOfAnotherNamespace() {
        // Given the controller, a namespace "other", and how long a runtime there takes to become Ready
        Duration usual = usualTimeToReadyInAnotherNamespace();

        // When 60 runtimes of namespace data (more than the framework's 50 reconcile threads) have members that
        // answer nothing over HTTP and whose role commands hang, so that every discovery of theirs falls back to
        // Alluxio's CLI in the pods, up to two commands of 30 s
        muteRuntimes(UnaryOperator.identity());
        // (measured once their role commands hang: the load of making 60 runtimes is not what this test is about)
        Eventually.within(BUDGET, "role commands in the mute runtimes' pods", () -> harness.exec().calls().stream()
                .filter(call -> call.pod().startsWith("mute-")).count() >= 4 ? true : null);

        // Then a new runtime of namespace other becomes Ready within its usual time (three times it, plus 2 s for a
        // loaded machine), while those commands still hang
        Duration loaded = timeToReady("second");
        System.out.printf("runtime Ready: %d ms alone, %d ms beside %d runtimes whose discovery commands hang%n",
                usual.toMillis(), loaded.toMillis(), MUTE_RUNTIMES);
        assertThat(loaded).isLessThanOrEqualTo(usual.multipliedBy(3).plusSeconds(2));
    }

    @Test
    void sixtyBackupsWhoseLeaderDiscoveryHangsDoNotDelayARuntimeOfAnotherNamespace() {
        // Given the controller, a namespace "other", and how long a runtime there takes to become Ready
        Duration usual = usualTimeToReadyInAnotherNamespace();

        // When 60 runtimes of namespace data, with a shared backup volume, have members that answer nothing over
        // HTTP and whose role commands hang, and a tenant asks for a backup of each (more backups than the
        // framework's 50 reconcile threads): every backup first discovers its runtime's leader, which falls back
        // to Alluxio's CLI in the pods, up to two commands of 30 s
        Backups.labelledClaim(harness, "backups");
        muteRuntimes(Backups::withBackupVolume);
        for (int i = 0; i < MUTE_RUNTIMES; i++) {
            harness.test().resource(Backups.toSharedVolume("hang-" + i, "mute-" + i, "/backups")).create();
        }
        // (measured once most backups were taken up by the controller: before, they hold no thread either way)
        Eventually.within(BUDGET, "most backups' reconciles started", () -> IntStream.range(0, MUTE_RUNTIMES)
                .filter(i -> Backups.reconcilesStarted(harness, "hang-" + i) > 0).count() >= 40 ? true : null);

        // Then a new runtime of namespace other becomes Ready within its usual time (three times it, plus 2 s for a
        // loaded machine), while those discoveries still hang
        Duration loaded = timeToReady("second");
        System.out.printf("runtime Ready: %d ms alone, %d ms beside %d backups whose leader discovery hangs%n",
                usual.toMillis(), loaded.toMillis(), MUTE_RUNTIMES);
        assertThat(loaded).isLessThanOrEqualTo(usual.multipliedBy(3).plusSeconds(2));
        // And no backup ran on a guess: none is Running, and no backup command went out
        assertThat(harness.test().resources(CacheRuntimeBackup.class).inNamespace(NAMESPACE).list().getItems())
                .noneMatch(backup -> backup.getStatus() != null
                        && CacheRuntimeBackupStatus.RUNNING.equals(backup.getStatus().getPhase()));
        assertThat(harness.exec().calls()).noneMatch(call -> call.argv().contains("backup"));
    }

    /**
     * Creates 60 runtimes {@code mute-<i>} of namespace data, each shaped by {@code shape}, whose members answer
     * nothing over HTTP and whose commands hang, and waits until their pods are made.
     */
    private void muteRuntimes(UnaryOperator<CacheRuntime> shape) {
        harness.exec().hangingWhen(call -> call.pod().startsWith("mute-"));
        for (int i = 0; i < MUTE_RUNTIMES; i++) {
            harness.test().resource(shape.apply(Runtimes.runtime(NAMESPACE, "mute-" + i, ENGINE.engine(), 3)))
                    .create();
        }
        Eventually.within(BUDGET, "the mute runtimes' pods", () -> harness.test().pods().inNamespace(NAMESPACE)
                .list().getItems().stream().filter(pod -> pod.getMetadata().getName().startsWith("mute-"))
                .count() == 3 * MUTE_RUNTIMES ? true : null);
    }
}
