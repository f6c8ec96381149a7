package dev.cacheha.examples.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.testkit.RestrictedPodCheck;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest under {@code deploy/} as the Kubernetes API server would judge it: strictly read into its model
 * (fabric8's models come from the API's OpenAPI document), CRD schemas structural, no wildcard in any role. Each
 * check is also shown to fail a manifest that breaks it, so a green run means something.
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

    @Test
    void everyDeployedCrdHasAStructuralSchemaAndAStatusSubresource() throws IOException {
        // Given the CRDs under deploy/
        List<CustomResourceDefinition> crds = deployed(CustomResourceDefinition.class);
        assertThat(crds).isNotEmpty();

        // Then none breaks a rule of apiextensions.k8s.io/v1
        for (CustomResourceDefinition crd : crds) {
            assertThat(StructuralSchemaRules.violations(crd)).as(crd.getMetadata().getName()).isEmpty();
        }
    }

    static Stream<Arguments> brokenCrds() {
        return Stream.of(
                broken("an untyped node", crd -> rootProperties(crd).put("untyped", new JSONSchemaProps()),
                        "openAPIV3Schema.properties.untyped: type must be non-empty"),
                broken("properties beside additionalProperties", crd -> rootProperties(crd).put("both",
                                new JSONSchemaPropsBuilder().withType("object")
                                        .addToProperties("a", typed("string"))
                                        .withNewAdditionalProperties().withSchema(typed("string"))
                                        .endAdditionalProperties().build()),
                        "properties.both: properties and additionalProperties must not both be set"),
                broken("metadata constrained beyond its name", crd -> rootProperties(crd).put("metadata",
                                new JSONSchemaPropsBuilder().withType("object")
                                        .addToProperties("labels", typed("object")).build()),
                        "properties.metadata.properties.labels: the root's metadata may only constrain name"),
                broken("an array without items", crd -> rootProperties(crd).put("list", typed("array")),
                        "openAPIV3Schema.properties.list.items: an array must have items"),
                broken("a second storage version", crd -> crd.getSpec().getVersions().add(
                                new CustomResourceDefinitionVersionBuilder(firstVersion(crd)).withName("v0").build()),
                        "spec.versions: exactly one version must have storage: true, found 2"),
                broken("no storage version", crd -> firstVersion(crd).setStorage(false),
                        "spec.versions: exactly one version must have storage: true, found 0"),
                broken("no status subresource", crd -> firstVersion(crd).setSubresources(null),
                        ".subresources.status: must be present"),
                broken("an empty validation rule", crd -> firstVersion(crd).getSchema().getOpenAPIV3Schema()
                                .setXKubernetesValidations(List.of(new ValidationRuleBuilder().withRule(" ").build())),
                        "openAPIV3Schema.x-kubernetes-validations[0].rule: must be non-empty"));
    }

    private static Arguments broken(String what, Consumer<CustomResourceDefinition> breakIt, String reported) {
        return Arguments.of(what, breakIt, reported);
    }

    private static CustomResourceDefinitionVersion firstVersion(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().get(0);
    }

    private static Map<String, JSONSchemaProps> rootProperties(CustomResourceDefinition crd) {
        return firstVersion(crd).getSchema().getOpenAPIV3Schema().getProperties();
    }

    private static JSONSchemaProps typed(String type) {
        return new JSONSchemaPropsBuilder().withType(type).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCrds")
    void aCrdBreakingOneRuleIsReportedForThatRuleAlone(String what, Consumer<CustomResourceDefinition> breakIt,
            String reported) throws IOException {
        // Given the deployed CRD, broken in one way
        CustomResourceDefinition crd = deployed(CustomResourceDefinition.class).get(0);
        breakIt.accept(crd);

        // When its rules are checked, Then exactly that rule is reported, with its path
        assertThat(StructuralSchemaRules.violations(crd)).singleElement().asString().contains(reported);
    }

    @Test
    void untypedNodesTheApiServerAllowsAndANameConstraintPass() throws IOException {
        // Given the deployed CRD with an int-or-string node, a preserve-unknown-fields node and a name pattern
        CustomResourceDefinition crd = deployed(CustomResourceDefinition.class).get(0);
        rootProperties(crd).put("port", new JSONSchemaPropsBuilder().withXKubernetesIntOrString(true).build());
        rootProperties(crd).put("free", new JSONSchemaPropsBuilder().withXKubernetesPreserveUnknownFields(true)
                .build());
        rootProperties(crd).put("metadata", new JSONSchemaPropsBuilder().withType("object")
                .addToProperties("name", new JSONSchemaPropsBuilder().withType("string").withMaxLength(40L).build())
                .build());

        // When its rules are checked, Then none is reported: the rules are no stricter than the API server
        assertThat(StructuralSchemaRules.violations(crd)).isEmpty();
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
