package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import org.junit.jupiter.api.Test;

/** The rules the Alluxio provider adds to those of every spec, and its independence from Alluxio's jars. */
class AlluxioValidationTest {

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    @Test
    void anUnknownPortNameIsRefusedWithTheKnownNames() {
        // Given a port override Alluxio has no port for
        HaSpec spec = HaSpec.builder("demo", "cache").port("metrics", 9100).build();

        // When it is validated, then the field and the known port names are named
        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).singleElement().satisfies(violation -> {
                            assertThat(violation.field()).isEqualTo("ports.metrics");
                            assertThat(violation.rule()).contains("rpc", "web", "journal", "job-rpc", "job-web",
                                    "job-journal");
                        }));
    }

    @Test
    void anOverrideThatCollidesWithADefaultPortIsRefused() {
        // Given the journal moved onto the default rpc port, which the spec alone cannot see
        HaSpec spec = HaSpec.builder("demo", "cache").port(AlluxioPorts.JOURNAL, 19998).build();

        // When it is validated, then the collision names both ports
        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).containsExactly(new Violation("ports.journal",
                                "19998 is already the default port of ports.rpc of alluxio masters; every port must"
                                        + " be distinct: choose another number or move ports.rpc too")));
    }

    @Test
    void spiAndAlluxioViolationsAreReportedInOnePass() {
        // Given an even replica count (the SPI's rule) and a port Alluxio masters lack (Alluxio's rule)
        HaSpec.Builder builder = HaSpec.builder("demo", "cache").replicas(4).port("bogus", 1);

        // When it is built against the provider
        // Then both violations come back in one exception
        assertThatThrownBy(() -> builder.build(provider))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).extracting(Violation::field)
                                .containsExactly("replicas", "ports.bogus"));
    }

    @Test
    void theNameLeavesRoomForTheMasterSuffixAndTheRevisionHash() {
        // Given the longest name the SPI alone accepts: 52 characters
        HaSpec spec = HaSpec.builder("n".repeat(52), "cache").build();

        // When Alluxio validates it, then "<name>-master" plus the revision hash is too long: 45 at most
        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).singleElement().satisfies(violation -> {
                            assertThat(violation.field()).isEqualTo("name");
                            assertThat(violation.rule()).contains("at most 45 characters")
                                    .contains("StatefulSet \"" + "n".repeat(52) + "-master\"");
                        }));
        // And 45 characters fit the largest quorum
        assertThat(HaSpec.builder("n".repeat(45), "cache").replicas(7).build(provider).name()).hasSize(45);
    }

    @Test
    void everyOwnedPropertyAUserSetsIsReportedAtOnce() {
        // Given user values for three properties the plan owns
        HaSpec spec = HaSpec.builder("demo", "cache")
                .property("alluxio.master.journal.type", "UFS")
                .property("alluxio.master.embedded.journal.addresses", "elsewhere:19200")
                .property("alluxio.master.hostname", "localhost")
                .property("alluxio.user.file.writetype.default", "MUST_CACHE")
                .build();

        // When it is validated, then each owned key is one violation and the free one none
        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                                "properties[alluxio.master.journal.type]",
                                "properties[alluxio.master.embedded.journal.addresses]",
                                "properties[alluxio.master.hostname]"));
    }

    @Test
    void unknownPortsCollisionsAndOwnedKeysAreReportedTogether() {
        // Given one breach of each provider rule
        HaSpec spec = HaSpec.builder("demo", "cache")
                .port("admin", 1)
                .port(AlluxioPorts.JOB_WEB, 19999)
                .property("alluxio.master.rpc.port", "1")
                .build();

        // When it is validated, then all three come back in one exception
        assertThatThrownBy(() -> provider.validate(spec))
                .isInstanceOfSatisfying(SpecValidationException.class, refused ->
                        assertThat(refused.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                                "ports.admin", "ports.job-web", "properties[alluxio.master.rpc.port]"));
    }

    @Test
    void aSpecWithinEveryRuleIsPlanned() {
        // Given a spec within every rule
        HaSpec spec = HaSpec.builder("demo", "cache").build();

        // When it is validated, then nothing is thrown
        provider.validate(spec);
        assertThat(provider.plan(spec).engine()).isEqualTo("alluxio");
    }

    @Test
    void noAlluxioClassIsOnTheClasspath() {
        // The provider writes Alluxio's configuration from its own knowledge; it must not drag in Alluxio's jars
        // (and their old Guava, gRPC and Ratis) where controllers load it.
        assertThatThrownBy(() -> Class.forName("alluxio.conf.PropertyKey"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
