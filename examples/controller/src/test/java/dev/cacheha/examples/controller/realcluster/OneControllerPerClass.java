package dev.cacheha.examples.controller.realcluster;

import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class whose tests share one controller for runtimes of Alluxio, started before its first test and stopped
 * after its last, in a namespace of its own named after the class (Pod Security "restricted" enforced): starting
 * a controller per test would cost each test a namespace and the informers' first lists. Its tests give each
 * runtime a name of its own.
 */
@ExtendWith(RealClusterExtension.class)
abstract class OneControllerPerClass {

    /** The class's controller. */
    static ControllerOnRealCluster controller;

    @BeforeAll
    static void startController(RealCluster cluster, TestInfo test) {
        String prefix = test.getTestClass().orElseThrow().getSimpleName().replace("OnRealClusterTest", "")
                .toLowerCase(java.util.Locale.ROOT);
        controller = ControllerOnRealCluster.start(cluster, prefix, TestEngine.ALLUXIO);
    }

    @AfterAll
    static void stopController() {
        if (controller != null) {
            controller.close();
            controller = null;
        }
    }

    /** The cluster's admin, for the test's own reads and writes. */
    static KubernetesClient admin() {
        return controller.admin();
    }

    /** The namespace of the class's controller. */
    static String namespace() {
        return controller.namespace();
    }
}
