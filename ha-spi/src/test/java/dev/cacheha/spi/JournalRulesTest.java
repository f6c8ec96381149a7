package dev.cacheha.spi;

import static dev.cacheha.spi.Refusals.validSpec;
import static dev.cacheha.spi.Refusals.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The journal rules: quantities of at least one byte, a DNS-1123 storage class, known and distinct access modes. */
class JournalRulesTest {

    /** Each kind of journal with the field path its quantity is reported under. */
    static Stream<Arguments> journalKinds() {
        return Stream.of(
                Arguments.of(Named.of("persistent volume",
                        (Function<String, JournalStorage>) JournalStorage::persistentVolume), "journal.size"),
                Arguments.of(Named.of("memory",
                        (Function<String, JournalStorage>) JournalStorage::memory), "journal.sizeLimit"),
                Arguments.of(Named.of("disk",
                        (Function<String, JournalStorage>) JournalStorage::disk), "journal.sizeLimit"));
    }

    /** Every journal kind crossed with each of {@code quantities}. */
    private static Stream<Arguments> everyKindWith(String... quantities) {
        return journalKinds().flatMap(kind -> Stream.of(quantities)
                .map(quantity -> Arguments.of(kind.get()[0], kind.get()[1], quantity)));
    }

    static Stream<Arguments> validQuantities() {
        return everyKindWith("10Gi", "1.5Gi", "500Mi", "1", "2G", "+1Ki");
    }

    static Stream<Arguments> nonQuantities() {
        return everyKindWith("", "lots", "10GB", "10gi", "10Gi!", " 10Gi", "10 Gi", "Gi", "1.5.5Gi", "1,5Gi");
    }

    static Stream<Arguments> quantitiesBelowOneByte() {
        return everyKindWith("0", "0Gi", "-0", "-1Gi", "-500Mi", "100m", "999m");
    }

    @ParameterizedTest(name = "{0} of {2}")
    @MethodSource("validQuantities")
    void aPositiveQuantityIsAcceptedForEveryJournalKind(
            Function<String, JournalStorage> journalOfSize, String field, String quantity) {
        // Given a journal of a positive Kubernetes quantity
        JournalStorage journal = journalOfSize.apply(quantity);

        // When the spec is built
        HaSpec spec = validSpec().journal(journal).build();

        // Then the journal is kept, quantity as written
        assertThat(spec.journal()).isEqualTo(journal);
    }

    @ParameterizedTest(name = "{0} of \"{2}\"")
    @MethodSource("nonQuantities")
    void aSizeThatIsNotAQuantityIsRefusedUnderItsFieldPath(
            Function<String, JournalStorage> journalOfSize, String field, String quantity) {
        assertThat(violationsOf(validSpec().journal(journalOfSize.apply(quantity)))).containsExactly(
                new Violation(field, "\"" + quantity + "\" is not a Kubernetes quantity (such as 10Gi or 500Mi)"));
    }

    @ParameterizedTest(name = "{0} of {2}")
    @MethodSource("quantitiesBelowOneByte")
    void aSizeBelowOneByteIsRefusedUnderItsFieldPath(
            Function<String, JournalStorage> journalOfSize, String field, String quantity) {
        assertThat(violationsOf(validSpec().journal(journalOfSize.apply(quantity))))
                .containsExactly(new Violation(field, "\"" + quantity + "\" must be at least one byte"));
    }

    @Test
    void aMissingJournalIsRefusedAsRequired() {
        assertThat(violationsOf(validSpec().journal(null))).containsExactly(new Violation("journal", "is required"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"standard", "fast-ssd", "ebs.csi.aws.com", "gp3", "a"})
    void aDnsSubdomainIsAcceptedAsStorageClass(String storageClass) {
        // Given a journal in a storage class named by a DNS-1123 subdomain
        JournalStorage journal = JournalStorage.persistentVolume("10Gi").withStorageClass(storageClass);

        // When the spec is built
        HaSpec spec = validSpec().journal(journal).build();

        // Then the class is kept
        assertThat(((JournalStorage.PersistentVolume) spec.journal()).storageClass()).isEqualTo(storageClass);
    }

    @Test
    void theLongestStorageClassASubdomainAllowsIsAccepted() {
        // Given 253 characters: four 63-character labels and three dots, less two characters
        String storageClass = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));

        HaSpec spec = validSpec().journal(JournalStorage.persistentVolume("1Gi").withStorageClass(storageClass))
                .build();

        assertThat(((JournalStorage.PersistentVolume) spec.journal()).storageClass()).hasSize(253);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("nonSubdomains")
    void aStorageClassThatIsNotADnsSubdomainIsRefused(String storageClass) {
        JournalStorage journal = JournalStorage.persistentVolume("10Gi").withStorageClass(storageClass);

        assertThat(violationsOf(validSpec().journal(journal))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("journal.storageClass");
            assertThat(violation.rule())
                    .startsWith("\"" + storageClass + "\" is not a DNS-1123 subdomain")
                    .contains("at most 253 characters");
        });
    }

    static Stream<String> nonSubdomains() {
        return Stream.of("Standard", "fast_ssd", "-fast", "fast-", "fast.", ".fast", "fast..ssd", "fast ssd",
                "x".repeat(64), String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)));
    }

    @Test
    void anEmptyStorageClassIsRefusedAsEmpty() {
        JournalStorage journal = JournalStorage.persistentVolume("10Gi").withStorageClass("");

        assertThat(violationsOf(validSpec().journal(journal)))
                .containsExactly(new Violation("journal.storageClass", "must not be empty"));
    }

    @Test
    void everyKnownAccessModeIsAcceptedAndKeptInOrder() {
        // Given the access modes Kubernetes knows, other than ReadWriteOncePod, which must stand alone
        List<String> modes = List.of("ReadWriteMany", "ReadWriteOnce", "ReadOnlyMany");

        HaSpec spec = validSpec().journal(JournalStorage.persistentVolume("10Gi").withAccessModes(modes)).build();

        assertThat(((JournalStorage.PersistentVolume) spec.journal()).accessModes()).isEqualTo(modes);
    }

    @Test
    void readWriteOncePodIsAcceptedAlone() {
        List<String> modes = List.of("ReadWriteOncePod");

        HaSpec spec = validSpec().journal(JournalStorage.persistentVolume("10Gi").withAccessModes(modes)).build();

        assertThat(((JournalStorage.PersistentVolume) spec.journal()).accessModes()).isEqualTo(modes);
    }

    @Test
    void readWriteOncePodWithAnotherModeIsRefusedAsKubernetesWould() {
        JournalStorage journal = JournalStorage.persistentVolume("10Gi")
                .withAccessModes(List.of("ReadWriteOnce", "ReadWriteOncePod"));

        assertThat(violationsOf(validSpec().journal(journal))).containsExactly(new Violation("journal.accessModes",
                "[ReadWriteOnce, ReadWriteOncePod] combines ReadWriteOncePod with other access modes, which"
                        + " Kubernetes refuses; use it alone"));
    }

    @Test
    void anUnknownAccessModeIsRefusedAtItsIndexListingTheKnownModes() {
        // Given a known mode followed by two unknown ones
        JournalStorage journal = JournalStorage.persistentVolume("10Gi")
                .withAccessModes(List.of("ReadWriteOnce", "ReadWriteSometimes", "readwriteonce"));

        // When the spec is built
        // Then each unknown mode is refused at its own index, listing the modes that exist, sorted
        String known = "[ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod]";
        assertThat(violationsOf(validSpec().journal(journal))).containsExactly(
                new Violation("journal.accessModes[1]", "\"ReadWriteSometimes\" is not an access mode; use one of "
                        + known),
                new Violation("journal.accessModes[2]", "\"readwriteonce\" is not an access mode; use one of "
                        + known));
    }

    @Test
    void anAccessModeListedTwiceIsRefused() {
        JournalStorage journal = JournalStorage.persistentVolume("10Gi")
                .withAccessModes(List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteOnce"));

        assertThat(violationsOf(validSpec().journal(journal))).containsExactly(new Violation("journal.accessModes",
                "[ReadWriteOnce, ReadOnlyMany, ReadWriteOnce] lists an access mode twice"));
    }

    @Test
    void anAccessModeWithAControlCharacterIsShownEscapedSoTheMessageKeepsItsLines() {
        JournalStorage journal = JournalStorage.persistentVolume("10Gi")
                .withAccessModes(List.of("Read\nWrite", "Read\nWrite"));

        assertThat(violationsOf(validSpec().journal(journal))).extracting(Violation::rule)
                .containsExactly(
                        "\"Read\\u000aWrite\" is not an access mode; use one of "
                                + "[ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod]",
                        "\"Read\\u000aWrite\" is not an access mode; use one of "
                                + "[ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod]",
                        "[Read\\u000aWrite, Read\\u000aWrite] lists an access mode twice");
    }
}
