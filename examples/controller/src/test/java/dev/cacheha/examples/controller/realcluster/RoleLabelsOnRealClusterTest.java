package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.rolelabel.RoleLabels;
import dev.cacheha.realcluster.Await;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import dev.cacheha.spi.LeaderStatus.Role;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The role label on the master pods, on a real API server with the rights of {@code deploy/rbac.yaml}: a label
 * selector finds the member that leads, and the labels follow discovery when the leadership moves.
 */
@ExtendWith(RealClusterExtension.class)
class RoleLabelsOnRealClusterTest {

    @Test
    void aLabelSelectorFindsTheLeaderAndTheLabelsFollowTheLeadershipWhenItMoves(RealCluster cluster) {
        // Given a controller that looks at its runtimes every 2 s, and a Ready runtime whose member 1 leads
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.prepare(cluster, "roles",
                TestEngine.ALLUXIO, Duration.ofSeconds(2))) {
            controller.start();
            IntStream.range(0, 3).forEach(ordinal -> controller.quorum()
                    .set("labels-master-" + ordinal, ordinal == 1 ? Role.LEADER : Role.FOLLOWER));
            controller.admin().resource(Runtimes.runtime(controller.namespace(), "labels", "alluxio", 3)).create();
            controller.awaitReady("labels", 1);

            // Then the pods selected by role=leader are member 1 alone, and role=follower members 0 and 2
            awaitRoles(controller, List.of("labels-master-1"), List.of("labels-master-0", "labels-master-2"));
            // And the label is all the controller changed on the pods: every other label is the StatefulSet's
            for (Pod pod : pods(controller, "app.kubernetes.io/instance=labels")) {
                Map<String, String> others = new HashMap<>(pod.getMetadata().getLabels());
                others.remove(RoleLabels.LABEL);
                assertThat(others).containsKeys("controller-revision-hash", "statefulset.kubernetes.io/pod-name")
                        .containsAllEntriesOf(controller.admin().apps().statefulSets()
                                .inNamespace(controller.namespace()).withName("labels-master").get().getSpec()
                                .getTemplate().getMetadata().getLabels());
            }

            // When the leadership moves to member 2 and member 0 stops answering
            controller.quorum().set("labels-master-1", Role.FOLLOWER);
            controller.quorum().set("labels-master-2", Role.LEADER);
            controller.quorum().set("labels-master-0", Role.UNREACHABLE);

            // Then role=leader selects member 2, role=follower member 1, and member 0 carries no role
            awaitRoles(controller, List.of("labels-master-2"), List.of("labels-master-1"));
            assertThat(controller.admin().pods().inNamespace(controller.namespace()).withName("labels-master-0")
                    .get().getMetadata().getLabels()).doesNotContainKey(RoleLabels.LABEL);
        }
    }

    private static void awaitRoles(ControllerOnRealCluster controller, List<String> leaders, List<String> followers) {
        Await.until("leader " + leaders + ", followers " + followers, ControllerOnRealCluster.BUDGET,
                () -> names(controller, RoleLabels.LABEL + "=" + RoleLabels.LEADER).equals(leaders)
                        && names(controller, RoleLabels.LABEL + "=" + RoleLabels.FOLLOWER).equals(followers),
                () -> "leaders " + names(controller, RoleLabels.LABEL + "=" + RoleLabels.LEADER) + ", followers "
                        + names(controller, RoleLabels.LABEL + "=" + RoleLabels.FOLLOWER));
    }

    /** The pods {@code kubectl get pods -l selector} lists, by name, sorted. */
    private static List<String> names(ControllerOnRealCluster controller, String selector) {
        return pods(controller, selector).stream().map(pod -> pod.getMetadata().getName()).sorted().toList();
    }

    private static List<Pod> pods(ControllerOnRealCluster controller, String selector) {
        String[] pair = selector.split("=", 2);
        return controller.admin().pods().inNamespace(controller.namespace()).withLabel(pair[0], pair[1]).list()
                .getItems();
    }
}
