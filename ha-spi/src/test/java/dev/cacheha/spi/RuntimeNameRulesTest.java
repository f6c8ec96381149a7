package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime name and namespace rules: DNS-1123 labels, and a name short enough for every derived object. */
class RuntimeNameRulesTest {

    /**
     * The longest name whose StatefulSet still fits a controller-revision-hash label when no engine adds a suffix
     * (the SPI alone); {@link EngineRulesTest} covers the engines' suffixes.
     */
    private static final int LONGEST_NAME = 63 - 11;

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"a", "cache", "hbase-01", "a-b-c-9"})
    void aDnsLabelIsAcceptedAsRuntimeName(String name) {
        // Given a runtime named with a DNS-1123 label
        // When it is built
        HaSpec spec = HaSpec.builder(name, "fluid").build();

        // Then the name is kept as given
        assertThat(spec.name()).isEqualTo(name);
    }

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"0cache", "9", "1-a"})
    void aNameStartingWithADigitIsRefusedBecauseTheServiceIsNamedAfterIt(String name) {
        // Given a DNS-1123 label that starts with a digit; When it is built as a runtime name
        // Then it is refused: Service names must be DNS-1035 labels
        assertThat(violationsOf(HaSpec.builder(name, "fluid"))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("name");
            assertThat(violation.rule()).contains("must start with a letter").contains("DNS-1035");
        });
    }

    @ParameterizedTest(name = "namespace \"{0}\"")
    @MethodSource("validNamespaces")
    void aDnsLabelIsAcceptedAsNamespace(String namespace) {
        HaSpec spec = HaSpec.builder("cache", namespace).build();

        assertThat(spec.namespace()).isEqualTo(namespace);
    }

    static Stream<String> validNamespaces() {
        return Stream.of("default", "kube-system", "a", "9", "x".repeat(63));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource("nonLabels")
    void aValueThatIsNotADnsLabelIsRefusedWithItsFieldNamed(String field, String value) {
        // Given a name or namespace that is not a DNS-1123 label
        HaSpec.Builder builder = field.equals("name") ? HaSpec.builder(value, "fluid") : HaSpec.builder("cache", value);

        // When it is built, Then exactly that field is refused, and the rule quotes the value and says why
        assertThat(violationsOf(builder)).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo(field);
            assertThat(violation.rule())
                    .contains("\"" + value + "\"")
                    .contains("is not a DNS-1123 label")
                    .contains("at most 63 lower-case letters, digits and '-'");
        });
    }

    static Stream<Arguments> nonLabels() {
        return Stream.of("name", "namespace").flatMap(field -> Stream.of(
                Arguments.of(field, "Cache"),
                Arguments.of(field, "CACHE"),
                Arguments.of(field, "-cache"),
                Arguments.of(field, "cache-"),
                Arguments.of(field, "-"),
                Arguments.of(field, "ca_che"),
                Arguments.of(field, "ca.che"),
                Arguments.of(field, "ca che"),
                Arguments.of(field, "x".repeat(64))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("missingValues")
    void aMissingNameOrNamespaceIsRefusedAsRequired(String field, String value) {
        HaSpec.Builder builder = field.equals("name") ? HaSpec.builder(value, "fluid") : HaSpec.builder("cache", value);

        assertThat(violationsOf(builder)).containsExactly(new Violation(field, "is required"));
    }

    static Stream<Arguments> missingValues() {
        return Stream.of(
                Arguments.of("name", null),
                Arguments.of("name", ""),
                Arguments.of("namespace", null),
                Arguments.of("namespace", ""));
    }

    @Test
    void theLongestNameThatFitsTheRevisionHashLabelIsAccepted() {
        // Given a name of exactly 52 characters: "<name>-<10-character hash>" is 63
        String name = "n".repeat(LONGEST_NAME);

        // When it is built with the largest quorum
        HaSpec spec = HaSpec.builder(name, "fluid").replicas(7).build();

        // Then it is accepted
        assertThat(spec.name()).hasSize(52);
    }

    @ParameterizedTest(name = "{0} characters")
    @ValueSource(ints = {53, 57, 61})
    void aNameTooLongForTheStatefulSetRevisionHashLabelIsRefused(int length) {
        // Given a name whose pods would fit in 63 characters but whose controller-revision-hash label would not
        String name = "n".repeat(length);

        // When it is built
        // Then the name is refused, and the rule gives the limit and the label it protects
        assertThat(violationsOf(HaSpec.builder(name, "fluid"))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("name");
            assertThat(violation.rule())
                    .startsWith("\"" + name + "\" is too long")
                    .contains("at most 52 characters")
                    .contains("StatefulSet \"" + name + "\"")
                    .contains("controller-revision-hash");
        });
    }

    @ParameterizedTest(name = "{0} characters, {1} replicas")
    @MethodSource("namesTooLongForThePodName")
    void aNameWhoseLastPodNameExceeds63CharactersIsRefusedNamingThatPod(int length, int replicas) {
        // Given a name that is a valid label but whose last master pod "<name>-<replicas-1>" is too long
        String name = "n".repeat(length);
        String lastPod = name + "-" + (replicas - 1);

        // When it is built
        // Then the name is refused with the pod name and its length
        assertThat(violationsOf(HaSpec.builder(name, "fluid").replicas(replicas))).singleElement()
                .isEqualTo(new Violation("name", "\"" + name + "\" is too long: pod name \"" + lastPod + "\" has "
                        + lastPod.length() + " characters, more than 63"));
    }

    static Stream<Arguments> namesTooLongForThePodName() {
        return Stream.of(Arguments.of(62, 3), Arguments.of(62, 1), Arguments.of(63, 7));
    }
}
