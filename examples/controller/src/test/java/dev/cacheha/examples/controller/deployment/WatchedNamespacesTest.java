package dev.cacheha.examples.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.OperatorOnMockServer;
import dev.cacheha.examples.controller.fake.ServerRequests.Request;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The namespaces the informers ask the API server for are the configured ones: a Role per namespace grants a
 * namespaced list and watch, never one at cluster scope (which is what made every informer 403 on a real cluster
 * while {@code main} watched all namespaces next to a namespaced Role).
 */
class WatchedNamespacesTest {

    private static final Pattern NAMESPACED = Pattern.compile("/namespaces/([^/]+)/([^/?]+)");
    private static final Pattern CLUSTER_SCOPED = Pattern.compile("/([^/?]+)(\\?|$)");
    /** Every kind the two controllers' informers watch. */
    private static final Set<String> WATCHED_KINDS = Set.of("cacheruntimes", "cacheruntimebackups", "statefulsets",
            "services", "configmaps", "secrets", "poddisruptionbudgets", "networkpolicies", "pods",
            "persistentvolumeclaims");

    /** The resources the operator listed per namespace, "" for cluster scope, after it started. */
    private static Map<String, Set<String>> listedByNamespace(WatchedNamespaces watched) {
        try (OperatorOnMockServer mock = new OperatorOnMockServer(watched)) {
            mock.operator().start();
            List<Request> requests = mock.requests().sinceLastCall();
            assertThat(requests).isNotEmpty().allMatch(request -> request.method().equals("GET"));
            Map<String, Set<String>> listed = new TreeMap<>();
            for (Request request : requests) {
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
    }

    @Test
    void listedNamespacesAreAskedOneByOneAndNothingAtClusterScope() {
        // Given an operator watching two namespaces
        // When it starts
        Map<String, Set<String>> listed = listedByNamespace(WatchedNamespaces.of("sales", "data"));

        // Then every kind is listed in each of them, and nothing in any other namespace or at cluster scope
        assertThat(listed).containsOnlyKeys("data", "sales");
        assertThat(listed.get("data")).isEqualTo(WATCHED_KINDS);
        assertThat(listed.get("sales")).isEqualTo(WATCHED_KINDS);
    }

    @Test
    void everyNamespaceIsAskedAtClusterScope() {
        // Given an operator watching every namespace
        // When it starts
        Map<String, Set<String>> listed = listedByNamespace(WatchedNamespaces.all());

        // Then every kind is listed once, at cluster scope, which only the ClusterRole grants
        assertThat(listed).containsOnlyKeys("");
        assertThat(listed.get("")).isEqualTo(WATCHED_KINDS);
    }
}
