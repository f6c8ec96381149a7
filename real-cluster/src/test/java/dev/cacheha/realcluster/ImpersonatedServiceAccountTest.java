package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a controller test on the real cluster needs: the CRDs and the RBAC of {@code examples/controller/deploy}
 * applied as shipped, and a client that is the controller's ServiceAccount in the server's eyes, so RBAC decides.
 */
@ExtendWith(RealClusterExtension.class)
class ImpersonatedServiceAccountTest {

    private static final Path DEPLOY =
            Path.of(System.getProperty("cacheha.deployDir", "../examples/controller/deploy"));
    private static final String SERVICE_ACCOUNT = "cache-ha-controller";
    private static final ResourceDefinitionContext CACHE_RUNTIMES = new ResourceDefinitionContext.Builder()
            .withGroup("data.cacheha.dev").withVersion("v1alpha1").withPlural("cacheruntimes").withNamespaced(true)
            .build();

    @Test
    void impersonatedControllerAccountMayDoWhatItsRoleGrantsAndIsRefusedEverythingElse(RealCluster cluster) {
        // Given the CRDs, and the controller's ServiceAccount, Role and RoleBinding from deploy/rbac.yaml
        cluster.apply(DEPLOY.resolve("crd.yaml"), null);
        cluster.apply(DEPLOY.resolve("crd-backup.yaml"), null);
        String namespace = cluster.createNamespace("rbac", Map.of());
        cluster.apply(DEPLOY.resolve("rbac.yaml"), namespace);

        try (KubernetesClient controller = cluster.clientAs(namespace, SERVICE_ACCOUNT)) {
            // When it lists CacheRuntimes and StatefulSets in its namespace (granted), then it gets the lists
            assertThat(controller.genericKubernetesResources(CACHE_RUNTIMES).inNamespace(namespace).list()
                    .getItems()).isEmpty();
            assertThat(controller.apps().statefulSets().inNamespace(namespace).list().getItems()).isEmpty();

            // When it tries a verb its Role leaves out (delete CacheRuntimes), or a namespace it has no Role in,
            // then the server answers 403 Forbidden naming the account
            assertForbidden(() -> controller.genericKubernetesResources(CACHE_RUNTIMES).inNamespace(namespace)
                    .withName("any").delete(), namespace);
            assertForbidden(() -> controller.secrets().inNamespace("kube-system").list(), namespace);
        }

        // And the admin is allowed the same calls, so the 403s are RBAC's and nothing else's
        assertThat(cluster.admin().genericKubernetesResources(CACHE_RUNTIMES).inNamespace(namespace).withName("any")
                .delete()).isEmpty();
        assertThat(cluster.admin().secrets().inNamespace("kube-system").list()).isNotNull();
        cluster.admin().namespaces().withName(namespace).delete();
    }

    private static void assertForbidden(Runnable call, String namespace) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(HttpURLConnection.HTTP_FORBIDDEN))
                .hasMessageContaining("system:serviceaccount:" + namespace + ":" + SERVICE_ACCOUNT);
    }
}
