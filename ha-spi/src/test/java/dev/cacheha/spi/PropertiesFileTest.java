package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The properties file a plan renders reads back as exactly its properties, and cannot gain a line whatever
 * the keys and values hold: not even text the spec rules would refuse, so the writer does not rely on them.
 */
class PropertiesFileTest {

    /** Characters that end a line for some reader, separate a key, start a comment, escape, or hide text. */
    private static final String HOSTILE = "=: #!\\\n\r\t\u0000\u000b\u000c\u001b\u007f\u0085\u00a0\u2028\u2029"
            + "\ufeff\u202e\u200b\u00e9";

    @Test
    void whatIsWrittenReadsBackAsTheSamePropertiesInTheSameOrder() throws IOException {
        // Given values a properties reader would otherwise change: backslashes, leading blanks, non-ASCII
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("z.first", "C:\\journal");
        properties.put("a.second", "  padded");
        properties.put("m.third", "caf\u00e9 = #1");
        properties.put("odd:key=x", "v");

        // When they are written as a properties file
        String text = HaPlan.propertiesFile(properties);

        // Then a reader gets them back, in the order given, and the same input gives the same bytes
        assertThat(load(text)).containsExactlyInAnyOrderEntriesOf(properties);
        assertThat(text.lines().map(line -> line.substring(0, 1)).toList()).containsExactly("z", "a", "m", "o");
        assertThat(text).isEqualTo(HaPlan.propertiesFile(properties));
    }

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
        String text = HaPlan.propertiesFile(properties);

        // Then there is one printable ASCII line per property, and a reader gets every one back unchanged
        assertThat(text.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e));
        assertThat(text.split("\n", -1)).hasSize(properties.size() + 1);
        assertThat(load(text)).containsExactlyInAnyOrderEntriesOf(properties);
    }

    @Test
    void onlyTheCharactersAReaderWouldChangeAreEscaped() {
        // Given a plain entry, and one with separators and comment marks in its key and a leading blank,
        // a backslash, non-ASCII and a line break in its value
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("alluxio.master.rpc.addresses", "m-0.ns.svc:19998,m-1.ns.svc:19998");
        properties.put("a=b:c d#e!f", " x\\y\u00e9\n");

        // When they are written as a properties file
        String text = HaPlan.propertiesFile(properties);

        // Then the plain entry is written as it is, and the other escapes exactly those characters
        assertThat(text).isEqualTo("alluxio.master.rpc.addresses=m-0.ns.svc:19998,m-1.ns.svc:19998\n"
                + "a\\=b\\:c\\ d\\#e\\!f=\\ x\\\\y\\u00e9\\u000a\n");
    }

    @Test
    void aPlanRendersItsOwnPropertiesInItsOwnOrder() throws IOException {
        // Given a plan whose properties are not in key order
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("b.key", "2");
        properties.put("a.key", "1");
        HaPlan plan = new HaPlan("test-engine", properties, List.of(), List.of(), List.of());

        // When / Then
        assertThat(plan.propertiesFile()).isEqualTo("b.key=2\na.key=1\n");
    }

    private static Properties load(String text) throws IOException {
        Properties read = new Properties();
        read.load(new StringReader(text));
        return read;
    }
}
