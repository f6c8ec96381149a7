package dev.cacheha.toolkit.pod;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Printable;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SecretKeyReference;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Delivers an engine's Java properties file (its site file) to the master containers, with secret-backed
 * properties added without their values ever being written anywhere but the pod's memory.
 *
 * <p>How: the plan's ConfigMap holds the site file with the plain properties only. An init container, from the
 * engine's own image, copies the image's configuration directory into an in-memory {@code emptyDir}, writes the
 * ConfigMap's site file there, and appends one {@code key=value} line per secret property, the value read from
 * an environment variable that Kubernetes fills from the Secret ({@code secretKeyRef}). The master containers
 * mount that {@code emptyDir} as their configuration directory; they never see the Secret themselves.
 *
 * <p>What that exposes, and why this delivery: the value exists in the Secret, in the init container's
 * environment while it runs (readable only by the pod's user and the node's root) and in a tmpfs file of the
 * pod (never on the node's disk). It is never in the ConfigMap, an annotation, a literal environment value, a
 * command line (an option such as {@code -Dkey=$(VAR)} would put it in {@code /proc/<pid>/cmdline}, readable by
 * every process of the pod, and would be split at blanks by the engine's launch scripts), the plan or any file
 * the CLI writes. The script is fixed text; keys and values reach it only as environment variables, so no spec
 * value becomes shell syntax. The script is POSIX shell and escapes values with POSIX {@code od} and {@code awk},
 * never with a shell's own substitutions, so any {@code sh} gives the same file; the file is ASCII, and
 * {@link java.util.Properties#load} reads back every value as it is in the Secret.
 *
 * @param image the engine's image, which must have {@code sh}, {@code od} and {@code awk}
 * @param configMap the ConfigMap holding the site file under the key {@code siteFile}
 * @param siteFile the site file's name, both as ConfigMap key and in the configuration directory
 * @param imageConfDir the image's configuration directory: copied, then replaced by the assembled one
 * @param resources the init container's resources
 */
public record SiteFileAssembly(String image, String configMap, String siteFile, String imageConfDir,
        ProcessResources resources) {

    /** The init container's name. */
    public static final String INIT_CONTAINER = "site-file";
    /** The in-memory volume holding the assembled configuration directory. */
    public static final String CONF_VOLUME = "conf";
    /** The volume of the ConfigMap's site file, read only by the init container. */
    public static final String TEMPLATE_VOLUME = "site-template";
    /** Where the init container sees the ConfigMap's site file. */
    public static final String TEMPLATE_DIR = "/etc/cache-ha/site";
    /** Where the init container writes the configuration directory. */
    public static final String ASSEMBLY_DIR = "/etc/cache-ha/conf";
    /** The environment variable prefix of the secret properties, numbered from 1 in key order. */
    public static final String SECRET_PREFIX = "CACHE_HA_SECRET_";

    /** The configuration directory holds a few small files; a cap keeps a mistake from filling memory. */
    private static final String CONF_SIZE_LIMIT = "16Mi";

    /**
     * Writes the Secret value on standard input as a properties-file value on one line, for any bytes the shell
     * hands it and any shell: POSIX {@code awk} over {@code od}'s decimal bytes, so no quoting rule of the shell
     * (bash 4.2 and 5 differ in {@code ${v//...}}) touches the value. Backslashes, line breaks, tabs, form
     * feeds, blanks and {@code = : # !} get a backslash; every other character outside printable ASCII becomes
     * <code>&#92;uXXXX</code> (UTF-8 decoded, surrogate pairs above U+FFFF), so the line is ASCII and reads
     * back the same whether the engine reads the file as ISO-8859-1 ({@code Properties.load(InputStream)}, as
     * Alluxio 2.9 does) or as UTF-8. Text that is not UTF-8 exits with status 3, which fails the init step: it
     * has no value to give.
     */
    static final String ESCAPE_PROGRAM = String.join("\n",
            "function unit(n) { printf \"\\\\u%04x\", n }",
            "function put(c) {",
            "  if (c >= 65536) { c -= 65536; unit(55296 + int(c / 1024)); unit(56320 + c % 1024) }",
            "  else if (c == 92) printf \"%s\", \"\\\\\\\\\"",
            "  else if (c == 10) printf \"%s\", \"\\\\n\"",
            "  else if (c == 13) printf \"%s\", \"\\\\r\"",
            "  else if (c == 9) printf \"%s\", \"\\\\t\"",
            "  else if (c == 12) printf \"%s\", \"\\\\f\"",
            "  else if (c == 32 || c == 33 || c == 35 || c == 58 || c == 61) printf \"\\\\%c\", c",
            "  else if (c < 32 || c > 126) unit(c)",
            "  else printf \"%c\", c",
            "}",
            "function take(b) {",
            "  if (left > 0) {",
            "    if (b < 128 || b > 191) { bad = 1; exit }",
            "    c = c * 64 + b - 128; left--",
            "    if (left == 0 && (c < least || c > 1114111 || (c >= 55296 && c <= 57343))) { bad = 1; exit }",
            "    if (left == 0) put(c)",
            "  } else if (b < 128) put(b)",
            "  else if (b >= 194 && b <= 223) { c = b - 192; left = 1; least = 128 }",
            "  else if (b >= 224 && b <= 239) { c = b - 224; left = 2; least = 2048 }",
            "  else if (b >= 240 && b <= 244) { c = b - 240; left = 3; least = 65536 }",
            "  else { bad = 1; exit }",
            "}",
            "{ for (f = 1; f <= NF; f++) take($f + 0) }",
            "END { if (bad || left > 0) exit 3; printf \"\\n\" }");

    /**
     * The init container's script: POSIX shell, fixed text, every input an environment variable. Keys arrive
     * escaped for the properties format (they are known when the plan is made); values are escaped by
     * {@link #ESCAPE_PROGRAM}. {@code eval} only ever reads a variable whose name is built from the loop counter.
     */
    static final String SCRIPT = String.join("\n",
            "set -eu",
            "for tool in od awk; do",
            "  command -v \"$tool\" > /dev/null || { echo \"cache-ha: the image has no $tool\" >&2; exit 1; }",
            "done",
            "cp -R \"$CACHE_HA_IMAGE_CONF/.\" \"$CACHE_HA_CONF/\"",
            "site=\"$CACHE_HA_CONF/$CACHE_HA_SITE_FILE\"",
            "cp \"$CACHE_HA_SITE_TEMPLATE\" \"$site\"",
            "i=1",
            "while [ \"$i\" -le \"$CACHE_HA_SECRET_COUNT\" ]; do",
            "  eval \"key=\\$CACHE_HA_SECRET_${i}_KEY value=\\$CACHE_HA_SECRET_${i}_VALUE\"",
            "  printf '%s=' \"$key\" >> \"$site\"",
            "  printf '%s' \"$value\" | od -An -v -tu1 | LC_ALL=C awk '" + ESCAPE_PROGRAM + "' >> \"$site\" || {",
            "    echo \"cache-ha: the Secret value of secret property $key is not UTF-8 text\" >&2; exit 1; }",
            "  i=$((i + 1))",
            "done",
            "");

    /** Requires every part. */
    public SiteFileAssembly {
        requireNonNull(image, "image");
        requireNonNull(configMap, "configMap");
        requireNonNull(siteFile, "siteFile");
        requireNonNull(imageConfDir, "imageConfDir");
        requireNonNull(resources, "resources");
    }

    /**
     * A violation for every secret property of {@code spec}, for a provider of {@code engine} that delivers its
     * properties without this assembly (a ConfigMap mounted as is) and so has no way to deliver a Secret's value.
     */
    public static List<Violation> undelivered(HaSpec spec, String engine) {
        return spec.secretProperties().keySet().stream().map(key -> new Violation("secretProperties["
                + Printable.escape(key) + "]", "the " + engine + " provider delivers its properties file as is and"
                + " cannot add a Secret's value to it; set it in configuration your controller mounts from a Secret"))
                .toList();
    }

    /** The init container that assembles the configuration directory, with {@code secretProperties} added. */
    public Container initContainer(SortedMap<String, SecretKeyReference> secretProperties) {
        Container init = new Container();
        init.setName(INIT_CONTAINER);
        init.setImage(image);
        init.getCommand().addAll(List.of("sh", "-c", SCRIPT));
        List<EnvVar> env = init.getEnv();
        env.add(literal("CACHE_HA_IMAGE_CONF", imageConfDir));
        env.add(literal("CACHE_HA_CONF", ASSEMBLY_DIR));
        env.add(literal("CACHE_HA_SITE_TEMPLATE", TEMPLATE_DIR + "/" + siteFile));
        env.add(literal("CACHE_HA_SITE_FILE", siteFile));
        env.add(literal("CACHE_HA_SECRET_COUNT", Integer.toString(secretProperties.size())));
        int index = 1;
        for (Map.Entry<String, SecretKeyReference> property : secretProperties.entrySet()) {
            // The key is escaped here, where it is known; the value only in the pod, where it is.
            String escapedKey = HaPlan.propertiesFile(Map.of(property.getKey(), "")).strip();
            env.add(literal(SECRET_PREFIX + index + "_KEY", escapedKey.substring(0, escapedKey.length() - 1)));
            env.add(fromSecret(SECRET_PREFIX + index + "_VALUE", property.getValue()));
            index++;
        }
        init.getVolumeMounts().add(mount(TEMPLATE_VOLUME, TEMPLATE_DIR, true));
        init.getVolumeMounts().add(mount(CONF_VOLUME, ASSEMBLY_DIR, false));
        init.setResources(ContainerResources.requirements(resources));
        return init;
    }

    /** The two volumes: the ConfigMap's site file and the in-memory configuration directory. */
    public List<Volume> volumes() {
        ConfigMapVolumeSource source = new ConfigMapVolumeSource();
        source.setName(configMap);
        KeyToPath item = new KeyToPath();
        item.setKey(siteFile);
        item.setPath(siteFile);
        source.getItems().add(item);
        Volume template = new Volume();
        template.setName(TEMPLATE_VOLUME);
        template.setConfigMap(source);
        EmptyDirVolumeSource inMemory = new EmptyDirVolumeSource();
        inMemory.setMedium("Memory");
        inMemory.setSizeLimit(new Quantity(CONF_SIZE_LIMIT));
        Volume conf = new Volume();
        conf.setName(CONF_VOLUME);
        conf.setEmptyDir(inMemory);
        return new ArrayList<>(List.of(template, conf));
    }

    /**
     * The engine containers' mount of the assembled configuration directory at the image's. Writable: engine
     * entrypoints write environment files there.
     */
    public VolumeMount confMount() {
        return mount(CONF_VOLUME, imageConfDir, false);
    }

    /**
     * The digest of what the pods are configured with: the site file and which Secret key each secret property
     * comes from, never a secret value. A new reference changes it, so pods created before the change show as
     * outdated; a new value in the same Secret key does not, as Kubernetes does not restart pods for it either.
     */
    public static String digest(String siteFile, SortedMap<String, SecretKeyReference> secretProperties) {
        StringBuilder configured = new StringBuilder(siteFile);
        secretProperties.forEach((key, reference) -> configured.append("\n# from secret: ").append(key)
                .append('=').append(reference.secret()).append(':').append(reference.key()));
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(configured.toString().getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException everyJdkHasIt) {
            throw new IllegalStateException(everyJdkHasIt);
        }
    }

    private static EnvVar literal(String name, String value) {
        EnvVar variable = new EnvVar();
        variable.setName(name);
        variable.setValue(value);
        return variable;
    }

    private static EnvVar fromSecret(String name, SecretKeyReference reference) {
        SecretKeySelector selector = new SecretKeySelector();
        selector.setName(reference.secret());
        selector.setKey(reference.key());
        selector.setOptional(false);
        EnvVarSource source = new EnvVarSource();
        source.setSecretKeyRef(selector);
        EnvVar variable = new EnvVar();
        variable.setName(name);
        variable.setValueFrom(source);
        return variable;
    }

    private static VolumeMount mount(String volume, String path, boolean readOnly) {
        VolumeMount mount = new VolumeMount();
        mount.setName(volume);
        mount.setMountPath(path);
        if (readOnly) {
            mount.setReadOnly(true);
        }
        return mount;
    }
}
