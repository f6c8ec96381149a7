package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The properties file {@code cache-ha render --output-dir} writes cannot gain a line, whatever the keys and
 * values hold: not even text the spec rules would refuse, so the writer does not rely on the rules alone.
 */
class PropertiesFileInjectionTest {

    /** Characters that end a line for some reader, separate a key, start a comment, escape, or hide text. */
    private static final String HOSTILE = "=: #!\\\n\r\t\u0000\u000b\u000c\u001b\u007f\u0085\u00a0\u2028\u2029"
            + "\ufeff\u202e\u200b\u00e9";

    @TempDir
    Path temp;

    @Test
    void everyPairOfHostileCharactersInKeysAndValuesStaysOnItsOwnLine() throws IOException {
        // Given a key and a value for every ordered pair of hostile characters
        Map<String, String> properties = new LinkedHashMap<>();
        for (char first : HOSTILE.toCharArray()) {
            for (char second : HOSTILE.toCharArray()) {
                properties.put(first + "k" + second, second + "v" + first);
            }
        }

        // When they are written as a properties file
        String text = PropertiesText.lines(properties);

        // Then there is one printable ASCII line per property, and a reader gets every one back unchanged
        assertOneLineEach(text, properties);
    }

    @Test
    void renderWritesTrickyButValidValuesOnOneLineEach() throws IOException {
        // Given values the rules accept but that carry separators, comment marks, escapes and non-ASCII text
        Path out = temp.resolve("out");

        // When they are rendered into a directory
        CacheHaRun run = CacheHaRun.of("render", "--engine", "alluxio", "--name", "demo",
                "--property", "alluxio.user.a==x:y#z!", "--property", "alluxio.user.b=  \\u000a\\",
                "--property", "alluxio.user.c=\u00e9\u202e\u200b\ufeff", "--output-dir", out.toString());

        // Then the properties file has one line per property, besides its comment header, and reads back with
        // the exact values
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        String text = Files.readString(out.resolve(RenderedPlan.PROPERTIES_FILE));
        Properties read = load(text);
        assertThat(read.getProperty("alluxio.user.a")).isEqualTo("=x:y#z!");
        assertThat(read.getProperty("alluxio.user.b")).isEqualTo("  \\u000a\\");
        assertThat(read.getProperty("alluxio.user.c")).isEqualTo("\u00e9\u202e\u200b\ufeff");
        assertThat(text.lines().filter(line -> !line.startsWith("#"))).hasSize(read.size());
        assertThat(text.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e));
    }

    private static void assertOneLineEach(String text, Map<String, String> properties) throws IOException {
        assertThat(text.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e));
        assertThat(text.split("\n", -1)).hasSize(properties.size() + 1);
        assertThat(load(text)).containsExactlyInAnyOrderEntriesOf(properties);
    }

    private static Properties load(String text) throws IOException {
        Properties read = new Properties();
        read.load(new StringReader(text));
        return read;
    }
}
