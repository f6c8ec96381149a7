package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render} with resources, secret properties and the journal traffic switch, from flags and from files. */
class RenderPodSettingsTest {

    private static final String[] BASE =
            {"render", "--engine", "alluxio", "--name", "web-cache", "--namespace", "data"};

    @TempDir
    Path temp;

    @Test
    void resourceAndSecretFlagsReachThePodAndNoRenderedTextNamesTheCredentialAsAPlainProperty() throws IOException {
        // Given resources and a credential as a secret property
        Path out = temp.resolve("out");

        // When it is rendered to stdout and to a directory
        CacheHaRun printed = CacheHaRun.of(with("--request", "master.cpu=2", "--limit", "master.memory=6Gi",
                "--secret-property", "s3a.secretKey=s3-credentials:secret-key"));
        CacheHaRun written = CacheHaRun.of(with("--request", "master.cpu=2", "--limit", "master.memory=6Gi",
                "--secret-property", "s3a.secretKey=s3-credentials:secret-key", "--output-dir", out.toString()));

        // Then the master gets them, the Secret is referenced by name and key, the property file does not list it
        assertThat(printed.exitCode()).as(printed.err()).isEqualTo(ExitCodes.OK);
        assertThat(printed.out()).contains("memory: \"6Gi\"", "cpu: \"2\"", "name: \"s3-credentials\"",
                "key: \"secret-key\"", "-Xmx3686m");
        assertThat(printed.out().lines().filter(line -> line.startsWith("#")))
                .noneMatch(line -> line.contains("s3a.secretKey"));
        assertThat(written.exitCode()).as(written.err()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(out.resolve(RenderedPlan.PROPERTIES_FILE))).doesNotContain("s3a.secretKey");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.filter(file -> file.getFileName().toString().startsWith("configmap-")))
                    .singleElement().satisfies(configMap ->
                            assertThat(Files.readString(configMap)).doesNotContain("s3a.secretKey"));
        }
    }

    @Test
    void journalTrafficIsRestrictedUnlessTurnedOff() {
        CacheHaRun byDefault = CacheHaRun.of(BASE);
        CacheHaRun off = CacheHaRun.of(with("--no-restrict-journal-traffic"));

        assertThat(byDefault.out()).contains("kind: \"NetworkPolicy\"");
        assertThat(off.exitCode()).as(off.err()).isEqualTo(ExitCodes.OK);
        assertThat(off.out()).doesNotContain("kind: \"NetworkPolicy\"");
    }

    @Test
    void everyBadPodFlagIsReportedAtOnceAndNothingIsWritten() {
        // Given flags with every kind of mistake, and an output directory
        Path out = temp.resolve("out");

        // When
        CacheHaRun run = CacheHaRun.of(with("--request", "master.cpu=0", "--limit", "master.memory=lots",
                "--request", "nodot=1", "--request", "worker.cpu=1", "--limit", "job-master.memory=1Gi",
                "--request", "job-master.memory=2Gi", "--secret-property", "db.password=no-colon",
                "--property", "fs.s3a.access.key=AKIAEXAMPLE", "--output-dir", out.toString()));

        // Then the CLI exits 2 listing every problem with its field, and writes nothing
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(out).doesNotExist();
        assertThat(run.err()).contains(
                "--request: \"nodot=1\" is not PROCESS.RESOURCE=QUANTITY",
                "--secret-property: \"db.password=no-colon\" is not KEY=SECRET:KEY",
                "resources.master.requests.cpu: \"0\" must be positive",
                "resources.master.limits.memory: \"lots\" is not a Kubernetes quantity",
                "resources.job-master.requests.memory: 2Gi is more than the limit resources.job-master.limits.memory",
                "properties[fs.s3a.access.key]: names a credential",
                "--secret-property KEY=SECRET:KEY");
        assertThat(run.err()).doesNotContain("AKIAEXAMPLE");
    }

    @Test
    void anUnknownProcessIsRefusedByTheEngineWithTheProcessesItKnowsInTheSamePassAsTheSpisRules() {
        CacheHaRun run = CacheHaRun.of(with("--request", "worker.cpu=1", "--replicas", "4"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("resources.worker: \"worker\" is not a process of alluxio masters; known"
                + " processes: job-master, master").contains("replicas:");
    }

    @Test
    void aManifestCarriesResourcesSecretPropertiesAndTheSwitch() throws IOException {
        // Given a manifest with every new field
        Path spec = Files.writeString(temp.resolve("runtime.yaml"), """
                apiVersion: data.cacheha.dev/v1alpha1
                kind: CacheRuntime
                metadata: {name: web-cache, namespace: data}
                spec:
                  engine: alluxio
                  restrictJournalTraffic: false
                  resources:
                    master: {requests: {cpu: 2}, limits: {memory: 6Gi}}
                  secretProperties:
                    s3a.secretKey: {secret: s3-credentials, key: secret-key}
                """);

        // When it is rendered, Then it renders exactly what the equivalent flags render
        CacheHaRun fromFile = CacheHaRun.of("render", "-f", spec.toString());
        CacheHaRun fromFlags = CacheHaRun.of(with("--no-restrict-journal-traffic", "--request", "master.cpu=2",
                "--limit", "master.memory=6Gi", "--secret-property", "s3a.secretKey=s3-credentials:secret-key"));
        assertThat(fromFile.exitCode()).as(fromFile.err()).isEqualTo(ExitCodes.OK);
        assertThat(fromFile.out()).isEqualTo(fromFlags.out());
    }

    @Test
    void everyMistakeInTheResourcesAndSecretPropertiesOfAManifestIsNamedAtOnce() throws IOException {
        // Given a file whose resources and secret properties are wrong in every way
        Path spec = Files.writeString(temp.resolve("runtime.yaml"), """
                apiVersion: data.cacheha.dev/v1alpha1
                kind: CacheRuntime
                metadata: {name: web-cache}
                spec:
                  engine: alluxio
                  restrictJournalTraffic: "no"
                  resources:
                    master: {requests: {cpu: [1]}, limit: {memory: 2Gi}}
                    job-master: 4
                  secretProperties:
                    s3a.secretKey: {secret: s3-credentials}
                    other.token: creds
                    db.password: {secret: Bad_Name, key: "a/b", extra: 1}
                """);

        // When
        CacheHaRun run = CacheHaRun.of("render", "-f", spec.toString());

        // Then every problem is reported with its path, and nothing is printed
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(
                "restrictJournalTraffic: must be true or false",
                "resources.master.requests.cpu: must be a quantity",
                "resources.master.limit: is not a field of resources.master; known fields: [limits, requests]",
                "resources.job-master: must be a mapping, not number 4",
                "secretProperties[s3a.secretKey].key: is required",
                "secretProperties[other.token]: must be a mapping, not text \"creds\"",
                "secretProperties[db.password].extra: is not a field",
                "secretProperties[db.password].secret: \"Bad_Name\" is not a Secret name",
                "secretProperties[db.password].key: \"a/b\" is not a key of a Secret");
    }

    private static String[] with(String... more) {
        return Stream.concat(Stream.of(BASE), Stream.of(more)).toArray(String[]::new);
    }
}
