package dev.cacheha.examples.cli.render;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cacheha.examples.cacheruntime.Admission;
import dev.cacheha.examples.cacheruntime.CacheRuntimeSpec;
import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a CacheRuntime manifest, the document {@code kubectl apply -f} takes:
 *
 * <pre>{@code
 * apiVersion: data.cacheha.dev/v1alpha1
 * kind: CacheRuntime
 * metadata: {name: sales, namespace: analytics}
 * spec: {engine: alluxio, replicas: 3, ...}
 * }</pre>
 *
 * <p>The document is walked against the types of {@link CacheRuntimeSpec} and {@link ObjectMeta} before it is
 * bound to them, so that every unknown field and every wrong type is reported at once, each with its path, instead
 * of the first one only. Paths are those of the runtime's status: spec fields relative to {@code spec}
 * ({@code journal.size}, {@code properties[key]}), {@code name} and {@code namespace} for the metadata's.
 * {@code status} is not read, as {@code kubectl apply} does not write it. Syntax errors stop reading; they are
 * reported with their line and column.
 */
public final class ManifestReader {

    /** The namespace of a runtime that names none, as with kubectl. */
    public static final String DEFAULT_NAMESPACE = "default";

    private static final List<String> FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");
    /** The maps keyed by engine property keys, whose entries HaSpec names {@code field[key]}. */
    private static final Set<String> PROPERTY_MAPS = Set.of("properties", "secretProperties");
    /** The first fields of the spec file {@code cache-ha render} read before it read manifests. */
    private static final Set<String> SPEC_FILE_FIELDS = Set.of("engine", "name", "namespace", "replicas");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Binds what the walk kept; it kept only known fields of the right types. */
    private static final ObjectMapper BINDING = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Jackson 2's words for a key given twice: {@code Duplicate field 'name' for `ObjectNode`: ...}. */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("^Duplicate field '([^']*)'");

    private final List<Violation> problems = new ArrayList<>();

    private ManifestReader() {}

    /**
     * Reads the manifest {@code text}.
     *
     * @param source the file's name, used in messages about the document as a whole
     * @return what the manifest says, with the problems found in it (possibly none)
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
        if (root == null || root.isMissingNode() || root.isNull() || !root.isObject()) {
            String found = root == null || root.isMissingNode() || root.isNull() ? "empty" : "a " + describe(root);
            throw new SpecValidationException(List.of(new Violation(source, "is " + found + "; a CacheRuntime"
                    + " manifest is a mapping with the fields " + FIELDS)));
        }
        return new ManifestReader().readManifest(root, source);
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

    private Reading readManifest(JsonNode root, String source) {
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                unknown.add(field);
                problems.add(new Violation(field, "is not a field of a CacheRuntime manifest; known fields: "
                        + FIELDS));
            }
        });
        if (unknown.stream().anyMatch(SPEC_FILE_FIELDS::contains)) {
            problems.add(new Violation(source, "looks like a cache-ha spec file of the old format; a CacheRuntime"
                    + " manifest has apiVersion: " + CacheRuntimeSpec.API_VERSION + ", kind: " + CacheRuntimeSpec.KIND
                    + ", metadata: {name, namespace} and the other fields under spec:"));
        }
        expect(root, "apiVersion", CacheRuntimeSpec.API_VERSION);
        expect(root, "kind", CacheRuntimeSpec.KIND);
        ObjectMeta metadata = BINDING.convertValue(metadata(root.path("metadata")), ObjectMeta.class);
        JsonNode spec = root.path("spec");
        CacheRuntimeSpec runtime = null;
        if (absent(spec)) {
            problems.add(new Violation("spec", "is required: it names the engine"));
        } else {
            JsonNode kept = walk(spec, type(CacheRuntimeSpec.class), "");
            runtime = kept == null ? null : BINDING.convertValue(kept, CacheRuntimeSpec.class);
        }
        return new Reading(metadata, Objects.requireNonNullElseGet(runtime, CacheRuntimeSpec::new), problems);
    }

    private void expect(JsonNode root, String field, String value) {
        JsonNode node = root.path(field);
        if (!node.isTextual() || !node.textValue().equals(value)) {
            problems.add(new Violation(field, (absent(node) ? "is required" : "is " + describe(node))
                    + "; a CacheRuntime has " + field + ": " + value));
        }
    }

    /**
     * The metadata, walked as {@link ObjectMeta}; its name and namespace are reported as {@code name} and
     * {@code namespace}, the paths HaSpec gives them.
     */
    private JsonNode metadata(JsonNode metadata) {
        if (absent(metadata)) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!metadata.isObject()) {
            wrongType("metadata", "a mapping", metadata);
            return JsonNodeFactory.instance.objectNode();
        }
        ObjectNode rest = metadata.deepCopy();
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        for (String field : List.of("name", "namespace")) {
            JsonNode value = rest.remove(field);
            if (value != null && !absent(value)) {
                if (value.isTextual()) {
                    kept.set(field, value);
                } else {
                    wrongType(field, "text", value);
                }
            }
        }
        JsonNode others = walk(rest, type(ObjectMeta.class), "metadata");
        if (others != null) {
            kept.setAll((ObjectNode) others);
        }
        return kept;
    }

    /**
     * {@code node} as {@code type} reads it, reporting at {@code path} every unknown field and wrong type in it;
     * returns what can be bound (the node without what was reported), or {@code null} if nothing can.
     */
    private JsonNode walk(JsonNode node, JavaType type, String path) {
        if (absent(node)) {
            return node;
        }
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return node.isTextual() ? node : wrongType(path, "text", node);
        }
        if (raw == Integer.class || raw == int.class) {
            return node.isIntegralNumber() && node.canConvertToInt() ? node : wrongType(path, "a whole number", node);
        }
        if (raw == Long.class || raw == long.class) {
            return node.isIntegralNumber() && node.canConvertToLong() ? node : wrongType(path, "a whole number", node);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return node.isBoolean() ? node : wrongType(path, "true or false", node);
        }
        if (raw == Quantity.class) {
            return node.isTextual() || node.isNumber() ? node : wrongType(path, "a quantity such as 500m or 2Gi", node);
        }
        if (type.isMapLikeType()) {
            return walkMap(node, type.getContentType(), path);
        }
        if (type.isCollectionLikeType()) {
            if (!node.isArray()) {
                return wrongType(path, "a list", node);
            }
            var kept = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                String at = path + "[" + i + "]";
                JsonNode element = absent(node.get(i)) ? wrongType(at, "an entry", node.get(i))
                        : walk(node.get(i), type.getContentType(), at);
                if (element != null) {
                    kept.add(element);
                }
            }
            return kept;
        }
        return walkObject(node, type, path);
    }

    private JsonNode walkMap(JsonNode node, JavaType values, String path) {
        if (!node.isObject()) {
            return wrongType(path, "a mapping", node);
        }
        boolean bracketed = PROPERTY_MAPS.contains(path);
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode value = walk(entry.getValue(), values, bracketed ? path + "[" + key + "]" : path + "." + key);
            if (value != null) {
                kept.set(key, value);
            }
        });
        return kept;
    }

    private JsonNode walkObject(JsonNode node, JavaType type, String path) {
        if (!node.isObject()) {
            return wrongType(path, "a mapping", node);
        }
        BeanDescription bean = BINDING.getDeserializationConfig().introspect(type);
        Map<String, JavaType> fields = new TreeMap<>();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.hasSetter() || property.hasField() || property.hasConstructorParameter()) {
                fields.put(property.getName(), property.getPrimaryType());
            }
        }
        if (fields.isEmpty() && bean.findAnySetterAccessor() != null) {
            // A type that declares no field but keeps any (such as FieldsV1 of managedFields) takes every key.
            return node;
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(entry -> {
            JavaType fieldType = fields.get(entry.getKey());
            if (fieldType == null) {
                problems.add(new Violation(prefix + entry.getKey(), "is not a field of "
                        + (path.isEmpty() ? "a CacheRuntime spec" : path) + "; known fields: " + fields.keySet()));
                return;
            }
            JsonNode value = walk(entry.getValue(), fieldType, prefix + entry.getKey());
            if (value != null) {
                kept.set(entry.getKey(), value);
            }
        });
        return kept;
    }

    private static JavaType type(Class<?> type) {
        return BINDING.constructType(type);
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
     * What a manifest says and what is wrong with it.
     *
     * @param metadata the runtime's metadata, with whatever of it could be read
     * @param spec the spec fields that could be read
     * @param problems unknown fields and values of the wrong type, each with its path
     */
    public record Reading(ObjectMeta metadata, CacheRuntimeSpec spec, List<Violation> problems) {
        public Reading {
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(spec, "spec");
            problems = List.copyOf(problems);
        }

        /**
         * The runtime as the document writes it (its own cluster domain and image), in namespace
         * {@value #DEFAULT_NAMESPACE} unless it names one.
         *
         * @param earlier problems found before, reported first with this reading's and the translation's
         * @throws SpecValidationException listing every problem
         */
        public TranslatedRuntime translate(HighAvailabilityProviders providers, List<Violation> earlier) {
            List<Violation> violations = new ArrayList<>(earlier);
            violations.addAll(problems);
            ObjectMeta placed = new ObjectMetaBuilder(metadata)
                    .withNamespace(Objects.requireNonNullElse(metadata.getNamespace(), DEFAULT_NAMESPACE)).build();
            TranslatedRuntime runtime = null;
            try {
                runtime = new CacheRuntimeTranslator(providers, Admission.asWritten()).translate(placed, spec);
            } catch (SpecValidationException invalid) {
                violations.addAll(invalid.violations());
            }
            SpecValidationException.throwIfAny(violations);
            return runtime;
        }
    }
}
