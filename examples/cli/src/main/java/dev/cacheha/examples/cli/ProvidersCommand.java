package dev.cacheha.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cache-ha providers}: the engines whose high-availability provider is on the class path. */
@Command(
        name = "providers",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Lists the installed engines, sorted, one per line with the provider class, or as a JSON"
                + " array with --json.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:at least one provider is installed",
            "1:no provider is installed"
        })
final class ProvidersCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @ParentCommand
    private CacheHaCommand root;

    @Option(names = "--json", description = "Print [{\"engine\": ..., \"provider\": ...}, ...] instead of a table.")
    private boolean json;

    /**
     * One installed provider, as {@code --json} prints it.
     *
     * @param engine the engine name providers are looked up by
     * @param provider the provider's class
     */
    record InstalledProvider(String engine, String provider) {}

    @Override
    public Integer call() {
        var providers = root.providers();
        if (providers.installed().isEmpty()) {
            root.err().println("cache-ha providers: no high-availability provider is installed;"
                    + " put a provider jar (such as ha-alluxio) on the class path");
            return ExitCodes.FAILURE;
        }
        List<InstalledProvider> installed = providers.installed().stream().sorted()
                .map(engine -> new InstalledProvider(engine, providers.get(engine).getClass().getName()))
                .toList();
        if (json) {
            try {
                root.out().println(JSON.writeValueAsString(installed));
            } catch (JsonProcessingException impossible) {
                // Records of two strings always serialize; Jackson 2 declares the exception all the same.
                throw new UncheckedIOException(impossible);
            }
        } else {
            installed.forEach(provider -> root.out().printf("%-12s %s%n", provider.engine(), provider.provider()));
        }
        return ExitCodes.OK;
    }
}
