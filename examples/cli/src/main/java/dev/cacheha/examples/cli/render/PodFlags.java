package dev.cacheha.examples.cli.render;

import dev.cacheha.examples.cacheruntime.ResourcesSpec;
import dev.cacheha.examples.cacheruntime.SecretKeySpec;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code render} flags for what the masters' pods get, turned into spec values: {@code --request} and
 * {@code --limit} as {@code PROCESS.RESOURCE=QUANTITY} (such as {@code master.memory=4Gi}) and
 * {@code --secret-property} as {@code KEY=SECRET:KEY}. A flag that cannot be read is a violation naming the flag;
 * the values themselves are checked with the spec.
 */
final class PodFlags {

    private PodFlags() {}

    /** Resources by process from the {@code --request} and {@code --limit} flags (either may be {@code null}). */
    static Map<String, ResourcesSpec> resources(Map<String, String> requests, Map<String, String> limits,
            List<Violation> violations) {
        Map<String, Map<String, Quantity>> requestsByProcess = byProcess("--request", requests, violations);
        Map<String, Map<String, Quantity>> limitsByProcess = byProcess("--limit", limits, violations);
        Map<String, ResourcesSpec> resources = new LinkedHashMap<>();
        requestsByProcess.keySet().forEach(process -> resources.put(process, null));
        limitsByProcess.keySet().forEach(process -> resources.put(process, null));
        resources.replaceAll((process, unused) -> new ResourcesSpec(
                requestsByProcess.getOrDefault(process, Map.of()), limitsByProcess.getOrDefault(process, Map.of())));
        return resources;
    }

    private static Map<String, Map<String, Quantity>> byProcess(String flag, Map<String, String> values,
            List<Violation> violations) {
        Map<String, Map<String, Quantity>> byProcess = new LinkedHashMap<>();
        if (values == null) {
            return byProcess;
        }
        values.forEach((target, quantity) -> {
            int dot = target.lastIndexOf('.');
            if (dot <= 0 || dot == target.length() - 1) {
                violations.add(new Violation(flag, "\"" + target + "=" + quantity + "\" is not"
                        + " PROCESS.RESOURCE=QUANTITY, such as master.memory=4Gi"));
                return;
            }
            byProcess.computeIfAbsent(target.substring(0, dot), process -> new LinkedHashMap<>())
                    .put(target.substring(dot + 1), new Quantity(quantity));
        });
        return byProcess;
    }

    /** Secret references by property key from the {@code --secret-property} flags ({@code null} for none). */
    static Map<String, SecretKeySpec> secretProperties(Map<String, String> flags, List<Violation> violations) {
        Map<String, SecretKeySpec> references = new LinkedHashMap<>();
        if (flags == null) {
            return references;
        }
        flags.forEach((key, reference) -> {
            String[] parts = reference.split(":", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                violations.add(new Violation("--secret-property", "\"" + key + "=" + reference + "\" is not"
                        + " KEY=SECRET:KEY, such as s3a.secretKey=s3-credentials:secret-key"));
                return;
            }
            references.put(key, new SecretKeySpec(parts[0], parts[1]));
        });
        return references;
    }
}
