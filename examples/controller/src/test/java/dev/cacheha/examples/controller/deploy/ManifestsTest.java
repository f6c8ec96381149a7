package dev.cacheha.examples.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** An enum value of a schema, which the model holds as a JSON node: its text without the quotes. */
    private static String text(Object value) {
        return value.toString().replace("\"", "");
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
        assertThat(root.getProperties().get("spec").getProperties())
                .containsKeys("engine", "replicas", "journal", "ports", "properties", "image");
        assertThat(root.getProperties().get("spec").getProperties().get("replicas").getEnum()).hasSize(4);
        assertThat(root.getProperties().get("status").getProperties())
                .containsKeys("conditions", "replicaChange", "blockedBy", "observedGeneration", "restore");
        // And a restore names its backup, and its progress has the phases the controller writes
        JSONSchemaProps restore = root.getProperties().get("spec").getProperties().get("restore");
        assertThat(restore.getRequired()).containsExactly("backupName");
        assertThat(root.getProperties().get("spec").getProperties().get("backupVolume").getRequired())
                .containsExactlyInAnyOrder("claimName", "mountPath");
        assertThat(root.getProperties().get("status").getProperties().get("restore").getProperties())
                .containsKeys("backupName", "backupUid", "location", "phase", "nextStep", "stepDescription",
                        "message");
        assertThat(root.getProperties().get("status").getProperties().get("restore").getProperties().get("phase")
                .getEnum()).extracting(ManifestsTest::text)
                .containsExactlyInAnyOrder("Aborted", "Pending", "Refused", "Running", "Succeeded");
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
        JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        // And its spec cannot change once created, needs a runtime and a target with exactly one kind
        assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .containsExactly("self == oldSelf");
        assertThat(spec.getRequired()).containsExactlyInAnyOrder("runtimeName", "target");
        JSONSchemaProps target = spec.getProperties().get("target");
        assertThat(target.getXKubernetesValidations()).extracting(ValidationRule::getRule)
                .containsExactly("has(self.sharedVolume) != has(self.underStorage)");
        assertThat(target.getProperties()).containsOnlyKeys("sharedVolume", "underStorage");
        // And its status has the phases the controller writes and the backup it took
        JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties().get("phase").getEnum()).extracting(ManifestsTest::text)
                .containsExactlyInAnyOrder("Pending", "Running", "Succeeded", "Failed");
        assertThat(status.getProperties().get("backup").getProperties())
                .containsKeys("engine", "namespace", "runtime", "targetKind", "targetDirectory", "location",
                        "takenBy");
        assertThat(status.getProperties()).containsKeys("conditions", "observedGeneration", "message");
    }

    @Test
    void theRoleGrantsNoWildcardAndWhatTheControllerNeeds() throws IOException {
        // Given the RBAC manifest
        List<HasMetadata> objects = read("rbac.yaml");

        // Then it holds a ServiceAccount, a Role and a RoleBinding of the one to the other
        ServiceAccount account = objects.stream().filter(ServiceAccount.class::isInstance)
                .map(ServiceAccount.class::cast).findFirst().orElseThrow();
        Role role = objects.stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();
        RoleBinding binding = objects.stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast)
                .findFirst().orElseThrow();
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getName()).isEqualTo(account.getMetadata().getName()));
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
}
