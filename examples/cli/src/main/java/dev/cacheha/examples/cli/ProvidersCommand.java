package dev.cacheha.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cache-ha providers}: the engines whose high-availability provider is on the class path. */
@Command(
        name = "providers",
        mixinStandardHelpOptions = true,
        description = "Lists the installed engines, one per line, with the provider class.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:at least one provider is installed",
            "1:no provider is installed"
        })
final class ProvidersCommand implements Callable<Integer> {

    @ParentCommand
    private CacheHaCommand root;

    @Override
    public Integer call() {
        var providers = root.providers();
        if (providers.installed().isEmpty()) {
            root.err().println("cache-ha providers: no high-availability provider is installed;"
                    + " put a provider jar (such as ha-alluxio) on the class path");
            return ExitCodes.FAILURE;
        }
        for (String engine : providers.installed()) {
            root.out().printf("%-12s %s%n", engine, providers.get(engine).getClass().getName());
        }
        return ExitCodes.OK;
    }
}
