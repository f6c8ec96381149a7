package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.cli.CacheHaCommand;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.HighAvailabilityProviders;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * One run of {@code cache-ha render -f} in this JVM, on a runtime written as the manifest {@code kubectl apply -f}
 * would take: its name, namespace and spec, no status.
 *
 * @param exitCode the command's exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
public record CliRender(int exitCode, String out, String err) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Writes {@code runtime} as a manifest into {@code directory} and renders it with the installed providers. */
    public static CliRender of(CacheRuntime runtime, Path directory) throws IOException {
        CacheRuntime document = new CacheRuntime();
        document.setMetadata(new ObjectMetaBuilder().withName(runtime.getMetadata().getName())
                .withNamespace(runtime.getMetadata().getNamespace()).build());
        document.setSpec(runtime.getSpec());
        document.setStatus(null);
        Path manifest = Files.writeString(directory.resolve("runtime.yaml"), SERIALIZATION.asYaml(document),
                StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CacheHaCommand.commandLine(HighAvailabilityProviders.load());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute("render", "-f", manifest.toString());
        return new CliRender(exitCode, out.toString(), err.toString());
    }
}
