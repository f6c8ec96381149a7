package dev.cacheha.examples.cli.render;

import dev.cacheha.examples.cli.BuildVersion;
import dev.cacheha.examples.cli.CacheHaCommand;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.examples.cli.render.RuntimeInput.ResolvedRuntime;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cache-ha render}: a runtime's plan as YAML for {@code kubectl apply -f -}, or as files. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        sortOptions = false,
        description = {
            "Prints the plan of a runtime as multi-document YAML that 'kubectl apply -f -' accepts.",
            "The runtime comes from a spec file (-f) or from flags, not both. The engine properties lead the"
                    + " output as a comment block (the plan's ConfigMap carries them to the masters).",
            "With --output-dir, writes <kind>-<name>.yaml per object and " + RenderedPlan.PROPERTIES_FILE
                    + " instead, and prints the paths. A directory that is not empty is refused unless --force;"
                    + " then only those files are replaced and every other file is left as it is.",
            "Bad input is reported all at once, each problem with its field path, and nothing is printed or"
                    + " written."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the plan was printed or written",
            "1:writing the output directory failed; what was written was removed",
            "2:bad input (options, spec file, spec rules); nothing was printed or written"
        })
public final class RenderCommand implements Callable<Integer> {

    @ParentCommand
    private CacheHaCommand root;

    @Spec
    private CommandSpec command;

    @Option(names = {"-f", "--file"}, paramLabel = "runtime.yaml",
            description = "A runtime spec file (engine, name, namespace, replicas, journal {type, storageClass,"
                    + " size, accessModes, sizeLimit}, clusterDomain, ports, properties, image,"
                    + " restrictJournalTraffic, resources, secretProperties). Unknown fields are errors.")
    private Path file;

    @Option(names = "--engine", description = "The engine, as listed by 'cache-ha providers'.")
    private String engine;

    @Option(names = "--name", description = "The runtime's name, a DNS-1123 label.")
    private String name;

    @Option(names = "--namespace", description = "The runtime's namespace (default: " + RuntimeInput.DEFAULT_NAMESPACE
            + ").")
    private String namespace;

    @Option(names = "--replicas", description = "Masters in the quorum: 1, 3, 5 or 7 (default: 3).")
    private Integer replicas;

    @Option(names = "--journal", paramLabel = "pvc|memory|disk",
            description = "Where masters keep the journal (default: pvc).")
    private String journal;

    @Option(names = "--storage-class", description = "pvc journal: the claims' storage class (default: standard).")
    private String storageClass;

    @Option(names = "--size", description = "pvc journal: the claims' size (default: " + RuntimeInput.DEFAULT_PVC_SIZE
            + ").")
    private String size;

    @Option(names = "--access-mode", paramLabel = "MODE",
            description = "pvc journal: an access mode of the claims; repeatable (default: ReadWriteOnce).")
    private List<String> accessModes;

    @Option(names = "--size-limit", description = "memory or disk journal: the emptyDir size limit (required there).")
    private String sizeLimit;

    @Option(names = "--cluster-domain", description = "The cluster's DNS domain (default: cluster.local).")
    private String clusterDomain;

    @Option(names = "--property", paramLabel = "KEY=VALUE", description = "An extra engine property; repeatable.")
    private Map<String, String> properties;

    @Option(names = "--port", paramLabel = "NAME=NUMBER", description = "A port override by port name; repeatable.")
    private Map<String, Integer> ports;

    @Option(names = "--image", description = "The masters' container image.")
    private String image;

    @Option(names = "--restrict-journal-traffic", negatable = true,
            description = "Add a NetworkPolicy that opens the journal ports to this runtime's masters only"
                    + " (default: on; --no-restrict-journal-traffic turns it off).")
    private Boolean restrictJournalTraffic;

    @Option(names = "--request", paramLabel = "PROCESS.RESOURCE=QUANTITY",
            description = "A resource request of one engine process, such as master.cpu=2; repeatable (defaults:"
                    + " see the provider).")
    private Map<String, String> requests;

    @Option(names = "--limit", paramLabel = "PROCESS.RESOURCE=QUANTITY",
            description = "A resource limit of one engine process, such as master.memory=4Gi; repeatable.")
    private Map<String, String> limits;

    @Option(names = "--secret-property", paramLabel = "KEY=SECRET:KEY",
            description = "An engine property whose value the masters read from key KEY of Secret SECRET in the"
                    + " runtime's namespace; the value is never rendered. Repeatable.")
    private Map<String, String> secretProperties;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Write one file per object and the properties file into DIR instead of printing.")
    private Path outputDir;

    @Option(names = "--force",
            description = "With --output-dir: write into a directory that is not empty, replacing the files render"
                    + " writes and leaving every other file.")
    private boolean force;

    @Override
    public Integer call() throws IOException {
        List<Violation> problems = new ArrayList<>();
        RuntimeInput input = file == null ? fromFlags(problems) : fromFile(problems);
        checkOutputDir(problems);
        ResolvedRuntime runtime = input.resolve(root.providers(), problems);
        HaPlan plan = runtime.provider().plan(runtime.spec());
        RenderedPlan rendered = RenderedPlan.of(runtime.spec(), plan);
        if (outputDir == null) {
            root.out().print(rendered.stream());
        } else {
            for (Path written : OutputDirectory.write(outputDir, rendered.files())) {
                root.out().println(written);
            }
        }
        root.out().flush();
        return ExitCodes.OK;
    }

    /** The output directory must be a directory, and empty unless --force says to write among other files. */
    private void checkOutputDir(List<Violation> problems) {
        if (outputDir == null) {
            if (force) {
                problems.add(new Violation("--force", "applies only with --output-dir"));
            }
            return;
        }
        if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            problems.add(new Violation("--output-dir", "\"" + outputDir + "\" exists and is not a directory"));
        } else if (Files.isDirectory(outputDir) && !force) {
            try (Stream<Path> entries = Files.list(outputDir)) {
                if (entries.findAny().isPresent()) {
                    problems.add(new Violation("--output-dir", "\"" + outputDir + "\" is not empty; add --force to"
                            + " replace the files render writes there and keep the others"));
                }
            } catch (IOException unreadable) {
                problems.add(new Violation("--output-dir", "cannot list \"" + outputDir + "\": " + unreadable));
            }
        }
    }

    private RuntimeInput fromFlags(List<Violation> problems) {
        return new RuntimeInput(engine, name, namespace, replicas, journal, storageClass, size, accessModes,
                sizeLimit, clusterDomain, ports, properties, image, restrictJournalTraffic,
                PodFlags.resources(requests, limits, problems), PodFlags.secretProperties(secretProperties, problems));
    }

    private RuntimeInput fromFile(List<Violation> problems) {
        List<String> flags = command.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName)
                .filter(option -> !List.of("--file", "--output-dir", "--force").contains(option))
                .distinct()
                .toList();
        if (!flags.isEmpty()) {
            problems.add(new Violation("--file", "cannot be combined with the spec flags " + flags
                    + "; put those fields in the file"));
        }
        SpecFileReader.Reading reading;
        try {
            reading = SpecFileReader.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException unreadable) {
            String reason = unreadable instanceof NoSuchFileException ? "no such file" : unreadable.toString();
            problems.add(new Violation("--file", "cannot read \"" + file + "\": " + reason));
            throw new SpecValidationException(problems);
        } catch (SpecValidationException unreadable) {
            problems.addAll(unreadable.violations());
            throw new SpecValidationException(problems);
        }
        problems.addAll(reading.problems());
        return reading.input();
    }
}
