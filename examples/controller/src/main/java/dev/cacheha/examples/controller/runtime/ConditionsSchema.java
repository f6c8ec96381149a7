package dev.cacheha.examples.controller.runtime;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;

/**
 * What the CRD generator cannot read off a list of fabric8's {@link io.fabric8.kubernetes.api.model.Condition}
 * (a class without schema annotations), given to it through {@link SchemaCustomizer} on a status class whose
 * property {@code input} holds the conditions: the list is a map keyed by {@code type}, as Kubernetes' own
 * {@code metav1.Condition} lists are (a server-side apply merges conditions by type, and two of one type are
 * refused), and each condition has the fields and bounds Kubernetes gives {@code metav1.Condition}. Used by the
 * generator only, never at run time.
 */
public final class ConditionsSchema implements SchemaCustomizer.Customizer {

    /** The fields every condition has; {@code type} among them, as a list map's key must be. */
    private static final List<String> REQUIRED = List.of("type", "status", "lastTransitionTime", "reason", "message");

    @Override
    public JSONSchemaProps apply(JSONSchemaProps status, String input, KubernetesSerialization serialization) {
        JSONSchemaProps conditions = status.getProperties().get(input);
        if (conditions == null) {
            throw new IllegalArgumentException("the status schema has no property " + input + " to customize");
        }
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        JSONSchemaProps condition = conditions.getItems().getSchema();
        condition.setRequired(REQUIRED);
        Map<String, JSONSchemaProps> fields = condition.getProperties();
        fields.get("type").setMaxLength(316L);
        fields.get("status").setEnum(List.of(TextNode.valueOf("True"), TextNode.valueOf("False"),
                TextNode.valueOf("Unknown")));
        fields.get("observedGeneration").setMinimum(0.0);
        fields.get("lastTransitionTime").setFormat("date-time");
        fields.get("reason").setMaxLength(1024L);
        fields.get("message").setMaxLength(32768L);
        return status;
    }
}
