package dev.cacheha.examples.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.deployment.DeploymentSettings;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The manifests under {@code deploy/}, read as fabric8 model objects and checked for what the API server needs. */
class ManifestsTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static List<HasMetadata> read(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("deploy", file))) {
            Object parsed = YAML.unmarshal(in);
            return parsed instanceof List<?> list ? list.stream().map(HasMetadata.class::cast).toList()
                    : List.of((HasMetadata) parsed);
        }
    }

    @Test
    void theCrdServesTheResourceWithAStatusSubresourceAndASchema() throws IOException {
        // Given the CRD manifest
        CustomResourceDefinition crd = (CustomResourceDefinition) read("crd.yaml").get(0);

        // Then it names the resource the controller reconciles, with a status subresource and a structural schema
        assertThat(crd.getMetadata().getName()).isEqualTo(HasMetadata.getFullResourceName(CacheRuntime.class));
        assertThat(crd.getSpec().getGroup()).isEqualTo(CacheRuntime.GROUP);
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("CacheRuntime");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo(CacheRuntime.VERSION);
        assertThat(version.getServed()).isTrue();
        assertThat(version.getStorage()).isTrue();
        assertThat(version.getSubresources().getStatus()).isNotNull();
        var root = version.getSchema().getOpenAPIV3Schema();
        assertThat(root.getType()).isEqualTo("object");
        assertThat(root.getRequired()).containsExactly("spec");
        assertThat(root.getProperties().get("spec").getProperties())
                .containsKeys("engine", "replicas", "journal", "ports", "properties", "image");
        JSONSchemaProps replicas = root.getProperties().get("spec").getProperties().get("replicas");
        assertThat(List.of(replicas.getMinimum(), replicas.getMaximum())).containsExactly(1.0, 7.0);
        assertThat(replicas.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .containsExactly("self % 2 == 1");
        // And every field of HaSpec has its place in the spec, credentials as Secret references only
        assertThat(root.getProperties().get("spec").getProperties()).containsKeys("resources", "secretProperties",
                "restrictJournalTraffic", "clusterDomain", "backupVolume", "clients");
        assertThat(root.getProperties().get("spec").getProperties().get("secretProperties")
                .getAdditionalProperties().getSchema().getRequired()).containsExactlyInAnyOrder("secret", "key");
        // And the ports and the cluster domain cannot change once the runtime exists
        assertThat(root.getProperties().get("spec").getXKubernetesValidations())
                .extracting(ValidationRule::getFieldPath).containsExactlyInAnyOrder(".ports", ".clusterDomain");
        // And kubectl get shows the phase (the Ready condition's reason), the leader and the age
        assertThat(version.getAdditionalPrinterColumns()).extracting(column -> column.getName())
                .contains("Phase", "Leader", "Age");
        assertThat(root.getProperties().get("status").getProperties())
                .containsKeys("conditions", "replicaChange", "blockedBy", "observedGeneration", "restore", "steps");
        // And a restore names its backup, and its progress is recorded in the status
        JSONSchemaProps restore = root.getProperties().get("spec").getProperties().get("restore");
        assertThat(restore.getRequired()).containsExactly("backupName");
        assertThat(root.getProperties().get("spec").getProperties().get("backupVolume").getRequired())
                .containsExactlyInAnyOrder("claimName", "mountPath");
        assertThat(root.getProperties().get("status").getProperties().get("restore").getProperties())
                .containsKeys("backupName", "backupUid", "location", "phase", "endedAt", "message");
    }

    @Test
    void theBackupCrdHasAnImmutableSpecWithExactlyOneTargetAndAStatusSubresource() throws IOException {
        // Given the backup CRD manifest
        CustomResourceDefinition crd = (CustomResourceDefinition) read("crd-backup.yaml").get(0);

        // Then it serves the backup resource in the runtime's group and version, with a status subresource
        assertThat(crd.getMetadata().getName()).isEqualTo(HasMetadata.getFullResourceName(CacheRuntimeBackup.class));
        assertThat(crd.getSpec().getGroup()).isEqualTo(CacheRuntime.GROUP);
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo("CacheRuntimeBackup");
        CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
        assertThat(version.getName()).isEqualTo(CacheRuntime.VERSION);
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(version.getSchema().getOpenAPIV3Schema().getRequired()).containsExactly("spec");
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        // And its spec cannot change once created, needs a runtime and a target with exactly one kind
        assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .containsExactly("self == oldSelf");
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("runtimeName", "target");
        JSONSchemaProps target = spec.getProperties().get("target");
        assertThat(target.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .containsExactly("has(self.sharedVolume) != has(self.underStorage)");
        assertThat(target.getProperties()).containsOnlyKeys("sharedVolume", "underStorage");
        // And its status has the phase and the backup it took
        JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties()).containsKey("phase");
        assertThat(status.getProperties().get("backup").getProperties())
                .containsKeys("engine", "namespace", "runtime", "targetKind", "targetDirectory", "location",
                        "takenBy");
        assertThat(status.getProperties()).containsKeys("conditions", "observedGeneration", "message");
    }

    @Test
    void theRoleGrantsNoWildcardAndWhatTheControllerNeeds() throws IOException {
        // Given the RBAC manifest and the controller's ServiceAccount
        List<HasMetadata> objects = read("rbac.yaml");
        ServiceAccount account = serviceAccount();

        // Then it holds a Role and a RoleBinding of the one to the ServiceAccount
        Role role = only(objects, Role.class);
        RoleBinding binding = only(objects, RoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> isTheAccount(subject, account));
        // And no rule has a wildcard
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResources()).isNotEmpty().doesNotContain("*");
            assertThat(rule.getVerbs()).isNotEmpty().doesNotContain("*");
        }
        // And it grants exec, claim deletion and the status patch the controller sends
        assertThat(role.getRules()).anyMatch(rule -> rule.getResources().contains("pods/exec")
                && rule.getVerbs().contains("create"));
        assertThat(role.getRules()).anyMatch(rule -> rule.getResources().contains("persistentvolumeclaims")
                && rule.getVerbs().contains("delete"));
        assertThat(role.getRules()).anyMatch(rule -> rule.getResources().contains("cacheruntimes/status")
                && rule.getVerbs().contains("patch"));
        // And it grants the Events of kubectl describe (created, and patched to count a repeat), and the patch
        // that keeps the role label of the master pods
        assertThat(role.getRules()).anyMatch(rule -> rule.getApiGroups().equals(List.of(""))
                && rule.getResources().equals(List.of("events"))
                && Set.copyOf(rule.getVerbs()).equals(Set.of("create", "patch")));
        assertThat(role.getRules()).anyMatch(rule -> rule.getResources().equals(List.of("pods"))
                && rule.getVerbs().contains("patch"));
        // And backups are read and their status patched, never their spec written
        assertThat(role.getRules()).anyMatch(rule -> rule.getResources().contains("cacheruntimebackups")
                && rule.getVerbs().containsAll(List.of("get", "list", "watch")));
        assertThat(role.getRules()).anyMatch(rule -> rule.getResources().contains("cacheruntimebackups/status")
                && rule.getVerbs().contains("patch"));
        assertThat(role.getRules()).noneMatch(rule -> rule.getResources().contains("cacheruntimebackups")
                && (rule.getVerbs().contains("create") || rule.getVerbs().contains("update")
                        || rule.getVerbs().contains("patch") || rule.getVerbs().contains("delete")));
        // And nothing the controller does not send: no create or update of claims, no pod create
        assertThat(role.getRules()).noneMatch(rule -> rule.getResources().contains("persistentvolumeclaims")
                && (rule.getVerbs().contains("create") || rule.getVerbs().contains("update")));
    }

    private static ServiceAccount serviceAccount() throws IOException {
        return (ServiceAccount) read("serviceaccount.yaml").get(0);
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).reduce((first, second) -> {
            throw new AssertionError("more than one " + kind.getSimpleName());
        }).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName()));
    }

    private static void isTheAccount(Subject subject, ServiceAccount account) {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
        assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    }

    @Test
    void theClusterRoleForEveryNamespaceGrantsExactlyTheRulesOfTheNamespacedRole() throws IOException {
        // Given the RBAC of the namespaced mode and of the all-namespaces mode
        Role role = only(read("rbac.yaml"), Role.class);
        List<HasMetadata> cluster = read("rbac-cluster.yaml");
        ClusterRole clusterRole = only(cluster, ClusterRole.class);
        ClusterRoleBinding binding = only(cluster, ClusterRoleBinding.class);

        // Then the two grant the same rules, in the same order: one list of what the controller sends
        assertThat(clusterRole.getRules()).isEqualTo(role.getRules());
        // And the ClusterRole is bound, cluster-wide, to the controller's ServiceAccount
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(clusterRole.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> isTheAccount(subject,
                serviceAccount()));
    }

    @Test
    void theLeaderElectionRoleGrantsWhatJosdkChecksAndFabric8SendsOnTheDefaultLeaseAlone() throws IOException {
        // Given the leader election's Role and RoleBinding
        List<HasMetadata> objects = read("leader-election.yaml");
        Role role = only(objects, Role.class);
        RoleBinding binding = only(objects, RoleBinding.class);
        ServiceAccount account = serviceAccount();

        // Then it lives in the controller's own namespace, where the Lease is by default, bound to its account
        assertThat(role.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> isTheAccount(subject, account));
        // And it grants leases only: create (which cannot be limited by name), and on the default Lease alone
        // get, update (what JOSDK's SelfSubjectRulesReview check asks for) and patch (fabric8 renews by patch)
        assertThat(role.getRules()).allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(rule.getResources()).containsExactly("leases");
        });
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResourceNames()).isEmpty();
            assertThat(rule.getVerbs()).containsExactly("create");
        });
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResourceNames()).containsExactly(DeploymentSettings.DEFAULT_LEASE_NAME);
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update", "patch");
        });
        assertThat(role.getRules()).hasSize(2);
        // And the namespaced Role, repeated in every watched namespace, grants no Lease
        assertThat(only(read("rbac.yaml"), Role.class).getRules())
                .noneMatch(rule -> rule.getResources().contains("leases"));
    }
}
