package dev.cacheha.examples.controller.reconcile;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digest of one object exactly as the controller plans it, stamped on the object as an annotation. It is what
 * tells that a plain (non-map) field left the plan of an object the controller created and never applied: the
 * server records a create's fields together with every default it filled in then, so in that record a field the
 * controller sent cannot be told from a default, and only the keys of maps are known to be the controller's
 * ({@link OwnedFields}). A plan that changed in any way changes the digest, which is a difference in a field the
 * controller sets; the apply that follows makes the fields the controller's by {@code Apply}, which removes the
 * field. An unchanged plan gives the same digest, so a resync still writes nothing.
 */
final class PlanDigest {

    /** The annotation holding the digest of the object's plan. */
    static final String ANNOTATION = "data.cacheha.dev/plan-digest";

    private PlanDigest() {}

    /** The digest of {@code object}, independent of the order of its maps' keys. */
    static String of(HasMetadata object, KubernetesSerialization serialization) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
        Object canonical = sorted(serialization.convertValue(object, Map.class));
        return HexFormat.of().formatHex(sha256.digest(serialization.asJson(canonical).getBytes(UTF_8)));
    }

    /** {@code tree} with every map's keys sorted, so equal objects always give equal bytes. */
    private static Object sorted(Object tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, value) -> sorted.put(String.valueOf(key), sorted(value)));
            return sorted;
        }
        if (tree instanceof List<?> list) {
            return list.stream().map(PlanDigest::sorted).toList();
        }
        return tree;
    }
}
