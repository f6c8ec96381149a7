package dev.cacheha.examples.controller.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads manifests into fabric8 model objects the way the API server reads them: a field the model does not know
 * is an error, not a silently kept extra.
 *
 * <p>fabric8's models are generated from the API's OpenAPI document, so a known field is one the API declares.
 * Most model classes keep unknown fields in an any-setter map instead of failing (the schema classes fail on
 * their own), so reading alone would accept a misspelt {@code servd: true}; {@link #unknownFields} walks the
 * objects and names every such field by its path.
 */
final class StrictManifestReading {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private StrictManifestReading() {
    }

    /** Every {@code *.yaml} in {@code directory}, sorted by name, so files added later are checked too. */
    static List<Path> manifestFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yaml"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    /** The documents of one YAML text (one or several, separated by {@code ---}), as fabric8 models. */
    static List<HasMetadata> documents(String yaml) {
        return asDocuments(SERIALIZATION.unmarshal(yaml));
    }

    /** The documents of one manifest file, as fabric8 models. */
    static List<HasMetadata> documents(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return asDocuments(SERIALIZATION.unmarshal(in));
        }
    }

    private static List<HasMetadata> asDocuments(Object parsed) {
        return parsed instanceof List<?> list ? list.stream().map(HasMetadata.class::cast).toList()
                : List.of((HasMetadata) parsed);
    }

    /** Every field of {@code document} its model does not declare, as {@code Kind/name: path}, all at once. */
    static List<String> unknownFields(HasMetadata document) {
        List<String> found = new ArrayList<>();
        String name = document.getMetadata() == null ? "?" : document.getMetadata().getName();
        walk(document, document.getKind() + "/" + name + ":", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> walk(entry, path + "." + key, found));
        } else if (value != null && value.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
            walkModel(value, path, found);
        }
    }

    private static void walkModel(Object model, String path, List<String> found) {
        // Sorted by name: the JVM lists methods in no fixed order, and the report should read the same every run.
        Method[] getters = model.getClass().getMethods();
        Arrays.sort(getters, Comparator.comparing(Method::getName));
        for (Method getter : getters) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties") && getter.getReturnType() == Map.class) {
                ((Map<?, ?>) invoke(getter, model)).keySet().stream().map(String::valueOf).sorted()
                        .forEach(key -> found.add(path + "." + key + " is not a field of "
                                + model.getClass().getSimpleName()));
            } else if (getter.isAnnotationPresent(JsonProperty.class)) {
                walk(invoke(getter, model), path + "." + getter.getAnnotation(JsonProperty.class).value(), found);
            }
        }
    }

    private static Object invoke(Method getter, Object model) {
        try {
            return getter.invoke(model);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter + " of a fabric8 model", e);
        }
    }
}
