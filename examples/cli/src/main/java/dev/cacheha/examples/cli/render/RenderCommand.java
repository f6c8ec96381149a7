package dev.cacheha.examples.cli.render;

import dev.cacheha.examples.cacheruntime.CacheRuntimeSpec;
import dev.cacheha.examples.cacheruntime.JournalSpec;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.cli.BuildVersion;
import dev.cacheha.examples.cli.CacheHaCommand;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
            "The runtime comes from a CacheRuntime manifest (-f), the document 'kubectl apply -f' takes for the"
                    + " controller, or from flags, not both. The engine properties lead the"
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
            "2:bad input (options, manifest, spec rules); nothing was printed or written"
        })
public final class RenderCommand implements Callable<Integer> {

    @ParentCommand
    private CacheHaCommand root;

    @Spec
    private CommandSpec command;

    @Option(names = {"-f", "--file"}, paramLabel = "runtime.yaml",
            description = "A CacheRuntime manifest (apiVersion " + CacheRuntimeSpec.API_VERSION + ", kind "
                    + CacheRuntimeSpec.KIND + ", metadata {name, namespace}, spec {engine, replicas, journal,"
                    + " clusterDomain, ports, properties, image, restrictJournalTraffic, resources, secretProperties,"
                    + " clients, ...}). Unknown fields are errors.")
    private Path file;

    @Option(names = "--engine", description = "The engine, as listed by 'cache-ha providers'.")
    private String engine;

    @Option(names = "--name", description = "The runtime's name, a DNS-1123 label.")
    private String name;

    @Option(names = "--namespace", description = "The runtime's namespace (default: " + ManifestReader.DEFAULT_NAMESPACE
            + ").")
    private String namespace;

    @Option(names = "--replicas", description = "Masters in the quorum: 1, 3, 5 or 7 (default: 3).")
    private Integer replicas;

    @Option(names = "--journal", paramLabel = "pvc|memory|disk",
            description = "Where masters keep the journal (default: pvc).")
    private String journal;

    @Option(names = "--storage-class", description = "pvc journal: the claims' storage class (default: standard).")
    private String storageClass;

    @Option(names = "--size", description = "pvc journal: the claims' size (default: 10Gi).")
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
        ManifestReader.Reading input = file == null ? fromFlags(problems) : fromFile(problems);
        checkOutputDir(problems);
        TranslatedRuntime runtime = input.translate(root.providers(), problems);
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

    /** The CacheRuntime the flags describe: the same document a manifest holds. */
    private ManifestReader.Reading fromFlags(List<Violation> problems) {
        CacheRuntimeSpec spec = new CacheRuntimeSpec();
        spec.setEngine(engine);
        spec.setReplicas(replicas);
        if (Stream.of(journal, storageClass, size, accessModes, sizeLimit).anyMatch(Objects::nonNull)) {
            spec.setJournal(new JournalSpec(journal, storageClass, size, accessModes, sizeLimit));
        }
        spec.setClusterDomain(clusterDomain);
        spec.setPorts(ports);
        spec.setProperties(properties);
        spec.setImage(image);
        spec.setRestrictJournalTraffic(restrictJournalTraffic);
        spec.setResources(PodFlags.resources(requests, limits, problems));
        spec.setSecretProperties(PodFlags.secretProperties(secretProperties, problems));
        return new ManifestReader.Reading(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build(),
                spec, List.of());
    }

    private ManifestReader.Reading fromFile(List<Violation> problems) {
        List<String> flags = command.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName)
                .filter(option -> !List.of("--file", "--output-dir", "--force").contains(option))
                .distinct()
                .toList();
        if (!flags.isEmpty()) {
            problems.add(new Violation("--file", "cannot be combined with the spec flags " + flags
                    + "; put those fields in the file"));
        }
        ManifestReader.Reading reading;
        try {
            reading = ManifestReader.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException unreadable) {
            String reason = unreadable instanceof NoSuchFileException ? "no such file" : unreadable.toString();
            problems.add(new Violation("--file", "cannot read \"" + file + "\": " + reason));
            throw new SpecValidationException(problems);
        } catch (SpecValidationException unreadable) {
            problems.addAll(unreadable.violations());
            throw new SpecValidationException(problems);
        }
        return reading;
    }
}
