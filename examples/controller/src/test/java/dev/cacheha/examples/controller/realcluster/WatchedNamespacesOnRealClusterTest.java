package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The namespaces the informers ask the real API server for are the configured ones, and the shipped RBAC grants
 * exactly what each mode asks: a Role per namespace ({@code deploy/rbac.yaml}) grants a namespaced list and watch,
 * never one at cluster scope (which is what made every informer 403 on a real cluster while {@code main} watched
 * all namespaces next to a namespaced Role), and every namespace is asked at cluster scope, which only the
 * ClusterRole of {@code deploy/rbac-cluster.yaml} grants. The controller starts only once every informer has
 * listed, so a start is the server's word that the rights suffice; a runtime then becomes Ready through them.
 */
@ExtendWith(RealClusterExtension.class)
class WatchedNamespacesOnRealClusterTest {

    private static final Pattern NAMESPACED = Pattern.compile("/namespaces/([^/]+)/([^/?]+)");
    private static final Pattern CLUSTER_SCOPED = Pattern.compile("/([^/?]+)(\\?|$)");
    /** Every kind the two controllers' informers watch. */
    private static final Set<String> WATCHED_KINDS = Set.of("cacheruntimes", "cacheruntimebackups", "statefulsets",
            "services", "configmaps", "secrets", "poddisruptionbudgets", "networkpolicies", "pods",
            "persistentvolumeclaims");

    /**
     * The resources the controller listed per namespace, "" for cluster scope, since it started; and that it sent
     * no write meanwhile.
     */
    private static Map<String, Set<String>> listedByNamespace(ControllerOnRealCluster controller) {
        List<ControllerRequests.Request> requests = controller.requests().sinceLastCall();
        assertThat(requests).isNotEmpty().noneMatch(ControllerRequests.Request::writes);
        Map<String, Set<String>> listed = new TreeMap<>();
        for (ControllerRequests.Request request : requests) {
            if (!request.verb().equals("list") && !request.verb().equals("watch")) {
                continue;
            }
            Matcher namespaced = NAMESPACED.matcher(request.path());
            Matcher clusterScoped = CLUSTER_SCOPED.matcher(request.path());
            if (namespaced.find()) {
                listed.computeIfAbsent(namespaced.group(1), any -> new TreeSet<>()).add(namespaced.group(2));
            } else if (clusterScoped.find()) {
                listed.computeIfAbsent("", any -> new TreeSet<>()).add(clusterScoped.group(1));
            }
        }
        return listed;
    }

    /** Creates runtime {@code name} in the controller's namespace and waits until it is Ready. */
    private static void readyRuntime(ControllerOnRealCluster controller, String name) {
        controller.membersAnswer(name, 1);
        controller.admin().resource(Runtimes.runtime(controller.namespace(), name, "alluxio", 3)).create();
        controller.awaitReady(name, 1);
    }

    @Test
    void listedNamespacesAreAskedOneByOneAndNothingAtClusterScope(RealCluster cluster) {
        // Given a controller watching two namespaces, with the Role of deploy/rbac.yaml in each
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.prepare(cluster, "watched",
                TestEngine.ALLUXIO)) {
            String other = controller.watchAlso("watched-other");

            // When it starts (which the server allows only if every informer may list)
            controller.start();
            Map<String, Set<String>> listed = listedByNamespace(controller);

            // Then every kind is listed in each of them, and nothing in any other namespace or at cluster scope
            assertThat(listed).containsOnlyKeys(controller.namespace(), other);
            assertThat(listed.get(controller.namespace())).isEqualTo(WATCHED_KINDS);
            assertThat(listed.get(other)).isEqualTo(WATCHED_KINDS);
            // And a runtime becomes Ready through those rights
            readyRuntime(controller, "namespaced");
        }
    }

    @Test
    void everyNamespaceIsAskedAtClusterScopeWhichTheClusterRoleGrants(RealCluster cluster) {
        // Given a controller watching every namespace, with the ClusterRole of deploy/rbac-cluster.yaml
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.prepare(cluster, "everywhere",
                TestEngine.ALLUXIO)) {
            controller.watchEveryNamespace();

            // When it starts
            controller.start();
            Map<String, Set<String>> listed = listedByNamespace(controller);

            // Then every kind is listed at cluster scope only
            assertThat(listed).containsOnlyKeys("");
            assertThat(listed.get("")).isEqualTo(WATCHED_KINDS);
            // And a runtime becomes Ready through the ClusterRole's rights
            readyRuntime(controller, "clusterwide");
        }
    }
}
