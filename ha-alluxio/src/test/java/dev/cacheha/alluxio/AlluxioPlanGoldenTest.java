package dev.cacheha.alluxio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered plans, compared byte for byte with files checked in under {@code src/test/resources/golden}.
 *
 * <p>After an intended change to the plan, regenerate the files and review the diff before committing:
 * {@code mvn -B -o -q -pl ha-alluxio verify -Dgolden.update=true -Dtest=AlluxioPlanGoldenTest}.
 */
class AlluxioPlanGoldenTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    static Stream<Arguments> goldenSpecs() {
        return Stream.of(1, 3, 5).flatMap(replicas -> Stream.of(
                Arguments.of(replicas, "pvc", JournalStorage.persistentVolume("20Gi").withStorageClass("fast-ssd")),
                Arguments.of(replicas, "memory", JournalStorage.memory("2Gi"))));
    }

    @ParameterizedTest(name = "{0} replicas, {1} journal")
    @MethodSource("goldenSpecs")
    void thePlanRendersExactlyAsTheGoldenFile(int replicas, String journalName, JournalStorage journal)
            throws IOException {
        // Given a runtime with a restricted journal and one property of its own
        HaSpec spec = HaSpec.builder("demo", "cache")
                .replicas(replicas)
                .journal(journal)
                .restrictJournalTraffic(true)
                .property("alluxio.master.mount.table.root.ufs", "/underFSStorage")
                .build();
        Path golden = GOLDEN.resolve("demo-" + replicas + "-replicas-" + journalName + "-journal.yaml");

        // When its plan is rendered
        String rendered = PlanYaml.of(provider.plan(spec));
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, rendered, UTF_8);
        }

        // Then it is the checked-in file, byte for byte
        assertThat(golden).exists();
        assertThat(rendered).isEqualTo(Files.readString(golden, UTF_8));
    }

    @Test
    void planningTheSameSpecTwiceRendersIdenticalBytes() {
        // Given one spec
        HaSpec spec = HaSpec.builder("demo", "cache").replicas(5).restrictJournalTraffic(true).build();

        // When it is planned twice
        String first = PlanYaml.of(provider.plan(spec));
        String second = PlanYaml.of(provider.plan(spec));

        // Then both renderings are the same bytes
        assertThat(second).isEqualTo(first);
    }

    @Test
    void specsBuiltInDifferentInsertionOrderRenderIdenticalBytes() {
        // Given two equal specs whose ports and properties were added in opposite orders
        HaSpec forward = HaSpec.builder("demo", "cache")
                .port(AlluxioPorts.RPC, 29998).port(AlluxioPorts.WEB, 29999).port(AlluxioPorts.JOB_WEB, 30002)
                .property("alluxio.user.block.size.bytes.default", "64MB")
                .property("alluxio.master.mount.table.root.ufs", "/ufs")
                .property("alluxio.security.authentication.type", "NOSASL")
                .build();
        HaSpec backward = HaSpec.builder("demo", "cache")
                .property("alluxio.security.authentication.type", "NOSASL")
                .property("alluxio.master.mount.table.root.ufs", "/ufs")
                .property("alluxio.user.block.size.bytes.default", "64MB")
                .port(AlluxioPorts.JOB_WEB, 30002).port(AlluxioPorts.WEB, 29999).port(AlluxioPorts.RPC, 29998)
                .build();

        // When both are planned
        String fromForward = PlanYaml.of(provider.plan(forward));
        String fromBackward = PlanYaml.of(provider.plan(backward));

        // Then the renderings are the same bytes
        assertThat(fromBackward).isEqualTo(fromForward);
    }
}
