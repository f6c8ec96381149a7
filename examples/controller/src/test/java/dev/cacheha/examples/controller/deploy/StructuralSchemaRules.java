package dev.cacheha.examples.controller.deploy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules apiextensions.k8s.io/v1 applies before it accepts a CustomResourceDefinition, as far as the API
 * server's "structural schema" check and this controller's needs go, with every violation named by its path.
 *
 * <p>A fabric8 model object can hold a schema the API server refuses (an untyped node, an array without items),
 * so reading the CRD as a model proves only its field names; these rules prove the schema itself.
 */
final class StructuralSchemaRules {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** What a schema may say about the root's metadata: the API server fills in the rest itself. */
    private static final Set<String> METADATA_KEYWORDS = Set.of("type", "properties");
    private static final Set<String> METADATA_FIELDS = Set.of("name", "generateName");

    private StructuralSchemaRules() {
    }

    /** Every rule {@code crd} breaks, as {@code path: rule}, all at once; empty when the API server accepts it. */
    static List<String> violations(CustomResourceDefinition crd) {
        List<String> found = new ArrayList<>();
        List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
        long storageVersions = versions.stream().filter(version -> Boolean.TRUE.equals(version.getStorage()))
                .count();
        if (storageVersions != 1) {
            found.add("spec.versions: exactly one version must have storage: true, found " + storageVersions);
        }
        for (CustomResourceDefinitionVersion version : versions) {
            String path = "spec.versions[" + version.getName() + "]";
            if (version.getSubresources() == null || version.getSubresources().getStatus() == null) {
                found.add(path + ".subresources.status: must be present, the controller writes status through it");
            }
            if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
                found.add(path + ".schema.openAPIV3Schema: must be set, apiextensions.k8s.io/v1 requires a schema");
                continue;
            }
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            String rootPath = path + ".schema.openAPIV3Schema";
            checkNode(root, rootPath, false, found);
            checkRootMetadata(root, rootPath, found);
        }
        return found;
    }

    private static void checkNode(JSONSchemaProps node, String path, boolean insideJunctor, List<String> found) {
        boolean untypedAllowed = Boolean.TRUE.equals(node.getXKubernetesIntOrString())
                || Boolean.TRUE.equals(node.getXKubernetesPreserveUnknownFields());
        // Inside allOf/anyOf/oneOf/not a node only adds value checks to the typed node around it.
        if (!insideJunctor && !untypedAllowed && (node.getType() == null || node.getType().isBlank())) {
            found.add(path + ": type must be non-empty (unless x-kubernetes-int-or-string"
                    + " or x-kubernetes-preserve-unknown-fields)");
        }
        boolean hasProperties = node.getProperties() != null && !node.getProperties().isEmpty();
        if (hasProperties && node.getAdditionalProperties() != null) {
            found.add(path + ": properties and additionalProperties must not both be set");
        }
        if ("array".equals(node.getType()) && (node.getItems() == null || node.getItems().getSchema() == null)) {
            found.add(path + ".items: an array must have items, given as one schema");
        }
        List<ValidationRule> validations = node.getXKubernetesValidations();
        for (int i = 0; validations != null && i < validations.size(); i++) {
            if (validations.get(i).getRule() == null || validations.get(i).getRule().isBlank()) {
                found.add(path + ".x-kubernetes-validations[" + i + "].rule: must be non-empty");
            }
        }
        if (hasProperties) {
            new TreeMap<>(node.getProperties()).forEach((name, child) ->
                    checkNode(child, path + ".properties." + name, insideJunctor, found));
        }
        if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
            checkNode(node.getAdditionalProperties().getSchema(), path + ".additionalProperties", insideJunctor,
                    found);
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            checkNode(node.getItems().getSchema(), path + ".items", insideJunctor, found);
        }
        checkJunctor(node.getAllOf(), path + ".allOf", found);
        checkJunctor(node.getAnyOf(), path + ".anyOf", found);
        checkJunctor(node.getOneOf(), path + ".oneOf", found);
        if (node.getNot() != null) {
            checkNode(node.getNot(), path + ".not", true, found);
        }
    }

    private static void checkJunctor(List<JSONSchemaProps> branches, String path, List<String> found) {
        for (int i = 0; branches != null && i < branches.size(); i++) {
            checkNode(branches.get(i), path + "[" + i + "]", true, found);
        }
    }

    private static void checkRootMetadata(JSONSchemaProps root, String rootPath, List<String> found) {
        JSONSchemaProps metadata = root.getProperties() == null ? null : root.getProperties().get("metadata");
        if (metadata == null) {
            return;
        }
        String path = rootPath + ".properties.metadata";
        Map<?, ?> said = SERIALIZATION.convertValue(metadata, Map.class);
        said.keySet().stream().map(String::valueOf).filter(keyword -> !METADATA_KEYWORDS.contains(keyword)).sorted()
                .forEach(keyword -> found.add(path + "." + keyword
                        + ": the root's metadata may only constrain name and generateName"));
        if (metadata.getType() != null && !"object".equals(metadata.getType())) {
            found.add(path + ".type: the root's metadata must be of type object");
        }
        if (metadata.getProperties() != null) {
            metadata.getProperties().keySet().stream().filter(field -> !METADATA_FIELDS.contains(field)).sorted()
                    .forEach(field -> found.add(path + ".properties." + field
                            + ": the root's metadata may only constrain name and generateName"));
        }
    }
}
