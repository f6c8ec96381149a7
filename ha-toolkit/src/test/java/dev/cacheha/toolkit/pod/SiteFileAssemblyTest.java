package dev.cacheha.toolkit.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SecretKeyReference;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init step that assembles a site file with secret properties, run by bash as the kubelet would run it. */
class SiteFileAssemblyTest {

    private static final SiteFileAssembly ASSEMBLY = new SiteFileAssembly("engine:1", "demo-site", "site.properties",
            "/opt/engine/conf", ProcessResources.of(Map.of("cpu", "50m", "memory", "32Mi"), Map.of("memory", "64Mi")));

    @Test
    void secretValuesArriveExactlyAsTheEngineReadsThemAndNothingElseChanges(@TempDir Path root)
            throws IOException, InterruptedException {
        // Given a site file with plain properties, an image conf dir, and secrets with every character the
        // properties format treats specially
        Path template = Files.createDirectories(root.resolve("template"));
        Files.writeString(template.resolve("site.properties"), "plain.key=plain value\n");
        Path imageConf = Files.createDirectories(root.resolve("image-conf"));
        Files.writeString(imageConf.resolve("log4j.properties"), "log4j.rootLogger=INFO\n");
        Path conf = Files.createDirectories(root.resolve("conf"));
        Map<String, String> secretValues = Map.of(
                "s3a.secretKey", "wJalr/K7MDENG+bPxRfi\\CYEX=AMPLE:KEY#!",
                "db.password", "  leading blanks\tand a tab",
                "api.token", "two\nlines\r\nand more");
        TreeMap<String, SecretKeyReference> references = new TreeMap<>();
        secretValues.keySet().forEach(key -> references.put(key, new SecretKeyReference("creds", key + "-data")));

        // When the rendered init container runs with its environment, Secret values filled in by data key
        Container init = ASSEMBLY.initContainer(references);
        ProcessBuilder builder = new ProcessBuilder(init.getCommand());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        for (EnvVar variable : init.getEnv()) {
            String value = variable.getValueFrom() == null
                    ? variable.getValue()
                    : secretValue(secretValues, variable.getValueFrom().getSecretKeyRef().getKey());
            builder.environment().put(variable.getName(), value
                    .replace("/opt/engine/conf", imageConf.toString())
                    .replace(SiteFileAssembly.ASSEMBLY_DIR, conf.toString())
                    .replace(SiteFileAssembly.TEMPLATE_DIR, template.toString()));
        }
        Process bash = builder.redirectErrorStream(true).start();
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // Then it succeeded, copied the image's files, and the site file reads back every value exactly
        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(conf.resolve("log4j.properties")).hasContent("log4j.rootLogger=INFO");
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(conf.resolve("site.properties"), StandardCharsets.ISO_8859_1)) {
            loaded.load(reader);
        }
        assertThat(loaded).containsEntry("plain.key", "plain value").hasSize(4);
        secretValues.forEach((key, value) -> assertThat(loaded.getProperty(key)).as(key).isEqualTo(value));
        // and no value is in the rendered container
        assertThat(init.toString()).doesNotContain("wJalr", "leading blanks", "two");
    }

    @Test
    void theDigestFollowsWhichSecretIsReferencedAndNotItsValue() {
        // Given the same site file with the credential in one Secret, then in another
        TreeMap<String, SecretKeyReference> first = new TreeMap<>(Map.of("k", new SecretKeyReference("old", "v")));
        TreeMap<String, SecretKeyReference> second = new TreeMap<>(Map.of("k", new SecretKeyReference("new", "v")));

        // Then the digests differ, and equal references give equal digests
        assertThat(SiteFileAssembly.digest("a=b\n", first)).isNotEqualTo(SiteFileAssembly.digest("a=b\n", second))
                .isEqualTo(SiteFileAssembly.digest("a=b\n", new TreeMap<>(first)));
    }

    private static String secretValue(Map<String, String> values, String dataKey) {
        return values.get(dataKey.substring(0, dataKey.length() - "-data".length()));
    }
}
