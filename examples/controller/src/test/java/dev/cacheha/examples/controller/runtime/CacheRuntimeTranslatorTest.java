package dev.cacheha.examples.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.BackupVolumeSpec;
import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.JournalSpec;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.fake.ExampleRaftProvider;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.ClientSelector;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheRuntimeTranslatorTest {

    private final CacheRuntimeTranslator translator = Runtimes.translator();

    @Test
    void aValidRuntimeBecomesTheSpecItDescribesWithDefaultsForWhatIsMissing() {
        // Given a runtime that only names its engine
        CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
        runtime.getSpec().setReplicas(null);
        runtime.getSpec().setJournal(null);

        // When it is translated
        TranslatedRuntime translated = translator.translate(runtime);

        // Then the engine's provider and the spec defaults are used
        assertThat(translated.provider().engine()).isEqualTo(ExampleRaftProvider.ENGINE);
        assertThat(translated.spec().replicas()).isEqualTo(3);
        assertThat(translated.spec().journal()).isEqualTo(JournalStorage.persistentVolume("10Gi"));
        assertThat(translated.spec().clusterDomain()).isEqualTo("cluster.local");
    }

    @Test
    void aMemoryJournalTranslatesToAnEmptyDirInMemory() {
        // Given a runtime with a 2Gi memory journal
        CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
        runtime.getSpec().setJournal(new JournalSpec(JournalSpec.MEMORY, null, null, null, "2Gi"));

        // When it is translated, then the journal is a memory emptyDir
        assertThat(translator.translate(runtime).spec().journal()).isEqualTo(JournalStorage.memory("2Gi"));
    }

    @Test
    void everyBrokenRuleOfTheResourceAndTheSpecIsReportedAtOnce() {
        // Given a runtime with a memory journal that sets pvc fields and no limit, an even replica count,
        // a bad cluster domain and a property without a value
        CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 2);
        runtime.getSpec().setJournal(new JournalSpec(JournalSpec.MEMORY, null, "1Gi", null, null));
        runtime.getSpec().setClusterDomain("Not_A_Domain");
        java.util.HashMap<String, String> properties = new java.util.HashMap<>();
        properties.put("raft.election.timeout", null);
        runtime.getSpec().setProperties(properties);

        // When it is translated
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator.translate(runtime));

        // Then each broken rule is named by its field path
        assertThat(refused.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                "journal.size", "journal.sizeLimit", "properties[raft.election.timeout]", "replicas", "clusterDomain");
    }

    @Test
    void anImageIsRunOnlyIfItIsTheEnginesDefaultOrOneTheControllerWasStartedWith() {
        // Given a controller started with one extra image allowed, and runtimes naming images
        CacheRuntimeTranslator allowing = new CacheRuntimeTranslator(HighAvailabilityProviders.load(),
                ControllerSettings.defaults().withAllowedImages(Set.of("registry.example/alluxio:2.9.6-patched"))
                        .admission());
        CacheRuntime chosen = Runtimes.runtime("data", "demo", "alluxio", 3);
        chosen.getSpec().setImage("registry.example/alluxio:2.9.6-patched");
        CacheRuntime engineDefault = Runtimes.runtime("data", "demo", "alluxio", 3);
        engineDefault.getSpec().setImage("alluxio/alluxio:2.9.6");
        CacheRuntime foreign = Runtimes.runtime("data", "demo", "alluxio", 3);
        foreign.getSpec().setImage("attacker/miner:latest");

        // When they are translated
        // Then the allowed and the default image run, and any other is refused naming the images that do
        assertThat(allowing.translate(chosen).spec().image()).hasValue("registry.example/alluxio:2.9.6-patched");
        assertThat(translator.translate(engineDefault).spec().image()).hasValue("alluxio/alluxio:2.9.6");
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator.translate(foreign));
        assertThat(refused.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("image");
            assertThat(violation.rule()).startsWith("'attacker/miner:latest' is not an image this controller runs;"
                    + " it runs [alluxio/alluxio:2.9.6]");
        });
        assertThat(catchThrowableOfType(SpecValidationException.class, () -> allowing.translate(foreign))
                .violations()).extracting(Violation::field).containsExactly("image");
    }

    @Test
    void aControllerInAnotherNamespaceIsLetThroughTheRuntimesNetworkPolicyToAskItsMasters() {
        // Given a controller whose pods run in namespace cache-ha-system
        CacheRuntimeTranslator translator = new CacheRuntimeTranslator(HighAvailabilityProviders.load(),
                ControllerSettings.defaults().withControllerNamespace("cache-ha-system").admission());

        // When a runtime of namespace data and one of the controller's own namespace are translated
        HaSpec elsewhere = translator.translate(Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3))
                .spec();
        HaSpec beside = translator.translate(Runtimes.runtime("cache-ha-system", "demo",
                ExampleRaftProvider.ENGINE, 3)).spec();

        // Then the first lets the controller's namespace reach its client ports; the second needs nothing more
        assertThat(elsewhere.clients()).containsExactly(ClientSelector.namespace("cache-ha-system"));
        assertThat(beside.clients()).isEmpty();
    }

    @Test
    void theClusterDomainIsTheControllersAndARuntimeNamingAnotherIsRefused() {
        // Given a controller started for the domain corp.example
        CacheRuntimeTranslator corp = new CacheRuntimeTranslator(HighAvailabilityProviders.load(),
                ControllerSettings.defaults().withClusterDomain("corp.example").admission());
        CacheRuntime plain = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
        CacheRuntime elsewhere = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
        elsewhere.getSpec().setClusterDomain("attacker.example");

        // When runtimes are translated
        // Then a runtime that names none gets the controller's, and one naming another is refused
        assertThat(corp.translate(plain).spec().clusterDomain()).isEqualTo("corp.example");
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> corp.translate(elsewhere));
        assertThat(refused.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("clusterDomain");
            assertThat(violation.rule()).startsWith("'attacker.example' is not the cluster domain this controller"
                    + " was started with (corp.example)");
        });
    }

    @Test
    void anUnknownEngineIsReportedWithTheInstalledOnes() {
        // Given a runtime of an engine nobody installed
        CacheRuntime runtime = Runtimes.runtime("data", "demo", "jindo-nonexistent", 3);

        // When it is translated
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator.translate(runtime));

        // Then the violation names the field and lists what is installed
        assertThat(refused.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("engine");
            assertThat(violation.rule()).contains("jindo-nonexistent").contains(ExampleRaftProvider.ENGINE);
        });
    }

    @Test
    void theProvidersOwnRulesAreCheckedOnceTheEngineNeutralOnesPass() {
        // Given an otherwise valid runtime that overrides a port the engine does not have
        CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
        runtime.getSpec().setPorts(Map.of("rpc", 7000));

        // When it is translated
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator.translate(runtime));

        // Then the provider's violation is reported
        assertThat(refused.violations()).extracting(Violation::toString)
                .containsExactly("ports.rpc: is not a port of example-raft; use web or journal");
        assertThat(List.of(refused.getMessage())).singleElement().asString().contains("ports.rpc");
    }

    @Test
    void aBackupVolumeWithABadClaimNameAndARelativePathIsReportedFieldByFieldWithTheOtherRules() {
        // Given a runtime with an even replica count and a backup volume whose claim name and path are both wrong
        CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 2);
        runtime.getSpec().setBackupVolume(new BackupVolumeSpec("Backups_Claim", "backups"));

        // When it is translated
        SpecValidationException refused = catchThrowableOfType(SpecValidationException.class,
                () -> translator.translate(runtime));

        // Then all three are reported at once, each by its field path
        assertThat(refused.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                "replicas", "backupVolume.claimName", "backupVolume.mountPath");
    }

    @Test
    void aValidBackupVolumeIsTranslatedAlongWithTheSpec() {
        // Given a runtime with a backup volume
        CacheRuntime runtime = Runtimes.runtime("data", "demo", ExampleRaftProvider.ENGINE, 3);
        runtime.getSpec().setBackupVolume(new BackupVolumeSpec("backups", "/backups"));

        // When it is translated, then the volume comes with it, and holds directories below its path only
        BackupVolume translated = translator.translate(runtime).backupVolume().orElseThrow();
        assertThat(translated).isEqualTo(new BackupVolume("backups", "/backups"));
        assertThat(translated.holds("/backups/data/demo")).isTrue();
        assertThat(translated.holds("/backupsmore")).isFalse();
    }
}
