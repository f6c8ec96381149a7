package dev.cacheha.toolkit.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.SecretKeyReference;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The init step that assembles a site file with secret properties, run as the kubelet would run it: by the
 * image's {@code sh}, and by bash as old as the alluxio 2.9 image's (CentOS 7, bash 4.2) and as new as the host's.
 */
class SiteFileAssemblyTest {

    private static final SiteFileAssembly ASSEMBLY = new SiteFileAssembly("engine:1", "demo-site", "site.properties",
            "/opt/engine/conf", ProcessResources.of(Map.of("cpu", "50m", "memory", "32Mi"), Map.of("memory", "64Mi")));

    /** The shells an image may run the step with. */
    enum Shell {
        /** The rendered command as it is: {@code sh} (dash on this host). */
        RENDERED_SH(List.of(), Map.of()),
        /** The host's bash (5.x). */
        HOST_BASH(List.of("bash"), Map.of()),
        /** bash behaving as bash 4.2, the alluxio 2.9 image's, whose {@code ${v//...}} quoting differs. */
        BASH_4_2(List.of("bash"), Map.of("BASH_COMPAT", "42"));

        final List<String> interpreter;
        final Map<String, String> environment;

        Shell(List<String> interpreter, Map<String, String> environment) {
            this.interpreter = interpreter;
            this.environment = environment;
        }
    }

    /** Secret values with every character the properties format or a shell treats specially. */
    private static final Map<String, String> SECRET_VALUES = Map.of(
            "aws.accessKeyId", "AKIA\\",
            "aws.secretKey", "s3cr\\u0065t",
            "s3a.secretKey", "wJalr/K7MDENG+bPxRfi\\CYEX=AMPLE:KEY#!",
            "db.password", "  leading blanks\tand a tab and a form\ffeed",
            "api.token", "two\nlines\r\nand a lone\rreturn\n",
            "comment.like", "#!=: starts like a comment",
            "non.latin1", "пароль 密码 \u00e9 \uD83D\uDE00 end",
            "shell.like", "$(id) `id` ${HOME} $$ \\\\ '\"",
            "empty", "");

    @ParameterizedTest
    @EnumSource(Shell.class)
    void secretValuesReadBackExactlyWithPropertiesLoadWhateverTheShell(Shell shell, @TempDir Path root)
            throws IOException, InterruptedException {
        // Given a site file with plain properties, an image conf dir, and Secrets holding awkward values
        TreeMap<String, SecretKeyReference> references = new TreeMap<>();
        SECRET_VALUES.keySet().forEach(key -> references.put(key, new SecretKeyReference("creds", key + "-data")));

        // When the rendered init container runs with that shell
        Container init = ASSEMBLY.initContainer(references);
        Run run = run(init, shell, root, SECRET_VALUES);

        // Then it succeeded, copied the image's files, and Properties.load(InputStream), which Alluxio 2.9 reads
        // the site file with (ISO-8859-1), reads back every value exactly
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(root.resolve("conf/log4j.properties")).hasContent("log4j.rootLogger=INFO");
        Path site = root.resolve("conf/site.properties");
        Properties loaded = new Properties();
        try (InputStream in = Files.newInputStream(site)) {
            loaded.load(in);
        }
        assertThat(loaded).containsEntry("plain.key", "plain value").hasSize(SECRET_VALUES.size() + 1);
        SECRET_VALUES.forEach((key, value) -> assertThat(loaded.getProperty(key)).as(key).isEqualTo(value));
        // and the file is ASCII, so an engine reading it as UTF-8 reads the same
        assertThat(Files.readString(site, StandardCharsets.ISO_8859_1)).matches("[\\x20-\\x7e\\n]*");
        // and no value is in the rendered container
        assertThat(init.toString()).doesNotContain("AKIA", "s3cr", "wJalr", "leading blanks", "пароль");
    }

    @Test
    void aSecretValueThatIsNotUtf8FailsTheStepInsteadOfArrivingChanged(@TempDir Path root)
            throws IOException, InterruptedException {
        // Given the value escaper fed a byte that starts no UTF-8 character (0xFF) and a truncated sequence
        for (String bytes : List.of("\\377", "ok\\303")) {
            // When the step's escaper reads it
            Process escape = new ProcessBuilder("sh", "-c", "printf '" + bytes + "' | od -An -v -tu1 | LC_ALL=C awk '"
                    + SiteFileAssembly.ESCAPE_PROGRAM + "'").redirectErrorStream(true).start();
            assertThat(escape.waitFor(20, TimeUnit.SECONDS)).isTrue();

            // Then it exits 3, which the script turns into a failed step naming the property
            assertThat(escape.exitValue()).as(bytes).isEqualTo(3);
        }
        assertThat(SiteFileAssembly.SCRIPT).contains("is not UTF-8 text\" >&2; exit 1");
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

    private record Run(int exitCode, String output) {}

    /** Runs {@code init} as the kubelet would, Secret values filled in by data key, paths moved under root. */
    private static Run run(Container init, Shell shell, Path root, Map<String, String> secretValues)
            throws IOException, InterruptedException {
        Path template = Files.createDirectories(root.resolve("template"));
        Files.writeString(template.resolve("site.properties"), "plain.key=plain value\n");
        Path imageConf = Files.createDirectories(root.resolve("image-conf"));
        Files.writeString(imageConf.resolve("log4j.properties"), "log4j.rootLogger=INFO\n");
        Path conf = Files.createDirectories(root.resolve("conf"));
        List<String> command = new ArrayList<>(init.getCommand());
        if (!shell.interpreter.isEmpty()) {
            command.set(0, shell.interpreter.get(0));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(shell.environment);
        for (EnvVar variable : init.getEnv()) {
            String value = variable.getValueFrom() == null
                    ? variable.getValue()
                    : secretValue(secretValues, variable.getValueFrom().getSecretKeyRef().getKey());
            builder.environment().put(variable.getName(), value
                    .replace("/opt/engine/conf", imageConf.toString())
                    .replace(SiteFileAssembly.ASSEMBLY_DIR, conf.toString())
                    .replace(SiteFileAssembly.TEMPLATE_DIR, template.toString()));
        }
        Process process = builder.redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.exitValue(), output);
    }

    private static String secretValue(Map<String, String> values, String dataKey) {
        return values.get(dataKey.substring(0, dataKey.length() - "-data".length()));
    }
}
