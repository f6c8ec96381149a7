package dev.cacheha.examples.controller.reconcile;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The digest of everything a master reads when it starts: its pod template and the data of every ConfigMap
 * and Secret of the plan. The controller stamps it on the StatefulSet's pod template, so each pod carries the
 * digest it was created with; a pod whose digest differs runs an old configuration and is restarted, one at a
 * time. The StatefulSet uses {@code OnDelete}, so without this nothing would ever reach a running member.
 */
final class ConfigDigest {

    /** Pod-template (and so pod) annotation holding the digest. */
    static final String ANNOTATION = "data.cacheha.dev/config-digest";

    private ConfigDigest() {}

    /** The digest of {@code objects} (a plan's), independent of their order. */
    static String of(List<HasMetadata> objects, KubernetesSerialization serialization) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
        objects.stream()
                .sorted(Comparator.comparing((HasMetadata object) -> object.getKind())
                        .thenComparing(object -> object.getMetadata().getName()))
                .forEach(object -> {
                    Object read = null;
                    if (object instanceof StatefulSet statefulSet) {
                        read = statefulSet.getSpec().getTemplate();
                    } else if (object instanceof ConfigMap configMap) {
                        read = sorted(configMap.getData(), configMap.getBinaryData());
                    } else if (object instanceof Secret secret) {
                        read = sorted(secret.getData(), secret.getStringData());
                    }
                    if (read != null) {
                        sha256.update((object.getKind() + "/" + object.getMetadata().getName() + "\n").getBytes(UTF_8));
                        sha256.update(serialization.asJson(read).getBytes(UTF_8));
                    }
                });
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The digest the pods of {@code desired} (a planned StatefulSet) are created with. */
    static String planned(StatefulSet desired) {
        return desired.getSpec().getTemplate().getMetadata().getAnnotations().get(ANNOTATION);
    }

    /** The digest {@code pod} was created with, if it carries one. */
    static Optional<String> of(Pod pod) {
        return Optional.ofNullable(pod.getMetadata().getAnnotations()).map(annotations -> annotations.get(ANNOTATION));
    }

    /** Both maps of an object's data, each sorted, so equal data always gives equal bytes. */
    private static List<SortedMap<String, String>> sorted(Map<String, String> first, Map<String, String> second) {
        return List.of(new TreeMap<>(Objects.requireNonNullElse(first, Map.of())),
                new TreeMap<>(Objects.requireNonNullElse(second, Map.of())));
    }
}
