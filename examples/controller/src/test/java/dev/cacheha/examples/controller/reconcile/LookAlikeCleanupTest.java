package dev.cacheha.examples.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.fake.RecordingPodExec;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.StatefulSetClaims;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HighAvailabilityProviders;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deleting one runtime among runtimes whose names contain, extend or prefix each other, in one namespace,
 * with a namesake in another: only the deleted runtime's journal claims go, whichever of them is deleted.
 */
@EnableKubernetesMockClient(crud = true)
class LookAlikeCleanupTest {

    private static final String NAMESPACE = "data";
    private static final String OTHER_NAMESPACE = "data-copy";
    /** Names where one is another plus "-master", or shares its claims' prefix. */
    private static final List<String> FAMILY = List.of("a", "a-master", "a-master-master", "a-m");

    KubernetesMockServer server;
    KubernetesClient client;

    static Stream<Arguments> runtimeToDelete() {
        return Stream.of(TestEngine.values())
                .flatMap(engine -> Stream.of("a", "a-master", "a-m")
                        .map(name -> Arguments.of(engine, name)));
    }

    @ParameterizedTest(name = "{0}: delete {1}")
    @MethodSource("runtimeToDelete")
    void deletingOneOfSeveralLookAlikeRuntimesDeletesExactlyItsOwnClaims(TestEngine engine, String deleted) {
        // Given look-alike runtimes in one namespace, the same names in another, each with its StatefulSet's claims
        server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(CacheRuntime.class));
        CacheRuntimeReconciler reconciler = new CacheRuntimeReconciler(client, HighAvailabilityProviders.load(),
                new ClusterAccess(engine.quorum(), RecordingPodExec.succeeding("done"), Duration.ofMillis(200)),
                new BoundedWait(Duration.ofSeconds(1), Duration.ofMillis(10)),
                CacheRuntimeReconciler.DEFAULT_LEADER_COMMAND_TIMEOUT);
        Map<String, List<String>> claimsByRuntime = new TreeMap<>();
        for (String namespace : List.of(NAMESPACE, OTHER_NAMESPACE)) {
            for (String name : FAMILY) {
                client.resource(Runtimes.runtime(namespace, name, engine.engine(), 3)).create();
                reconciler.reconcile(namespace, name);
                claimsByRuntime.put(namespace + "/" + name, createClaimsOfStatefulSetsOwnedBy(namespace, name));
            }
        }
        List<String> before = claimNames();

        // When one of them is deleted and reconciled
        client.resource(client.resources(CacheRuntime.class).inNamespace(NAMESPACE).withName(deleted).get()).delete();
        ReconcileOutcome outcome = reconciler.reconcile(NAMESPACE, deleted);

        // Then exactly its own claims are deleted, and every other runtime's claims, in both namespaces, remain
        List<String> own = claimsByRuntime.get(NAMESPACE + "/" + deleted);
        List<String> others = new ArrayList<>(before);
        others.removeAll(own);
        assertThat(own).hasSize(3);
        assertThat(outcome.deletedClaims().stream().map(name -> NAMESPACE + "/" + name)).containsExactlyInAnyOrderElementsOf(own);
        assertThat(claimNames()).containsExactlyInAnyOrderElementsOf(others);
        assertThat(others).hasSize(before.size() - 3);
    }

    /** Makes the claims Kubernetes would for the StatefulSets owned by runtime {@code name}; returns them. */
    private List<String> createClaimsOfStatefulSetsOwnedBy(String namespace, String name) {
        List<String> created = new ArrayList<>();
        client.apps().statefulSets().inNamespace(namespace).list().getItems().stream()
                .filter(statefulSet -> ownedBy(statefulSet, name))
                .flatMap(statefulSet -> StatefulSetClaims.of(statefulSet).stream())
                .forEach(claim -> {
                    client.resource(claim).create();
                    created.add(namespace + "/" + claim.getMetadata().getName());
                });
        return created;
    }

    private static boolean ownedBy(HasMetadata object, String runtime) {
        return object.getMetadata().getOwnerReferences().stream()
                .anyMatch(owner -> owner.getKind().equals("CacheRuntime") && owner.getName().equals(runtime));
    }

    private List<String> claimNames() {
        List<String> names = new ArrayList<>();
        for (String namespace : List.of(NAMESPACE, OTHER_NAMESPACE)) {
            for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inNamespace(namespace).list().getItems()) {
                names.add(namespace + "/" + claim.getMetadata().getName());
            }
        }
        return names;
    }
}
