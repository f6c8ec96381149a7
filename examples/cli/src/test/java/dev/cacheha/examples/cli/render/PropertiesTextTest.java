package dev.cacheha.examples.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropertiesTextTest {

    @Test
    void whatIsWrittenReadsBackAsTheSamePropertiesInTheSameOrder() throws IOException {
        // Given values a properties reader would otherwise change: backslashes, leading blanks, non-ASCII
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("z.first", "C:\\journal");
        properties.put("a.second", "  padded");
        properties.put("m.third", "caf\u00e9 = #1");
        properties.put("odd:key=x", "v");

        // When
        String text = PropertiesText.lines(properties);
        Properties read = new Properties();
        read.load(new StringReader(text));

        // Then
        assertThat(read).containsExactlyInAnyOrderEntriesOf(properties);
        assertThat(text.lines().map(line -> line.substring(0, 1)).toList()).containsExactly("z", "a", "m", "o");
        assertThat(text).isEqualTo(PropertiesText.lines(properties));
    }
}
