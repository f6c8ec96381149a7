package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input that tries to smuggle structure into what the provider renders: property keys and values that would
 * add a line to {@code alluxio-site.properties}, and runtime names that would escape the namespace or inject a
 * label. Every such input is refused, or, where it is harmless text, rendered so the file gains no line.
 */
class InjectionTest {

    /** Characters that end a line for some reader, separate a key, start a comment, escape, or hide text. */
    private static final String HOSTILE = "=: #!\\\n\r\t\u0000\u000b\u000c\u001b\u007f\u0085\u00a0\u2028\u2029"
            + "\ufeff\u202e\u200b\u00e9\ud83d\ude00";
    private static final String PLAIN = "abcxyz.-_019";
    private static final int FUZZ_CASES = 3000;

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    @ParameterizedTest(name = "{0} = \"{1}\"")
    @MethodSource("namesThatEscapeOrInject")
    void aNameOrNamespaceThatWouldEscapeTheNamespaceOrInjectALabelIsRefused(String field, String value) {
        // Given a runtime whose name or namespace carries a path, a selector term, a dot or upper case
        HaSpec.Builder builder = field.equals("name") ? HaSpec.builder(value, "cache") : HaSpec.builder("demo", value);

        // When it is built, Then exactly that field is refused and nothing can be planned
        SpecValidationException refusal = catchThrowableOfType(SpecValidationException.class, builder::build);
        assertThat(refusal).as("%s %s must be refused", field, value).isNotNull();
        assertThat(refusal.violations()).extracting(Violation::field).containsOnly(field);
    }

    static Stream<Arguments> namesThatEscapeOrInject() {
        return Stream.of("name", "namespace").flatMap(field -> Stream.of(
                "a/b", "a.b", "../x", "..", "a,b=c", "a=b", "app.kubernetes.io/name", "Demo", "x".repeat(64),
                "a\nb", "a b", "a\u0000", "kube-system/../default", "d\u0435mo" /* Cyrillic e */, "*", "")
                .map(value -> Arguments.of(field, value)));
    }

    @ParameterizedTest(name = "value \"{0}\"")
    @MethodSource("harmlessButTrickyValues")
    void aValueWithSeparatorsOrUnicodeRendersOnOneLineAndReadsBackUnchanged(String value) throws IOException {
        // Given a property value with separators, comment marks, escapes or non-ASCII text, which the rules accept
        HaSpec spec = HaSpec.builder("demo", "cache").property("alluxio.user.note", value).build();

        // When the plan renders alluxio-site.properties
        HaPlan plan = provider.plan(spec);
        String file = siteFile(plan);

        // Then the file has one line per property, only printable ASCII, and Properties reads the exact value back
        assertOneLinePerProperty(file, plan.properties());
        assertThat(load(file)).containsEntry("alluxio.user.note", value);
    }

    static Stream<String> harmlessButTrickyValues() {
        return Stream.of("a=b", "a:b", "=leading", ":leading", "#comment", "!comment", "  leading blanks",
                "trailing\\", "\\n", "\\u000a", "x\\\\y", "\u00a0non-breaking", "\ufeffbom",
                "\u202eright-to-left", "zero\u200bwidth", "\u00e9t\u00e9", "\ud83d\ude00", "");
    }

    @Test
    void noRandomKeyOrValueFromHostileCharactersAddsALineToTheSiteFile() throws IOException {
        // Given thousands of random keys and values mixing plain text with every hostile character
        Random random = new Random(8);
        int refused = 0;
        int rendered = 0;
        for (int i = 0; i < FUZZ_CASES; i++) {
            String key = "alluxio.fuzz." + randomText(random, 6);
            String value = randomText(random, 12);
            HaSpec.Builder builder = HaSpec.builder("demo", "cache").property(key, value);

            // When the spec is built and, if accepted, planned
            HaSpec spec;
            try {
                spec = builder.build();
            } catch (SpecValidationException refusal) {
                // Then a refusal names the property
                assertThat(refusal.violations()).extracting(Violation::field)
                        .allMatch(field -> field.startsWith("properties["));
                refused++;
                continue;
            }
            HaPlan plan = provider.plan(spec);
            String file = siteFile(plan);

            // Then an accepted one renders one line per property and reads back unchanged
            assertOneLinePerProperty(file, plan.properties());
            assertThat(load(file)).as("key %s value %s", key, value).containsEntry(key, value);
            rendered++;
        }
        System.out.printf("[injection] %d random properties: %d refused, %d rendered, 0 added a line%n",
                FUZZ_CASES, refused, rendered);
        assertThat(refused).isPositive();
        assertThat(rendered).isPositive();
    }

    @Test
    void aPropertyThatWouldReplaceTheJournalAddressesIsRefusedByTheProvider() {
        // Given a user property naming a foreign raft member as the journal quorum
        HaSpec spec = HaSpec.builder("demo", "cache")
                .property("alluxio.master.embedded.journal.addresses", "evil.example:19200")
                .build();

        // When it is validated, Then the provider refuses it under its path
        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOfSatisfying(SpecValidationException.class, refusal -> assertThat(refusal.violations())
                        .extracting(Violation::field)
                        .containsExactly("properties[alluxio.master.embedded.journal.addresses]"));
    }

    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(maxLength);
        while (text.length() < length) {
            String from = random.nextInt(3) == 0 ? HOSTILE : PLAIN;
            int at = random.nextInt(from.length());
            // Keep surrogate pairs whole: half a pair is not text a user can type.
            if (Character.isSurrogate(from.charAt(at))) {
                at = Character.isHighSurrogate(from.charAt(at)) ? at : at - 1;
                text.append(from, at, at + 2);
            } else {
                text.append(from.charAt(at));
            }
        }
        return text.toString();
    }

    private static String siteFile(HaPlan plan) {
        return plan.objects().stream()
                .filter(ConfigMap.class::isInstance)
                .map(ConfigMap.class::cast)
                .findFirst()
                .orElseThrow()
                .getData()
                .get(AlluxioProperties.SITE_FILE);
    }

    private static void assertOneLinePerProperty(String file, Map<String, String> properties) throws IOException {
        assertThat(load(file)).hasSameSizeAs(properties);
        assertThat(file.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c <= 0x7e));
        assertThat(file.split("\n", -1)).hasSize(properties.size() + 1);
        assertThat(file).endsWith("\n");
    }

    private static Map<String, String> load(String file) throws IOException {
        Properties loaded = new Properties();
        loaded.load(new StringReader(file));
        Map<String, String> map = new HashMap<>();
        loaded.stringPropertyNames().forEach(key -> map.put(key, loaded.getProperty(key)));
        return map;
    }
}
