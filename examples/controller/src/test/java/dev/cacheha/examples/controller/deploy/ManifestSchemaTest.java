package dev.cacheha.examples.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.testkit.RestrictedPodCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under {@code deploy/} as the Kubernetes API server would judge it: strictly read into its model
 * (fabric8's models come from the API's OpenAPI document), no wildcard in any role. Each check is also shown to fail
 * a manifest that breaks it, so a green run means something. The CRDs' schemas are generated
 * ({@link GeneratedCrdsTest}), and the real API server installs them in the real-cluster tests.
 */
class ManifestSchemaTest {

    private static final Path DEPLOY = Path.of("deploy");
    /** A small CRD's head, up to its spec's names, for the tests that break what follows. */
    private static final String THINGS_CRD_SPEC = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: things.example.dev}
            spec:
              group: example.dev
              scope: Namespaced
              names: {kind: Thing, plural: things}
            """;

    private static List<HasMetadata> deployed() throws IOException {
        List<HasMetadata> documents = new ArrayList<>();
        for (Path file : StrictManifestReading.manifestFiles(DEPLOY)) {
            documents.addAll(StrictManifestReading.documents(file));
        }
        return documents;
    }

    private static <T> List<T> deployed(Class<T> kind) throws IOException {
        return deployed().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Test
    void everyManifestReadsIntoItsModelWithNoUnknownField() throws IOException {
        // Given every YAML file under deploy/
        List<Path> files = StrictManifestReading.manifestFiles(DEPLOY);
        assertThat(files).isNotEmpty();

        for (Path file : files) {
            // When each is read into fabric8 models
            List<HasMetadata> documents = StrictManifestReading.documents(file);

            // Then it holds documents, none with a field the API does not declare
            assertThat(documents).as(file.toString()).isNotEmpty();
            assertThat(documents.stream().flatMap(document -> StrictManifestReading.unknownFields(document).stream()))
                    .as(file.toString()).isEmpty();
        }
    }

    @Test
    void aMisspeltOrMisplacedFieldIsReportedWithItsPath() {
        // Given a Role with a misspelt field in a rule and a CRD with a field placed one level too high
        String yaml = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: reader, namespace: data, lables: {a: b}}
                rules:
                  - apiGroups: [""]
                    resources: [pods]
                    verb: [get]
                ---
                """ + THINGS_CRD_SPEC + """
                  subresources: {status: {}}
                  versions:
                    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}
                """;

        // When it is read strictly
        List<String> unknown = StrictManifestReading.documents(yaml).stream()
                .flatMap(document -> StrictManifestReading.unknownFields(document).stream()).toList();

        // Then each wrong field is named with its path, all at once
        assertThat(unknown).containsExactly(
                "Role/reader:.metadata.lables is not a field of ObjectMeta",
                "Role/reader:.rules[0].verb is not a field of PolicyRule",
                "CustomResourceDefinition/things.example.dev:.spec.subresources is not a field of"
                        + " CustomResourceDefinitionSpec");
    }

    @Test
    void aMisspeltSchemaKeywordFailsTheReading() {
        // Given a CRD whose schema misspells "properties"
        String yaml = THINGS_CRD_SPEC + """
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema: {openAPIV3Schema: {type: object, propertys: {a: {type: string}}}}
                """;

        // When it is read, Then the reading fails naming the keyword (schema models keep no unknown fields)
        assertThatThrownBy(() -> StrictManifestReading.documents(yaml)).hasMessageContaining("propertys");
    }

    private static List<String> wildcards(List<PolicyRule> rules, String owner) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            String path = owner + ".rules[" + i + "]";
            Map<String, List<String>> fields = new TreeMap<>();
            fields.put("apiGroups", rule.getApiGroups());
            fields.put("nonResourceURLs", rule.getNonResourceURLs());
            fields.put("resourceNames", rule.getResourceNames());
            fields.put("resources", rule.getResources());
            fields.put("verbs", rule.getVerbs());
            fields.forEach((field, values) -> {
                if (values != null && values.stream().anyMatch(value -> value.contains("*"))) {
                    found.add(path + "." + field + ": no wildcard");
                }
            });
        }
        return found;
    }

    @Test
    void noDeployedRoleHasAWildcard() throws IOException {
        // Given the roles under deploy/
        List<Role> roles = deployed(Role.class);
        List<ClusterRole> clusterRoles = deployed(ClusterRole.class);
        assertThat(roles.size() + clusterRoles.size()).isPositive();

        // Then no rule grants anything through a wildcard
        roles.forEach(role -> assertThat(wildcards(role.getRules(), "Role/" + role.getMetadata().getName()))
                .isEmpty());
        clusterRoles.forEach(role -> assertThat(wildcards(role.getRules(),
                "ClusterRole/" + role.getMetadata().getName())).isEmpty());
    }

    @Test
    void aWildcardRoleIsReported() {
        // Given a role granting every verb on every resource of its group
        Role role = new RoleBuilder().withNewMetadata().withName("greedy").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("apps").withResources("*").withVerbs("*").build())
                .build();

        // When its rules are checked, Then both wildcards are named
        assertThat(wildcards(role.getRules(), "Role/greedy"))
                .containsExactly("Role/greedy.rules[0].resources: no wildcard",
                        "Role/greedy.rules[0].verbs: no wildcard");
    }

    @Test
    void everyDeployedPodIsRestrictedButForTheTokenTheControllerNeeds() throws IOException {
        // Given the Deployments under deploy/
        List<Deployment> deployments = deployed(Deployment.class);
        assertThat(deployments).isNotEmpty();

        for (Deployment deployment : deployments) {
            // When each pod template is judged as Pod Security "restricted" (plus requests, a memory limit and
            // start-up, readiness and liveness probes on declared ports) would judge it
            List<String> findings = RestrictedPodCheck.findings(deployment.getSpec().getTemplate().getSpec());

            // Then the one finding is the service account token, which masters never need but the controller
            // calls the API with; "restricted" itself does not forbid it
            assertThat(findings).as(deployment.getMetadata().getName()).containsExactly(
                    "automountServiceAccountToken: must be false: masters never call the Kubernetes API");
        }
    }
}
