package dev.cacheha.examples.cli.render;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SecretKeyReference;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a runtime spec file: one YAML document with the fields below. Every field is optional except
 * {@code engine} and {@code name}; see {@link RuntimeInput} for the defaults.
 *
 * <pre>{@code
 * engine: alluxio
 * name: demo
 * namespace: default
 * replicas: 3
 * journal: {type: pvc, storageClass: standard, size: 10Gi, accessModes: [ReadWriteOnce]}
 * #        or {type: memory, sizeLimit: 2Gi}, or {type: disk, sizeLimit: 20Gi}
 * clusterDomain: cluster.local
 * ports: {web: 19999}
 * properties: {alluxio.user.block.size.bytes.default: 64MB}
 * image: alluxio/alluxio:2.9.6
 * restrictJournalTraffic: true      # the default; false renders no NetworkPolicy
 * resources: {master: {requests: {cpu: 1, memory: 2Gi}, limits: {memory: 4Gi}}}
 * secretProperties: {s3a.secretKey: {secret: s3-credentials, key: secret-key}}
 * }</pre>
 *
 * <p>The document is read as a tree and walked field by field, rather than bound to a class, so that every
 * unknown field and every wrong type is reported at once, each with its path, instead of the first one only.
 * Syntax errors stop reading; they are reported with their line and column.
 */
public final class SpecFileReader {

    private static final List<String> FIELDS = List.of("engine", "name", "namespace", "replicas", "journal",
            "clusterDomain", "ports", "properties", "image", "restrictJournalTraffic", "resources",
            "secretProperties");
    private static final List<String> RESOURCES_FIELDS = List.of("requests", "limits");
    private static final List<String> SECRET_REFERENCE_FIELDS = List.of("secret", "key");
    private static final List<String> JOURNAL_FIELDS =
            List.of("type", "storageClass", "size", "accessModes", "sizeLimit");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Jackson 2's words for a key given twice: {@code Duplicate field 'name' for `ObjectNode`: ...}. */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate field '([^']*)'");

    private final List<Violation> problems = new ArrayList<>();

    private SpecFileReader() {}

    /**
     * Reads the spec file {@code text}.
     *
     * @param source the file's name, used in messages about the document as a whole
     * @return what the file says, with the problems found in it (possibly none)
     * @throws SpecValidationException if the text is not one YAML mapping, so no field can be read
     */
    public static Reading read(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException syntax) {
            JsonLocation at = syntax.getLocation();
            String where = at == null || at.getLineNr() < 1
                    ? source
                    : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new SpecValidationException(List.of(new Violation(where, syntaxRule(syntax.getOriginalMessage()))));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SpecValidationException(List.of(new Violation(source, "is empty; a runtime spec is a"
                    + " mapping with the fields " + FIELDS)));
        }
        if (!root.isObject()) {
            throw new SpecValidationException(List.of(new Violation(source, "is a " + describe(root)
                    + "; a runtime spec is a mapping with the fields " + FIELDS)));
        }
        return new SpecFileReader().readRuntime(root);
    }

    /**
     * The parser's message without the excerpt it appends on further lines (the location is already given),
     * and a duplicate key said without Jackson's internals.
     */
    private static String syntaxRule(String message) {
        Matcher duplicate = DUPLICATE_KEY.matcher(message);
        if (duplicate.find()) {
            return "the key \"" + duplicate.group(1) + "\" appears twice in one mapping";
        }
        return message.lines().findFirst().orElse(message).strip();
    }

    private Reading readRuntime(JsonNode root) {
        rejectUnknown(root, "", FIELDS);
        JsonNode journal = root.path("journal");
        if (!journal.isMissingNode() && !journal.isNull() && !journal.isObject()) {
            problems.add(new Violation("journal", "must be a mapping with the fields " + JOURNAL_FIELDS
                    + ", not a " + describe(journal)));
            journal = MissingNode.getInstance();
        }
        rejectUnknown(journal, "journal.", JOURNAL_FIELDS);
        RuntimeInput input = new RuntimeInput(
                string(root, "", "engine"),
                string(root, "", "name"),
                string(root, "", "namespace"),
                integer(root, "", "replicas"),
                string(journal, "journal.", "type"),
                string(journal, "journal.", "storageClass"),
                string(journal, "journal.", "size"),
                stringList(journal, "journal.", "accessModes"),
                string(journal, "journal.", "sizeLimit"),
                string(root, "", "clusterDomain"),
                map(root, "ports", "a port number", node -> node.isInt() ? node.intValue() : null),
                map(root, "properties", "a scalar (text, number or boolean)",
                        node -> node.isValueNode() && !node.isNull() ? node.asText() : null),
                string(root, "", "image"),
                bool(root, "", "restrictJournalTraffic"),
                resources(root),
                secretProperties(root));
        return new Reading(input, problems);
    }

    /** {@code resources}: process name to {@code {requests, limits}}, each resource name to a quantity. */
    private Map<String, ProcessResources> resources(JsonNode root) {
        Map<String, JsonNode> processes = mapping(root, "", "resources");
        Map<String, ProcessResources> resources = new LinkedHashMap<>();
        processes.forEach((process, node) -> {
            String prefix = "resources." + process + ".";
            if (!node.isObject()) {
                wrongType(prefix.substring(0, prefix.length() - 1), "a mapping with the fields " + RESOURCES_FIELDS,
                        node);
                return;
            }
            rejectUnknown(node, prefix, RESOURCES_FIELDS);
            resources.put(process, ProcessResources.of(quantities(node, prefix, "requests"),
                    quantities(node, prefix, "limits")));
        });
        return resources;
    }

    private Map<String, String> quantities(JsonNode parent, String prefix, String field) {
        Map<String, String> quantities = new LinkedHashMap<>();
        mapping(parent, prefix, field).forEach((resource, value) -> {
            if (value.isValueNode() && !value.isNull() && !value.isBoolean()) {
                quantities.put(resource, value.asText());
            } else {
                wrongType(prefix + field + "." + resource, "a quantity such as 500m or 2Gi", value);
            }
        });
        return quantities;
    }

    /** {@code secretProperties}: property key to {@code {secret, key}}. */
    private Map<String, SecretKeyReference> secretProperties(JsonNode root) {
        Map<String, SecretKeyReference> references = new LinkedHashMap<>();
        mapping(root, "", "secretProperties").forEach((key, node) -> {
            String field = "secretProperties[" + key + "]";
            if (!node.isObject()) {
                wrongType(field, "a mapping with the fields " + SECRET_REFERENCE_FIELDS, node);
                return;
            }
            rejectUnknown(node, field + ".", SECRET_REFERENCE_FIELDS);
            String secret = string(node, field + ".", "secret");
            String dataKey = string(node, field + ".", "key");
            for (String part : SECRET_REFERENCE_FIELDS) {
                if (absent(node.path(part))) {
                    problems.add(new Violation(field + "." + part, "is required: the "
                            + (part.equals("secret") ? "Secret's name" : "key in the Secret's data")));
                }
            }
            if (secret != null && dataKey != null) {
                references.put(key, new SecretKeyReference(secret, dataKey));
            }
        });
        return references;
    }

    /** The entries of mapping {@code field}, or none (with a problem) if it is absent or not a mapping. */
    private Map<String, JsonNode> mapping(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.path(field);
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        if (absent(node)) {
            return entries;
        }
        if (!node.isObject()) {
            wrongType(prefix + field, "a mapping", node);
            return entries;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            entries.put(entry.getKey(), entry.getValue());
        }
        return entries;
    }

    private void rejectUnknown(JsonNode mapping, String prefix, List<String> known) {
        for (Map.Entry<String, JsonNode> property : mapping.properties()) {
            String field = property.getKey();
            if (!known.contains(field)) {
                problems.add(new Violation(prefix + field, "is not a field of "
                        + (prefix.isEmpty() ? "a runtime spec" : prefix.substring(0, prefix.length() - 1))
                        + "; known fields: " + known));
            }
        }
    }

    private String string(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            return wrongType(prefix + field, "text", node);
        }
        return node.textValue();
    }

    private Integer integer(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isInt()) {
            return wrongType(prefix + field, "a whole number", node);
        }
        return node.intValue();
    }

    private Boolean bool(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isBoolean()) {
            return wrongType(prefix + field, "true or false", node);
        }
        return node.booleanValue();
    }

    private List<String> stringList(JsonNode parent, String prefix, String field) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isArray()) {
            return wrongType(prefix + field, "a list of text", node);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (element.isTextual()) {
                values.add(element.textValue());
            } else {
                wrongType(prefix + field + "[" + i + "]", "text", element);
            }
        }
        return values;
    }

    /** A mapping of {@code field} whose values {@code value} converts, or returns {@code null} for if unfit. */
    private <V> Map<String, V> map(JsonNode parent, String field, String expected, Function<JsonNode, V> value) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        if (!node.isObject()) {
            return wrongType(field, "a mapping", node);
        }
        Map<String, V> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            V converted = value.apply(entry.getValue());
            if (converted == null) {
                wrongType(field + "." + entry.getKey(), expected, entry.getValue());
            } else {
                values.put(entry.getKey(), converted);
            }
        }
        return values;
    }

    private <T> T wrongType(String field, String expected, JsonNode actual) {
        problems.add(new Violation(field, "must be " + expected + ", not " + describe(actual)));
        return null;
    }

    /** An explicit {@code null} (as in {@code name:} with no value) counts as absent, as it does in Kubernetes. */
    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "mapping";
        }
        if (node.isArray()) {
            return "list";
        }
        String kind = node.isTextual() ? "text" : node.isNumber() ? "number" : node.isBoolean() ? "boolean" : "value";
        String shown = node.isTextual() ? "\"" + node.textValue() + "\"" : node.asText();
        return kind + " " + shown;
    }

    /**
     * What a spec file says and what is wrong with it.
     *
     * @param input the fields that could be read
     * @param problems unknown fields and values of the wrong type, each with its path
     */
    public record Reading(RuntimeInput input, List<Violation> problems) {
        public Reading {
            Objects.requireNonNull(input, "input");
            problems = List.copyOf(problems);
        }
    }
}
