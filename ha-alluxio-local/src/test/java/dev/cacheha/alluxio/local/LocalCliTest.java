package dev.cacheha.alluxio.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.PodExec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local CLI answers without starting a JVM: the job master's journal quorum, which the harness does not
 * run, has no member to remove.
 */
class LocalCliTest {

    private static final List<String> REMOVE = List.of("alluxio", "fsadmin", "journal", "quorum", "remove");

    private final HaSpec spec = HaSpec.builder("demo", "cache").replicas(3).build();
    private final Member member = AlluxioNames.of(spec).members().get(0);

    @Test
    void aRemovalFromTheJobMastersQuorumHasNothingToRemoveAndRunsNoJvm(@TempDir Path root) throws Exception {
        // Given the CLI of a member (its classpath and directories are never used here)
        LocalCli cli = new LocalCli(List.of(member), null, root, ordinal -> null, new LoopbackMapping(spec,
                List.of(ports(1000), ports(1100), ports(1200))));

        // When member 2 is removed from the job master's journal quorum
        PodExec.Result result = cli.exec(member, AlluxioNames.CONTAINER, List.of("timeout", "-s", "KILL", "28",
                        "alluxio", "fsadmin", "journal", "quorum", "remove", "-domain", "JOB_MASTER", "-address",
                        "demo-master-2.demo-master.cache.svc.cluster.local:20003"), Duration.ofSeconds(5))
                .get();

        // Then it exits 0, says why on stderr, and started no command
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("no job master runs here");
        assertThat(Files.exists(root.resolve("cli"))).isFalse();
    }

    @Test
    void onlyARemovalFromTheJobMastersQuorumIsAnsweredSo() {
        assertThat(LocalCli.removesFromJobMasterQuorum(concat("-domain", "JOB_MASTER", "-address", "h:1"))).isTrue();
        assertThat(LocalCli.removesFromJobMasterQuorum(concat("-address", "h:1", "-domain", "JOB_MASTER"))).isTrue();
        assertThat(LocalCli.removesFromJobMasterQuorum(concat("-domain", "MASTER", "-address", "h:1"))).isFalse();
        assertThat(LocalCli.removesFromJobMasterQuorum(List.of("alluxio", "fsadmin", "journal", "quorum", "info",
                "-domain", "JOB_MASTER"))).isFalse();
    }

    private static List<String> concat(String... arguments) {
        return Stream.concat(REMOVE.stream(), Arrays.stream(arguments)).toList();
    }

    private static AlluxioPorts ports(int first) {
        return new AlluxioPorts(first, first + 1, first + 2, first + 3, first + 4, first + 5);
    }
}
