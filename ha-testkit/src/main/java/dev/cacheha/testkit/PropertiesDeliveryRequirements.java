package dev.cacheha.testkit;

import static dev.cacheha.testkit.SpecFixtures.NAME;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The plan's properties reach the engine: for every master container, the kit follows the plan's own objects
 * from each file the engine reads ({@link ProviderUnderTest#enginePropertiesFiles()}) back through the
 * container's volume mount and the pod's volume to a ConfigMap or Secret of the plan (directly or projected),
 * reads the file as a Java properties file, and requires every plan property there with its value. A
 * property the plan lists but no pod can read configures nothing.
 *
 * <p>A file in an {@code emptyDir} is followed through the init container that writes it, when that container
 * follows the provider toolkit's {@code SiteFileAssembly} convention: it mounts the volume writable at
 * {@value #ASSEMBLY_DIR_VARIABLE}, names the file {@value #ASSEMBLED_FILE_VARIABLE}, and copies it from
 * {@value #TEMPLATE_VARIABLE}, a file the kit follows in turn through the init container's own mounts to the
 * plan's objects. An {@code emptyDir} nothing assembles that way holds nothing the plan says.
 */
public abstract class PropertiesDeliveryRequirements extends ProviderRequirements {

    /** A property the kit adds to the spec, so the plan has at least one property that came from the user. */
    private static final String USER_KEY = "cache-ha.testkit.delivered";
    private static final String USER_VALUE = "to every master";

    /** The assembling init container's variable naming the directory it writes: its mount of the volume. */
    static final String ASSEMBLY_DIR_VARIABLE = "CACHE_HA_CONF";
    /** The assembling init container's variable naming the file it writes there. */
    static final String ASSEMBLED_FILE_VARIABLE = "CACHE_HA_SITE_FILE";
    /** The assembling init container's variable naming the file it copies, as it sees it. */
    static final String TEMPLATE_VARIABLE = "CACHE_HA_SITE_TEMPLATE";

    /** A group that checks {@code subject}. */
    protected PropertiesDeliveryRequirements(ProviderUnderTest subject) {
        super(subject);
    }

    @Test
    @DisplayName("delivers every plan property to every master container, in the files the engine reads")
    void deliversEveryPlanPropertyToEveryMasterContainer() {
        List<String> files = subject().enginePropertiesFiles();
        HaPlan plan = provider().plan(subject().validSpec(NAME, NAMESPACE).property(USER_KEY, USER_VALUE).build());

        assertThat(files).as("the files the engine reads its properties from: name them by overriding"
                + " enginePropertiesFiles() in the kit").isNotEmpty();
        assertThat(plan.properties()).as("plan properties").containsEntry(USER_KEY, USER_VALUE);
        List<Container> containers = PlanObjects.containers(plan);
        assertThat(containers).as("master containers").isNotEmpty();
        List<String> gaps = new ArrayList<>();
        for (Container container : containers) {
            Delivery delivery = new Delivery(plan, container);
            Map<String, String> read = new HashMap<>();
            files.forEach(file -> delivery.file(file).ifPresent(text -> read.putAll(parse(text))));
            gaps.addAll(delivery.gaps);
            plan.properties().forEach((key, value) -> {
                if (!read.containsKey(key)) {
                    gaps.add("container " + container.getName() + " cannot read property " + key);
                } else if (!read.get(key).equals(value)) {
                    gaps.add("container " + container.getName() + " reads property " + key + " as \""
                            + read.get(key) + "\", not \"" + value + "\"");
                }
            });
        }
        assertThat(gaps).as("properties that do not reach the files %s", files).isEmpty();
    }

    private static Map<String, String> parse(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException unreadable) {
            throw new AssertionError("a properties file of the plan cannot be read: " + unreadable, unreadable);
        }
        Map<String, String> entries = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> entries.put(key, properties.getProperty(key)));
        return entries;
    }

    /** Follows one container's files back to the plan's objects, noting every step that leads nowhere. */
    private static final class Delivery {
        private final HaPlan plan;
        private final Container container;
        private final List<String> gaps = new ArrayList<>();

        Delivery(HaPlan plan, Container container) {
            this.plan = plan;
            this.container = container;
        }

        /** The text of {@code path} as the container sees it, if an object of the plan provides it. */
        Optional<String> file(String path) {
            String where = "container " + container.getName() + ", file " + path;
            Optional<VolumeMount> mount = orEmpty(container.getVolumeMounts()).stream()
                    .filter(candidate -> covers(candidate.getMountPath(), path))
                    // The deepest mount hides the ones below it, as in the container's file system.
                    .max(Comparator.comparingInt(candidate -> candidate.getMountPath().length()));
            if (mount.isEmpty()) {
                return gap(where + ": no volume is mounted there");
            }
            if (mount.get().getSubPathExpr() != null && !mount.get().getSubPathExpr().isEmpty()) {
                return gap(where + ": mounted with a subPathExpr, which only the kubelet can expand");
            }
            Optional<String> inVolume = pathInVolume(mount.get(), path);
            if (inVolume.isEmpty()) {
                return gap(where + ": the mount at " + mount.get().getMountPath() + " puts a directory there");
            }
            Optional<Volume> volume = orEmpty(PlanObjects.podSpec(plan).getVolumes()).stream()
                    .filter(candidate -> candidate.getName().equals(mount.get().getName())).findFirst();
            if (volume.isEmpty()) {
                return gap(where + ": the pod has no volume " + mount.get().getName());
            }
            return fromVolume(volume.get(), inVolume.get(), where);
        }

        private static boolean covers(String mountPath, String path) {
            if (mountPath == null) {
                return false;
            }
            String directory = mountPath.endsWith("/") ? mountPath : mountPath + "/";
            return path.equals(mountPath) || path.startsWith(directory);
        }

        /** Where {@code path} is inside the mounted volume; empty when the mount makes it a directory. */
        private static Optional<String> pathInVolume(VolumeMount mount, String path) {
            String subPath = Objects.requireNonNullElse(mount.getSubPath(), "");
            if (path.equals(mount.getMountPath())) {
                return subPath.isEmpty() ? Optional.empty() : Optional.of(subPath);
            }
            String below = path.substring(mount.getMountPath().length()).replaceFirst("^/+", "");
            return Optional.of(subPath.isEmpty() ? below : subPath.replaceFirst("/+$", "") + "/" + below);
        }

        private Optional<String> fromVolume(Volume volume, String file, String where) {
            if (volume.getConfigMap() != null) {
                return fromConfigMap(volume.getConfigMap().getName(), volume.getConfigMap().getItems(), file, where);
            }
            if (volume.getSecret() != null) {
                return fromSecret(volume.getSecret().getSecretName(), volume.getSecret().getItems(), file, where);
            }
            if (volume.getProjected() != null) {
                for (VolumeProjection source : orEmpty(volume.getProjected().getSources())) {
                    Optional<String> text = Optional.empty();
                    if (source.getConfigMap() != null && key(source.getConfigMap().getItems(), file).isPresent()) {
                        text = fromConfigMap(source.getConfigMap().getName(), source.getConfigMap().getItems(), file,
                                where);
                    } else if (source.getSecret() != null && key(source.getSecret().getItems(), file).isPresent()) {
                        text = fromSecret(source.getSecret().getName(), source.getSecret().getItems(), file, where);
                    }
                    if (text.isPresent()) {
                        return text;
                    }
                }
                return gap(where + ": no source of projected volume " + volume.getName() + " provides " + file);
            }
            if (volume.getEmptyDir() != null) {
                return assembledInto(volume.getName(), file, where);
            }
            return gap(where + ": volume " + volume.getName() + " is neither a ConfigMap, a Secret nor a projection"
                    + " of them, so the plan does not say what it holds");
        }

        /** The file an init container assembles into emptyDir {@code volume}, followed to its template's source. */
        private Optional<String> assembledInto(String volume, String file, String where) {
            for (Container init : orEmpty(PlanObjects.podSpec(plan).getInitContainers())) {
                Map<String, String> env = new HashMap<>();
                orEmpty(init.getEnv()).stream().filter(variable -> variable.getValue() != null)
                        .forEach(variable -> env.put(variable.getName(), variable.getValue()));
                boolean writesThere = orEmpty(init.getVolumeMounts()).stream().anyMatch(mount ->
                        mount.getName().equals(volume) && !Boolean.TRUE.equals(mount.getReadOnly())
                                && Objects.requireNonNullElse(mount.getSubPath(), "").isEmpty()
                                && mount.getMountPath().equals(env.get(ASSEMBLY_DIR_VARIABLE)));
                if (writesThere && file.equals(env.get(ASSEMBLED_FILE_VARIABLE))
                        && env.containsKey(TEMPLATE_VARIABLE)) {
                    Delivery template = new Delivery(plan, init);
                    Optional<String> text = template.file(env.get(TEMPLATE_VARIABLE));
                    template.gaps.forEach(gap -> gaps.add(where + ", assembled by init container " + init.getName()
                            + " from " + gap));
                    return text;
                }
            }
            return gap(where + ": emptyDir " + volume + " is not assembled by an init container that writes " + file
                    + " there from the plan's objects (" + ASSEMBLY_DIR_VARIABLE + ", " + ASSEMBLED_FILE_VARIABLE
                    + ", " + TEMPLATE_VARIABLE + ")");
        }

        private Optional<String> fromConfigMap(String name, List<KeyToPath> items, String file, String where) {
            Optional<ConfigMap> configMap = named(ConfigMap.class, name);
            return fromKey("ConfigMap " + name, configMap.isPresent(), configMap.map(ConfigMap::getData),
                    configMap.map(ConfigMap::getBinaryData), items, file, where);
        }

        private Optional<String> fromSecret(String name, List<KeyToPath> items, String file, String where) {
            Optional<Secret> secret = named(Secret.class, name);
            return fromKey("Secret " + name, secret.isPresent(), secret.map(Secret::getStringData),
                    secret.map(Secret::getData), items, file, where);
        }

        private <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
            return PlanObjects.all(plan, type).stream()
                    .filter(candidate -> candidate.getMetadata().getName().equals(name)).findFirst();
        }

        /** The text under the key that lands at {@code file}, plain or base64 as the object keeps it. */
        private Optional<String> fromKey(String object, boolean inPlan, Optional<Map<String, String>> plain,
                Optional<Map<String, String>> base64, List<KeyToPath> items, String file, String where) {
            Optional<String> key = key(items, file);
            if (!inPlan || key.isEmpty()) {
                return gap(where + ": " + object + (!inPlan ? " is not in the plan"
                        : " is mounted without an item for " + file));
            }
            String text = plain.map(entries -> entries.get(key.get())).orElse(null);
            String encoded = base64.map(entries -> entries.get(key.get())).orElse(null);
            return text != null ? Optional.of(text)
                    : encoded != null ? decode(encoded, where + ": base64 key " + key.get() + " of " + object)
                    : gap(where + ": " + object + " has no key " + key.get());
        }

        /** The key whose content lands at {@code file}: the item with that path, or the key of that name. */
        private static Optional<String> key(List<KeyToPath> items, String file) {
            if (items == null || items.isEmpty()) {
                return file.contains("/") ? Optional.empty() : Optional.of(file);
            }
            return items.stream().filter(item -> file.equals(item.getPath())).map(KeyToPath::getKey).findFirst();
        }

        private Optional<String> decode(String base64, String what) {
            try {
                return Optional.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notBase64) {
                return gap(what + " is not base64: " + notBase64.getMessage());
            }
        }

        private static <T> List<T> orEmpty(List<T> list) {
            return list == null ? List.of() : list;
        }

        private <T> Optional<T> gap(String why) {
            gaps.add(why);
            return Optional.empty();
        }
    }
}
