package dev.cacheha.examples.controller.ownership;

import static dev.cacheha.examples.controller.fake.ControllerHarness.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupStatus;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.ControllerHarness;
import dev.cacheha.examples.controller.fake.Eventually;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.ServerRequests.Request;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.PodExec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime blocked by a foreign quorum of its own name (an Alluxio plan rendered and applied without an owner,
 * as {@code cache-ha render | kubectl apply} does) deletes, execs and mounts nothing, and a backup of it is
 * refused with the reason: the reproduction of issue #20's High finding.
 */
class ForeignQuorumTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final TestEngine ENGINE = TestEngine.ALLUXIO;
    private static final String FILE = "/backups/data/demo/alluxio-backup-2026-11-30.gz";

    private ControllerHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aRuntimeBlockedByAForeignQuorumOfItsNameBacksUpNothingAndDeletesNoClaimWhenDeleted() {
        // Given the Alluxio plan for data/demo applied by someone else, without an owner, running three members
        harness = new ControllerHarness(ENGINE);
        harness.quorum().with("demo-master-1", "demo-master-0", "demo-master-2");
        harness.exec().answering(call -> new PodExec.Result(0, ENGINE.backupOutput(FILE), ""));
        CacheRuntime spec = Backups.withBackupVolume(Runtimes.runtime(NAMESPACE, "demo", ENGINE.engine(), 3));
        TranslatedRuntime translated = Runtimes.translator().translate(spec);
        for (HasMetadata object : translated.provider().plan(translated.spec()).objects()) {
            object.getMetadata().setNamespace(NAMESPACE);
            harness.test().resource(object).create();
        }
        List<String> foreignClaims = Eventually.within(BUDGET, "the foreign quorum's three claims", () -> {
            List<String> claims = claimNames();
            return claims.size() == 3 ? claims : null;
        });
        Backups.labelledClaim(harness, "backups");

        // When CacheRuntime demo is created, a backup of it is asked for, and the runtime is deleted
        harness.test().resource(spec).create();
        CacheRuntime blocked = harness.await("demo", runtime -> runtime.getStatus() != null
                && runtime.getStatus().getBlockedBy() != null, BUDGET, "demo blocked");
        harness.test().resource(Backups.toSharedVolume("nightly", "demo", "/backups")).create();
        CacheRuntimeBackup pending = Backups.awaitPhase(harness, "nightly", CacheRuntimeBackupStatus.PENDING,
                BUDGET);
        harness.test().resources(CacheRuntime.class).inNamespace(NAMESPACE).withName("demo").delete();
        Eventually.within(BUDGET, "demo gone", () -> harness.runtime("demo") == null ? true : null);

        // Then the runtime was blocked, the backup says why it was refused, and no command ran anywhere
        assertThat(blocked.getStatus().getBlockedBy()).anyMatch(blocker -> blocker.startsWith("StatefulSet"));
        assertThat(pending.getStatus().getMessage()).startsWith("refused: StatefulSet demo-master is not"
                + " controlled by any owner, not by runtime demo");
        assertThat(harness.exec().calls()).isEmpty();
        // And the controller sent no DELETE, and every foreign claim is still there
        assertThat(harness.requests().sinceLastCall()).extracting(Request::method).doesNotContain("DELETE");
        assertThat(claimNames()).isEqualTo(foreignClaims);
    }

    private List<String> claimNames() {
        return harness.test().persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems().stream()
                .map(PersistentVolumeClaim::getMetadata).map(meta -> meta.getName())
                .filter(name -> name.startsWith("journal")).sorted().toList();
    }
}
