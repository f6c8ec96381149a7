package dev.cacheha.alluxio;

import dev.cacheha.spi.HaPlan;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a plan as a multi-document YAML stream: the properties and addresses first, then every object. */
final class PlanYaml {

    private PlanYaml() {}

    static String of(HaPlan plan) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("engine", plan.engine());
        summary.put("properties", plan.properties());
        summary.put("journalAddresses", plan.journalAddresses().stream().map(Object::toString).toList());
        StringBuilder yaml = new StringBuilder(document(summary));
        plan.objects().forEach(object -> yaml.append(document(object)));
        return yaml.toString();
    }

    /** One document, always opened by its own marker whatever the serializer's defaults. */
    private static String document(Object value) {
        String yaml = Serialization.asYaml(value);
        return yaml.startsWith("---") ? yaml : "---\n" + yaml;
    }
}
