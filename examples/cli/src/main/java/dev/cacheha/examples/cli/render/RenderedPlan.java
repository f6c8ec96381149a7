package dev.cacheha.examples.cli.render;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A plan rendered into memory, in both forms {@code cache-ha render} offers, before anything is written: a
 * failure while rendering must leave stdout and the output directory untouched.
 *
 * <p>The stream form is what {@code kubectl apply -f -} reads: a leading comment block with the engine
 * properties (comments, so kubectl ignores them; the plan's ConfigMap already carries the same properties to
 * the masters), then one {@code ---}-separated document per object, in the plan's order.
 *
 * @param stream the multi-document YAML for stdout
 * @param files the files of {@code --output-dir}: {@code <kind>-<name>.yaml} per object, lower case, then
 *     {@value #PROPERTIES_FILE}
 */
public record RenderedPlan(String stream, List<RenderedFile> files) {

    /** The file of {@code --output-dir} that holds the engine properties. */
    public static final String PROPERTIES_FILE = "engine.properties";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String DOCUMENT_START = "---\n";

    public RenderedPlan {
        requireNonNull(stream, "stream");
        files = List.copyOf(files);
    }

    /** Renders {@code plan}, made for {@code spec}. */
    public static RenderedPlan of(HaSpec spec, HaPlan plan) {
        String properties = plan.propertiesFile();
        String configMap = plan.object(ConfigMap.class)
                .map(map -> "the ConfigMap " + map.getMetadata().getName() + " carries them to the masters")
                .orElse("the plan has no ConfigMap for them");
        StringBuilder stream = new StringBuilder()
                .append("# cache-ha plan: engine ").append(plan.engine())
                .append(", runtime ").append(spec.name()).append(" in namespace ").append(spec.namespace())
                .append(", ").append(spec.replicas()).append(spec.replicas() == 1 ? " master" : " masters")
                .append('\n')
                .append("# Engine properties (").append(configMap).append("; --output-dir writes them to ")
                .append(PROPERTIES_FILE).append("):\n");
        properties.lines().forEach(line -> stream.append("#   ").append(line).append('\n'));

        List<RenderedFile> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (HasMetadata object : plan.objects()) {
            String yaml = document(object);
            stream.append(yaml);
            String name = (object.getKind() + "-" + object.getMetadata().getName()).toLowerCase(Locale.ROOT) + ".yaml";
            if (!names.add(name)) {
                throw new IllegalStateException("the " + plan.engine() + " plan has two objects named " + name);
            }
            files.add(new RenderedFile(name, yaml));
        }
        files.add(new RenderedFile(PROPERTIES_FILE, "# " + plan.engine() + " properties of runtime "
                + spec.namespace() + "/" + spec.name() + ", rendered by cache-ha\n" + properties));
        return new RenderedPlan(stream.toString(), files);
    }

    /** One YAML document that starts with its own separator and ends with a line break. */
    private static String document(HasMetadata object) {
        String yaml = SERIALIZATION.asYaml(object);
        String started = yaml.startsWith(DOCUMENT_START) ? yaml : DOCUMENT_START + yaml;
        return started.endsWith("\n") ? started : started + "\n";
    }

    /**
     * A file of {@code --output-dir}.
     *
     * @param name the file name, without directories
     * @param content the text, UTF-8 when written
     */
    public record RenderedFile(String name, String content) {
        public RenderedFile {
            requireNonNull(name, "name");
            requireNonNull(content, "content");
        }
    }
}
