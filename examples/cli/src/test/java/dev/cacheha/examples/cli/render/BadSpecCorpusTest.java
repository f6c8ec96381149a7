package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared corpus of invalid CacheRuntime manifests (ha-testkit/src/test/resources/bad-specs): every file opens
 * with {@code # refused-for: <field path>}, and is refused for that field both by the library (manifest reader,
 * then the CacheRuntime translation: HaSpec and the provider) and by {@code cache-ha render -f}, which exits 2,
 * prints nothing on stdout and writes no file.
 */
class BadSpecCorpusTest {

    /** The system property, set by this module's pom, that names the corpus directory. */
    static final String CORPUS_PROPERTY = "cacheha.badSpecs";
    private static final String HEADER = "# refused-for: ";
    private static final int LEAST_CORPUS_SIZE = 50;

    @TempDir
    Path temp;

    /** A corpus file and the field path it must be refused for. */
    record BadSpec(Path file, String field) {
        @Override
        public String toString() {
            return file.getFileName() + " -> " + field;
        }
    }

    static List<BadSpec> corpus() {
        Path dir = Path.of(System.getProperty(CORPUS_PROPERTY, "(" + CORPUS_PROPERTY + " is not set)")).normalize();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().map(BadSpecCorpusTest::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the bad spec corpus at " + dir, e);
        }
    }

    private static BadSpec read(Path file) {
        try {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
            if (!first.startsWith(HEADER) || first.length() == HEADER.length()) {
                throw new IllegalStateException(file + " does not open with '" + HEADER + "<field path>'");
            }
            return new BadSpec(file, first.substring(HEADER.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCorpusHasAtLeastFiftySpecsEachNamingTheFieldItMustBeRefusedFor() {
        // Given the corpus, When it is read
        List<BadSpec> corpus = corpus();
        System.out.printf("[bad-specs] %d files, %d distinct field paths%n", corpus.size(),
                corpus.stream().map(BadSpec::field).distinct().count());

        // Then it is large enough and every file names a field
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(LEAST_CORPUS_SIZE);
        assertThat(corpus).allSatisfy(spec -> assertThat(spec.field()).isNotBlank());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theLibraryRefusesEachSpecForItsField(BadSpec bad) throws IOException {
        // Given a bad spec file's text
        String text = Files.readString(bad.file(), StandardCharsets.UTF_8);

        // When the library reads it and resolves it against the installed providers
        SpecValidationException refusal = catchThrowableOfType(SpecValidationException.class, () -> {
            ManifestReader.read(text, bad.file().toString()).translate(HighAvailabilityProviders.load(), List.of());
        });

        // Then it is refused, naming that field
        assertThat(refusal).as("%s must be refused", bad).isNotNull();
        assertThat(refusal.violations()).extracting(Violation::field).contains(bad.field());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void renderRefusesEachSpecWithItsFieldOnStderrExitTwoAndNoOutput(BadSpec bad) throws IOException {
        // Given an output directory
        Path out = temp.resolve("out");

        // When cache-ha render reads the bad spec
        CacheHaRun run = CacheHaRun.of("render", "-f", bad.file().toString(), "--output-dir", out.toString());

        // Then it exits 2 naming the field on stderr, with nothing on stdout and no file written
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("  " + bad.field() + ": ");
        assertThat(run.out()).isEmpty();
        assertThat(out).satisfiesAnyOf(dir -> assertThat(dir).doesNotExist(),
                dir -> assertThat(dir).isEmptyDirectory());
    }
}
