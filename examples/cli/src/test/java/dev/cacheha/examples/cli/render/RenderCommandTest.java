package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

    private static final String[] FLAGS = {
        "render", "--engine", "alluxio", "--name", "demo", "--namespace", "cache", "--replicas", "3",
        "--journal", "pvc", "--storage-class", "fast", "--size", "20Gi",
        "--property", "alluxio.user.file.buffer.bytes=8MB",
        "--port", "web=29999", "--image", "alluxio/alluxio:2.9.6", "--restrict-journal-traffic"
    };

    private static final String SPEC_FILE = """
            apiVersion: data.cacheha.dev/v1alpha1
            kind: CacheRuntime
            metadata:
              name: demo
              namespace: cache
            spec:
              engine: alluxio
              replicas: 3
              journal:
                type: pvc
                storageClass: fast
                size: 20Gi
              ports:
                web: 29999
              properties:
                alluxio.user.file.buffer.bytes: 8MB
              image: alluxio/alluxio:2.9.6
              restrictJournalTraffic: true
            """;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    Path temp;

    @Test
    void flagsRenderEveryPlanObjectAsYamlThatReadsBackAsThePlan() {
        // Given the plan the provider makes for the spec the flags describe
        HaPlan expected = expectedPlan();

        // When
        CacheHaRun run = CacheHaRun.of(FLAGS);

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).isEmpty();
        assertThat(expected.objects()).isNotEmpty();
        assertThat(documents(run.out()).stream().map(SERIALIZATION::<HasMetadata>unmarshal).toList())
                .containsExactlyElementsOf(expected.objects());
    }

    @Test
    void propertiesLeadTheOutputAsCommentsThatKubectlIgnores() {
        // When
        CacheHaRun run = CacheHaRun.of(FLAGS);

        // Then every line before the first document is a comment, and the properties are among them
        List<String> header = run.out().lines().takeWhile(line -> !line.equals("---")).toList();
        assertThat(header).allSatisfy(line -> assertThat(line).startsWith("#"));
        expectedPlan().properties().forEach((key, value) -> assertThat(header).contains("#   " + key + "=" + value));
        assertThat(header.get(0))
                .isEqualTo("# cache-ha plan: engine alluxio, runtime demo in namespace cache, 3 masters");
    }

    @Test
    void aManifestRendersExactlyWhatTheEquivalentFlagsRender() throws IOException {
        // Given
        Path spec = Files.writeString(temp.resolve("runtime.yaml"), SPEC_FILE);

        // When
        CacheHaRun fromFile = CacheHaRun.of("render", "-f", spec.toString());
        CacheHaRun fromFlags = CacheHaRun.of(FLAGS);

        // Then
        assertThat(fromFile.exitCode()).as(fromFile.err()).isEqualTo(ExitCodes.OK);
        assertThat(fromFile.out()).isEqualTo(fromFlags.out());
    }

    @Test
    void theExampleManifestOfTheReadmeRenders() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "-f", "runtime.yaml");

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("runtime sales in namespace analytics", "kind: \"NetworkPolicy\"",
                "#   alluxio.user.file.writetype.default=CACHE_THROUGH");
    }

    @Test
    void theSameInputRendersTheSameBytesEveryTime() {
        // When
        String first = CacheHaRun.of(FLAGS).out();
        String second = CacheHaRun.of(FLAGS).out();

        // Then
        assertThat(second).isEqualTo(first).isNotBlank();
    }

    @Test
    void aMemoryJournalNeedsOnlyItsSizeLimit() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "mem", "--journal", "memory",
                "--size-limit", "1Gi");

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("runtime mem in namespace default, 3 masters").contains("medium: \"Memory\"");
    }

    @Test
    void everyBrokenRuleInTheFlagsIsReportedWithItsFieldAndNothingIsPrinted() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "Bad_Name", "--replicas", "4",
                "--size", "10Gi!", "--port", "web=70000", "--storage-class", "Not A Class");

        // Then
        assertBadInput(run, "name: \"Bad_Name\" is not a DNS-1123 label", "replicas: 4 is even",
                "journal.size: \"10Gi!\" is not a Kubernetes quantity", "ports.web: 70000 is not a port number",
                "journal.storageClass:");
        assertThat(run.err()).contains("invalid input (5 problems)");
    }

    @Test
    void anSpiRuleAndAnEngineRuleBrokenTogetherAreReportedInTheSameRun() {
        // Given an even replica count (the SPI's rule) and a port Alluxio masters do not have (the engine's)
        // When rendered
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo", "--replicas", "4",
                "--port", "bogus=1");

        // Then both are reported at once, exit 2, and nothing is printed
        assertBadInput(run, "replicas: 4 is even", "ports.bogus: \"bogus\" is not a port of alluxio masters");
        assertThat(run.err()).contains("invalid input (2 problems)");
    }

    @Test
    void jindosRpcPortOnItsDefaultRaftPortIsRefused() {
        CacheHaRun run = CacheHaRun.of("render", "--engine", "jindo", "--name", "demo", "--port", "rpc=8103");

        assertBadInput(run, "ports.rpc: 8103 is already the default port of ports.raft of jindo masters");
    }

    @Test
    void everyUnknownOrMistypedFieldOfAManifestIsNamedAtOnce() throws IOException {
        // Given a manifest with three unknown fields, four values of the wrong type and no name
        Path spec = Files.writeString(temp.resolve("runtime.yaml"), """
                apiVersion: data.cacheha.dev/v1alpha1
                kind: CacheRuntime
                metadata:
                  nmae: demo
                  namespace: 7
                spec:
                  engine: alluxio
                  replicas: three
                  journal:
                    type: pvc
                    sise: 10Gi
                    accessModes: [ReadWriteOnce, 7]
                  ports:
                    web: "19999"
                  extra: true
                """);

        // When
        CacheHaRun run = CacheHaRun.of("render", "-f", spec.toString());

        // Then
        assertBadInput(run,
                "metadata.nmae: is not a field of metadata; known fields: [annotations,",
                "namespace: must be text, not number 7",
                "extra: is not a field of a CacheRuntime spec; known fields: [backupVolume, clients,",
                "journal.sise: is not a field of journal; known fields:"
                        + " [accessModes, size, sizeLimit, storageClass, type]",
                "replicas: must be a whole number, not text \"three\"",
                "journal.accessModes[1]: must be text, not number 7",
                "ports.web: must be a whole number, not text \"19999\"",
                "name: is required");
    }

    @Test
    void aSpecFileOfTheOldFormatIsRefusedWithTheWayToAManifest() throws IOException {
        // Given a spec file as render read it before it read manifests
        Path spec = Files.writeString(temp.resolve("old.yaml"), "engine: alluxio\nname: demo\nreplicas: 3\n");

        // When
        CacheHaRun run = CacheHaRun.of("render", "-f", spec.toString());

        // Then the fields are named, and so is what a manifest looks like
        assertBadInput(run, "engine: is not a field of a CacheRuntime manifest",
                spec + ": looks like a cache-ha spec file of the old format; a CacheRuntime manifest has apiVersion:"
                        + " data.cacheha.dev/v1alpha1, kind: CacheRuntime, metadata: {name, namespace}",
                "apiVersion: is required", "kind: is required", "spec: is required");
    }

    @Test
    void aManifestOfAnotherKindIsRefusedNamingTheKindItMustBe() throws IOException {
        // Given a manifest of another kind
        Path spec = Files.writeString(temp.resolve("pod.yaml"), SPEC_FILE.replace("kind: CacheRuntime",
                "kind: Pod"));

        // Then
        assertBadInput(CacheHaRun.of("render", "-f", spec.toString()),
                "kind: is text \"Pod\"; a CacheRuntime has kind: CacheRuntime");
    }

    @Test
    void aYamlSyntaxErrorNamesTheFileLineAndColumn() throws IOException {
        // Given a mapping whose third line is indented into a scalar
        Path spec = Files.writeString(temp.resolve("broken.yaml"), "engine: alluxio\nname: demo\n  replicas: 3\n");

        // When
        CacheHaRun run = CacheHaRun.of("render", "-f", spec.toString());

        // Then
        assertBadInput(run, spec + ":3:11: mapping values are not allowed here");
        assertThat(run.err().lines()).hasSize(2);
    }

    @Test
    void aManifestThatIsNotAMappingIsBadInput() throws IOException {
        // Given
        Path list = Files.writeString(temp.resolve("list.yaml"), "- engine: alluxio\n");
        Path empty = Files.writeString(temp.resolve("empty.yaml"), "# nothing\n");

        // Then
        assertBadInput(CacheHaRun.of("render", "-f", list.toString()),
                "is a list; a CacheRuntime manifest is a mapping");
        assertBadInput(CacheHaRun.of("render", "-f", empty.toString()),
                "is empty; a CacheRuntime manifest is a mapping");
    }

    @Test
    void aKeyGivenTwiceInAManifestIsBadInput() throws IOException {
        // Given
        Path spec = Files.writeString(temp.resolve("twice.yaml"), "engine: alluxio\nname: a\nname: b\n");

        // Then
        assertBadInput(CacheHaRun.of("render", "-f", spec.toString()),
                spec + ":3:", "the key \"name\" appears twice in one mapping");
    }

    @Test
    void anUnknownEngineIsBadInputThatListsTheInstalledEngines() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "ignite", "--name", "demo");

        // Then
        assertBadInput(run, "engine: no high-availability provider for engine \"ignite\"; installed: alluxio, jindo");
    }

    @Test
    void aMissingEngineIsBadInputThatListsTheInstalledEngines() {
        assertBadInput(CacheHaRun.of("render", "--name", "demo"),
                "engine: is required; installed engines: [alluxio, jindo]");
    }

    @Test
    void aMissingManifestIsBadInput() {
        assertBadInput(CacheHaRun.of("render", "-f", temp.resolve("nope.yaml").toString()),
                "--file: cannot read", "no such file");
    }

    @Test
    void aManifestAndSpecFlagsTogetherAreRefused() throws IOException {
        // Given
        Path spec = Files.writeString(temp.resolve("runtime.yaml"), SPEC_FILE);

        // When
        CacheHaRun run = CacheHaRun.of("render", "-f", spec.toString(), "--replicas", "5", "--name", "other");

        // Then
        assertBadInput(run, "--file: cannot be combined with the spec flags [--replicas, --name]");
    }

    @Test
    void journalFieldsThatDoNotFitTheJournalTypeAreRefused() {
        // When a memory journal gets claim fields and no size limit, and a pvc journal gets a size limit
        CacheHaRun memory = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo", "--journal", "memory",
                "--size", "1Gi", "--storage-class", "fast");
        CacheHaRun pvc = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo", "--size-limit", "1Gi");
        CacheHaRun tape = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo", "--journal", "tape");

        // Then
        assertBadInput(memory, "journal.size: does not apply to a memory journal; remove it",
                "journal.storageClass: does not apply to a memory journal",
                "journal.sizeLimit: is required for a memory journal");
        assertBadInput(pvc, "journal.sizeLimit: does not apply to a pvc journal");
        assertBadInput(tape, "journal.type: \"tape\" is not a journal type; use pvc, memory or disk");
    }

    @Test
    void propertiesTheProviderOwnsAreRefusedWithTheirKey() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo",
                "--property", "alluxio.master.journal.type=UFS");

        // Then
        assertBadInput(run, "properties[alluxio.master.journal.type]: is generated by the alluxio plan");
    }

    @Test
    void anOptionValueOfTheWrongTypeIsAUsageError() {
        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo", "--replicas", "three");

        // Then
        assertBadInput(run, "--replicas", "three");
    }

    @Test
    void theOutputDirectoryGetsOneFilePerObjectAndThePropertiesFile() throws IOException {
        // Given
        Path out = temp.resolve("out");
        HaPlan expected = expectedPlan();

        // When
        CacheHaRun run = CacheHaRun.of(withOutputDir(out));

        // Then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        List<String> objectFiles = expected.objects().stream()
                .map(o -> (o.getKind() + "-" + o.getMetadata().getName()).toLowerCase(Locale.ROOT) + ".yaml")
                .toList();
        assertThat(objectFiles).isNotEmpty();
        assertThat(fileNames(out)).containsExactlyInAnyOrderElementsOf(
                Stream.concat(objectFiles.stream(), Stream.of(RenderedPlan.PROPERTIES_FILE)).toList());
        for (int i = 0; i < objectFiles.size(); i++) {
            assertThat(SERIALIZATION.<HasMetadata>unmarshal(Files.readString(out.resolve(objectFiles.get(i)))))
                    .isEqualTo(expected.objects().get(i));
        }
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(out.resolve(RenderedPlan.PROPERTIES_FILE))) {
            properties.load(reader);
        }
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(expected.properties());
        assertThat(run.out().lines().toList()).hasSize(objectFiles.size() + 1)
                .allSatisfy(line -> assertThat(Path.of(line)).exists());
    }

    @Test
    void badInputLeavesAnExistingOutputDirectoryAsItWas() throws IOException {
        // Given a directory with a file in it
        Path out = Files.createDirectories(temp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");

        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo", "--replicas", "2",
                "--output-dir", out.toString());

        // Then
        assertBadInput(run, "replicas: 2 is even");
        assertThat(fileNames(out)).containsExactly("keep.txt");
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void badInputDoesNotCreateTheOutputDirectory() {
        // Given
        Path out = temp.resolve("not-yet");

        // When
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "-bad",
                "--output-dir", out.toString());

        // Then
        assertBadInput(run, "name:");
        assertThat(out).doesNotExist();
    }

    @Test
    void anOutputDirectoryThatIsAFileIsBadInput() throws IOException {
        // Given
        Path file = Files.writeString(temp.resolve("a-file"), "x");

        // When
        CacheHaRun run = CacheHaRun.of(withOutputDir(file));

        // Then
        assertBadInput(run, "--output-dir: \"" + file + "\" exists and is not a directory");
        assertThat(file).hasContent("x");
    }

    @Test
    void aWriteThatFailsMidwayRemovesEverythingItWrote() throws IOException {
        // Given the properties file, written last, cannot be replaced: a non-empty directory holds its name
        Path out = Files.createDirectories(temp.resolve("out"));
        Path blocker = Files.createDirectories(out.resolve(RenderedPlan.PROPERTIES_FILE));
        Files.writeString(blocker.resolve("inside"), "x");

        // When
        CacheHaRun run = CacheHaRun.of(withForce(withOutputDir(out)));

        // Then the object files that were already in place are gone again, and so are the temporary files
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("cache-ha render: ").contains(RenderedPlan.PROPERTIES_FILE);
        assertThat(fileNames(out)).containsExactly(RenderedPlan.PROPERTIES_FILE);
        assertThat(blocker.resolve("inside")).hasContent("x");
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefusedWithoutForce() throws IOException {
        // Given a directory that already holds a file
        Path out = Files.createDirectories(temp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");

        // When
        CacheHaRun run = CacheHaRun.of(withOutputDir(out));

        // Then
        assertBadInput(run, "--output-dir: \"" + out + "\" is not empty; add --force");
        assertThat(fileNames(out)).containsExactly("keep.txt");
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void forceReplacesTheFilesRenderWritesAndLeavesEveryOtherFile() throws IOException {
        // Given a directory with a file of its own and a stale properties file from an earlier render
        Path out = Files.createDirectories(temp.resolve("out"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Files.writeString(out.resolve(RenderedPlan.PROPERTIES_FILE), "stale=true\n");
        Path fresh = Files.createDirectories(temp.resolve("fresh"));
        CacheHaRun intoEmpty = CacheHaRun.of(withOutputDir(fresh));

        // When
        CacheHaRun run = CacheHaRun.of(withForce(withOutputDir(out)));

        // Then every rendered file is there as a render into an empty directory writes it, and keep.txt is untouched
        assertThat(intoEmpty.exitCode()).as(intoEmpty.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        List<String> rendered = fileNames(fresh);
        assertThat(fileNames(out)).containsExactlyInAnyOrderElementsOf(
                Stream.concat(rendered.stream(), Stream.of("keep.txt")).toList());
        for (String name : rendered) {
            assertThat(out.resolve(name)).as(name).hasSameTextualContentAs(fresh.resolve(name));
        }
        assertThat(out.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void forceWithoutAnOutputDirectoryIsBadInput() {
        // When
        CacheHaRun run = CacheHaRun.of(withForce(FLAGS));

        // Then
        assertBadInput(run, "--force: applies only with --output-dir");
    }

    private static void assertBadInput(CacheHaRun run, String... messages) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(messages);
    }

    private static String[] withOutputDir(Path directory) {
        String[] args = Arrays.copyOf(FLAGS, FLAGS.length + 2);
        args[FLAGS.length] = "--output-dir";
        args[FLAGS.length + 1] = directory.toString();
        return args;
    }

    private static String[] withForce(String[] args) {
        String[] forced = Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        return forced;
    }

    private static HaPlan expectedPlan() {
        HaSpec spec = HaSpec.builder("demo", "cache")
                .replicas(3)
                .journal(new JournalStorage.PersistentVolume("fast", "20Gi", null))
                .property("alluxio.user.file.buffer.bytes", "8MB")
                .port("web", 29999)
                .image("alluxio/alluxio:2.9.6")
                .restrictJournalTraffic(true)
                .build();
        return HighAvailabilityProviders.load().get("alluxio").plan(spec);
    }

    /** The YAML documents after the leading comment block, each without its separator line. */
    private static List<String> documents(String stream) {
        return Arrays.stream(stream.split("(?m)^---\\n")).skip(1).toList();
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }
}
