package dev.cacheha.examples.controller.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerSettingsTest {

    @Test
    void anEmptyEnvironmentGivesTheDefaultsTheDefaultImagesOnlyAndClusterLocal() {
        ControllerSettings settings = ControllerSettings.fromEnvironment(Map.of());

        assertThat(settings).isEqualTo(ControllerSettings.defaults());
        assertThat(settings.allowedImages()).isEmpty();
        assertThat(settings.clusterDomain()).isEqualTo("cluster.local");
        assertThat(settings.commandThreads()).isEqualTo(16);
        assertThat(settings.commandsPerNamespace()).isEqualTo(4);
    }

    @Test
    void theEnvironmentSetsImagesSortedTheDomainAndTheCommandLimits() {
        ControllerSettings settings = ControllerSettings.fromEnvironment(Map.of(
                ControllerSettings.ALLOWED_IMAGES, " registry.example/b:1, registry.example/a:2 ,",
                ControllerSettings.CLUSTER_DOMAIN, "corp.example",
                ControllerSettings.COMMAND_THREADS, "8",
                ControllerSettings.COMMANDS_PER_NAMESPACE, "2"));

        assertThat(settings.allowedImages()).containsExactly("registry.example/a:2", "registry.example/b:1");
        assertThat(settings.clusterDomain()).isEqualTo("corp.example");
        assertThat(settings.commandThreads()).isEqualTo(8);
        assertThat(settings.commandsPerNamespace()).isEqualTo(2);
    }

    @Test
    void everyBrokenSettingIsNamedAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> ControllerSettings.fromEnvironment(Map.of(
                        ControllerSettings.COMMAND_THREADS, "many",
                        ControllerSettings.COMMANDS_PER_NAMESPACE, "lots")))
                .withMessageContaining("COMMAND_THREADS: must be a whole number, but is 'many'")
                .withMessageContaining("COMMANDS_PER_NAMESPACE: must be a whole number, but is 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> ControllerSettings.fromEnvironment(Map.of(
                        ControllerSettings.COMMAND_THREADS, "2",
                        ControllerSettings.COMMANDS_PER_NAMESPACE, "3")))
                .withMessageContaining("commandsPerNamespace: must be between 1 and commandThreads (2), but is 3");
    }
}
