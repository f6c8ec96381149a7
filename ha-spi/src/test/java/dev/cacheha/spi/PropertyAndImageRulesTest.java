package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.refusalOf;
import static dev.cacheha.spi.Refusals.validSpec;
import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules that keep engine properties and the image from changing the meaning of the files and manifests
 * they are written into: no line breaks, control characters or properties-file syntax where it would count.
 */
class PropertyAndImageRulesTest {

    private static final String KEY_RULE = "a property key must not contain white space, control characters,"
            + " '=', ':', '\\' or start with '#' or '!': it would change the meaning of the properties file";

    @Test
    void ordinaryPropertiesAreAccepted() {
        // Given keys and values of the kinds engines use, including values with spaces and separators
        HaSpec spec = validSpec()
                .property("alluxio.master.journal.type", "EMBEDDED")
                .property("alluxio.user.file.writetype.default", "CACHE_THROUGH")
                .property("jindo.note", "a value: with = separators # and spaces")
                .property("a#b", "")
                .property("unicode.value", "\u65e5\u672c")
                .build();

        // Then every one is kept
        assertThat(spec.properties()).hasSize(5).containsEntry("jindo.note", "a value: with = separators # and spaces");
    }

    @ParameterizedTest(name = "key \"{1}\"")
    @MethodSource("keysThatBreakThePropertiesFile")
    void aKeyThatWouldChangeThePropertiesFileIsRefusedUnderItsEscapedPath(String key, String shownKey) {
        // Given a key with a separator, comment mark, escape, white space or control character
        // When the spec is built
        // Then the key is refused under its path, with control characters escaped
        assertThat(violationsOf(validSpec().property(key, "v")))
                .containsExactly(new Violation("properties[" + shownKey + "]", KEY_RULE));
    }

    static Stream<Arguments> keysThatBreakThePropertiesFile() {
        return Stream.of(
                Arguments.of("a=b", "a=b"),
                Arguments.of("a:b", "a:b"),
                Arguments.of("a b", "a b"),
                Arguments.of("a\tb", "a\\u0009b"),
                Arguments.of("a\nb", "a\\u000ab"),
                Arguments.of("a\rb", "a\\u000db"),
                Arguments.of("a\u0000b", "a\\u0000b"),
                Arguments.of("a\u007fb", "a\\u007fb"),
                Arguments.of("a\u2028b", "a\\u2028b"),
                Arguments.of("#comment", "#comment"),
                Arguments.of("!comment", "!comment"),
                Arguments.of("a\\b", "a\\b"),
                Arguments.of("trailing ", "trailing "));
    }

    @ParameterizedTest(name = "key \"{0}\"")
    @ValueSource(strings = {"", " ", "\t"})
    void aBlankKeyIsRefused(String key) {
        assertThat(violationsOf(validSpec().property(key, "v"))).singleElement().satisfies(violation ->
                assertThat(violation.rule()).isEqualTo("a property key must not be blank"));
    }

    @ParameterizedTest(name = "value \"{1}\"")
    @MethodSource("valuesWithLineBreaksOrControlCharacters")
    void aValueWithALineBreakOrControlCharacterIsRefusedAndShownEscaped(String value, String shownValue) {
        // Given a value that would end its line, or hide characters, in a properties file
        // When the spec is built
        SpecValidationException refusal = refusalOf(validSpec().property("alluxio.site", value));

        // Then it is refused under the key's path, quoting the value escaped, and the message has no raw break
        assertThat(refusal.violations()).containsExactly(new Violation("properties[alluxio.site]",
                "the value \"" + shownValue + "\" contains a line break or control character"));
        assertThat(refusal.getMessage()).doesNotContain(value).contains(shownValue);
    }

    static Stream<Arguments> valuesWithLineBreaksOrControlCharacters() {
        return Stream.of(
                Arguments.of("x\ny", "x\\u000ay"),
                Arguments.of("x\ry", "x\\u000dy"),
                Arguments.of("x\u2028y", "x\\u2028y"),
                Arguments.of("x\u2029y", "x\\u2029y"),
                Arguments.of("x\u0085y", "x\\u0085y"),
                Arguments.of("x\u0000y", "x\\u0000y"),
                Arguments.of("x\u001by", "x\\u001by"),
                Arguments.of("x\u007fy", "x\\u007fy"),
                Arguments.of("x\ty", "x\\u0009y"));
    }

    @Test
    void aBadKeyWithABadValueReportsBoth() {
        assertThat(violationsOf(validSpec().property("a=b", "x\ny"))).containsExactly(
                new Violation("properties[a=b]", KEY_RULE),
                new Violation("properties[a=b]", "the value \"x\\u000ay\" contains a line break or control character"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"alluxio/alluxio:2.9.6", "registry.example.com:5000/team/jindo@sha256:0123abcd", "busybox"})
    void anImageReferenceIsKept(String image) {
        HaSpec spec = validSpec().image(image).build();

        assertThat(spec.image()).contains(image);
    }

    @Test
    void noImageMeansTheControllerChooses() {
        assertThat(validSpec().build().image()).isEmpty();
    }

    @ParameterizedTest(name = "\"{1}\"")
    @MethodSource("nonImages")
    void aBlankImageOrOneWithWhiteSpaceIsRefused(String image, String shownImage) {
        assertThat(violationsOf(validSpec().image(image))).containsExactly(new Violation("image", "\"" + shownImage
                + "\" is not an image reference: it must be non-empty, without white space or control characters"));
    }

    static Stream<Arguments> nonImages() {
        return Stream.of(
                Arguments.of("", ""),
                Arguments.of("   ", "   "),
                Arguments.of("alluxio/alluxio: 2.9.6", "alluxio/alluxio: 2.9.6"),
                Arguments.of(" alluxio", " alluxio"),
                Arguments.of("alluxio\n", "alluxio\\u000a"),
                Arguments.of("alluxio\u0000", "alluxio\\u0000"));
    }
}
