package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cli.CacheHaRun;
import dev.cacheha.examples.cli.ExitCodes;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The properties file {@code cache-ha render --output-dir} writes cannot gain a line: the escaping itself is
 * tested with every hostile character in ha-spi's {@code PropertiesFileTest}; this checks the written file.
 */
class PropertiesFileInjectionTest {

    @TempDir
    Path temp;

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

    private static Properties load(String text) throws IOException {
        Properties read = new Properties();
        read.load(new StringReader(text));
        return read;
    }
}
