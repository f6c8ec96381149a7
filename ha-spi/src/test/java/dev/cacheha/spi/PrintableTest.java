package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrintableTest {

    @ParameterizedTest(name = "U+{0}")
    @CsvSource({"0000", "0009", "000a", "000d", "001b", "007f", "0085", "009f", "2028", "2029"})
    void everyLineBreakingOrControlCharacterBecomesAnEscape(String hex) {
        // Given text holding the character
        String text = "a" + (char) Integer.parseInt(hex, 16) + "b";

        // When it is escaped
        // Then the character is shown as its escape and nothing else changes
        assertThat(Printable.escape(text)).isEqualTo("a\\u" + hex + "b");
    }

    @Test
    void printableTextIsReturnedAsItIs() {
        String text = "héllo wörld: {\"role\": \"PRIMARY\"} \\ \u00a0";

        assertThat(Printable.escape(text)).isSameAs(text);
    }

    @Test
    void anExcerptIsEscapedAndCutWithTheOriginalLength() {
        // Given a long text with a line break early on
        String text = "x\n" + "y".repeat(1_000);

        // When an excerpt of 10 characters is taken
        String excerpt = Printable.excerpt(text, 10);

        // Then it is one line, 10 characters of the escaped text, and says how long the original was
        assertThat(excerpt).isEqualTo("x\\u000ayyy... (1002 characters)");
    }

    @Test
    void aShortTextIsNotCutAndNullIsEmpty() {
        assertThat(Printable.excerpt("ok\t", 300)).isEqualTo("ok\\u0009");
        assertThat(Printable.excerpt(null, 300)).isEmpty();
    }
}
