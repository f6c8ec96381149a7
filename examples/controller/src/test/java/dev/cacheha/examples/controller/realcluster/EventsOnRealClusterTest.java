package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.LeaderStatus.Role;
import io.fabric8.kubernetes.api.model.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@code kubectl describe cacheruntime} shows of the controller's work on a real API server: its Events,
 * written with the rights of {@code deploy/rbac.yaml} alone, for a refusal and for each restart of a rolling restart.
 */
@ExtendWith(RealClusterExtension.class)
class EventsOnRealClusterTest {

    private static RealCluster cluster;
    private static ControllerOnRealCluster controller;

    @BeforeAll
    static void startController(RealCluster realCluster) {
        cluster = realCluster;
        controller = ControllerOnRealCluster.start(cluster, "events", TestEngine.ALLUXIO);
    }

    @AfterAll
    static void stopController() {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void aRefusedSpecIsAWarningThatKubectlDescribeShows() {
        // When a runtime the CRD accepts names a port Alluxio does not have
        CacheRuntime runtime = Runtimes.runtime(controller.namespace(), "refused", "alluxio", 3);
        runtime.getSpec().setPorts(Map.of("nosuch", 7000));
        controller.admin().resource(runtime).create();

        // Then kubectl describe shows a Warning SpecRefused event naming the field
        String[] described = new String[1];
        Await.until("a SpecRefused event in kubectl describe", ControllerOnRealCluster.BUDGET, () -> {
            described[0] = describe("refused");
            return described[0].lines().anyMatch(line -> line.contains("Warning") && line.contains("SpecRefused")
                    && line.contains("ports.nosuch"));
        }, () -> "kubectl describe said:\n" + described[0]);
        // And it is the runtime's event, from the controller
        assertThat(events("refused")).anySatisfy(event -> {
            assertThat(event.getReason()).isEqualTo("SpecRefused");
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getSource().getComponent()).isEqualTo("cache-ha-controller");
        });
    }

    @Test
    void eachRestartOfARollingRestartIsAnEventThatKubectlDescribeShows() {
        // Given a Ready three-master runtime whose member 1 leads
        IntStream.range(0, 3).forEach(ordinal -> controller.quorum()
                .set("roll-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER));
        controller.admin().resource(Runtimes.runtime(controller.namespace(), "roll", "alluxio", 3)).create();
        controller.awaitReady("roll", 1);

        // When a property changes and the members are restarted for it
        controller.edit("roll", runtime -> runtime.getSpec().setProperties(
                Map.of("alluxio.master.journal.checkpoint.period.entries", "1000")));
        controller.awaitReady("roll", 2);

        // Then each member's restart is a RollingRestart event, and kubectl describe shows them
        List<String> restarts = IntStream.of(0, 2, 1).mapToObj(ordinal -> "pod roll-master-" + ordinal
                + " to rejoin after its restart").toList();
        String[] described = new String[1];
        Await.until("three restarts in kubectl describe", ControllerOnRealCluster.BUDGET, () -> {
            described[0] = describe("roll");
            return restarts.stream().allMatch(restart -> described[0].lines()
                    .anyMatch(line -> line.contains("RollingRestart") && line.contains(restart)));
        }, () -> "kubectl describe said:\n" + described[0]);
        assertThat(events("roll")).filteredOn(event -> event.getReason().equals("RollingRestart"))
                .allSatisfy(event -> assertThat(event.getType()).isEqualTo("Normal"))
                .extracting(Event::getMessage)
                .anyMatch(message -> message.contains(restarts.get(0)))
                .anyMatch(message -> message.contains(restarts.get(1)))
                .anyMatch(message -> message.contains(restarts.get(2)));
        // And the runtime's becoming Ready again is one too
        assertThat(events("roll")).anyMatch(event -> event.getReason().equals("Ready"));
    }

    /** The Events about runtime {@code name}, found as kubectl describe finds them: by its UID. */
    private static List<Event> events(String name) {
        String uid = controller.runtime(name).getMetadata().getUid();
        return controller.admin().v1().events().inNamespace(controller.namespace())
                .withField("involvedObject.uid", uid).list().getItems();
    }

    /** What {@code kubectl describe cacheruntime name} prints, as the cluster's admin. */
    private static String describe(String name) {
        try {
            Path out = Files.createTempFile("describe", ".out");
            try {
                Process kubectl = new ProcessBuilder(cluster.binaries().executable("kubectl").toString(),
                        "--kubeconfig", cluster.kubeconfig().toString(), "describe", "cacheruntime", name,
                        "-n", controller.namespace())
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!kubectl.waitFor(ControllerOnRealCluster.BUDGET.toSeconds(), TimeUnit.SECONDS)) {
                    kubectl.destroyForcibly();
                    return "(kubectl did not finish)";
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException failed) {
            throw new IllegalStateException("kubectl describe could not run", failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
