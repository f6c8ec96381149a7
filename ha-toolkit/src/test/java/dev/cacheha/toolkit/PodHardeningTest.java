package dev.cacheha.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.toolkit.pod.ContainerProbes;
import dev.cacheha.toolkit.pod.RestrictedPodSecurity;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import dev.cacheha.toolkit.pod.WritableDirectory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod pieces the quorum builder takes: assembled properties with secrets, restricted security, probes. */
class PodHardeningTest {

    private static final HaSpec SPEC = HaSpec.builder("geese", "farm")
            .secretProperty("goose.password", "goose-credentials", "password").build();

    private static QuorumObjects.Builder goose(HaSpec spec) {
        return QuorumObjects.builder(GooseEngine.names(spec), GooseEngine.RULES.ports(spec))
                .defaultImage("goose:1")
                .propertiesFile("goose.properties", "/etc/goose", Map.of("goose.peers", "a,b,c"))
                .journal("journal", "/var/goose")
                .journalPorts("raft")
                .container(MasterContainer.named("goose").ports("rpc", "raft")
                        .probes(ContainerProbes.tcpSocket("rpc")).build());
    }

    private static PodTemplateSpec template(List<HasMetadata> objects) {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast).findFirst()
                .orElseThrow().getSpec().getTemplate();
    }

    @Test
    void anAssembledPropertiesFileComesFromAnInitStepThatReadsTheConfigMapAndTheSecret() {
        // Given a quorum whose properties are assembled, with a secret property, restricted and a writable dir
        PodTemplateSpec template = template(goose(SPEC)
                .assembledPropertiesFile(ProcessResources.of(Map.of("memory", "32Mi"), Map.of("memory", "64Mi")))
                .restrictedSecurity(new RestrictedPodSecurity(1000, 1000, true))
                .writableDirectory(new WritableDirectory("tmp", "/tmp", "1Gi"))
                .build());

        // Then the init step reads the Secret by reference, the master mounts the assembled directory
        var init = template.getSpec().getInitContainers();
        assertThat(init).singleElement().satisfies(step -> {
            assertThat(step.getName()).isEqualTo(SiteFileAssembly.INIT_CONTAINER);
            assertThat(step.getEnv()).filteredOn(variable -> variable.getValueFrom() != null).singleElement()
                    .satisfies(variable -> assertThat(variable.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo("goose-credentials"));
            assertThat(step.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        });
        var master = template.getSpec().getContainers().get(0);
        assertThat(master.getVolumeMounts()).extracting(mount -> mount.getMountPath())
                .contains("/etc/goose", "/var/goose", "/tmp")
                .doesNotContain("/etc/goose/goose.properties");
        assertThat(master.getStartupProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("rpc");
        assertThat(master.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(template.getSpec().getAutomountServiceAccountToken()).isFalse();
        // And volumes are re-owned for the group only when their root does not have it yet, not file by file on
        // every start (a mounted backup volume included)
        assertThat(template.getSpec().getSecurityContext().getFsGroup()).isEqualTo(1000L);
        assertThat(template.getSpec().getSecurityContext().getFsGroupChangePolicy()).isEqualTo("OnRootMismatch");
        // And the digest covers the Secret reference: another Secret makes another revision
        String digest = template.getMetadata().getAnnotations().get("cache-ha.dev/goose-sha256");
        HaSpec otherSecret = SPEC.toBuilder().secretProperty("goose.password", "other-credentials", "password")
                .build();
        String otherDigest = template(goose(otherSecret).assembledPropertiesFile(ProcessResources.NONE).build())
                .getMetadata().getAnnotations().get("cache-ha.dev/goose-sha256");
        assertThat(otherDigest).isNotEqualTo(digest);
    }

    @Test
    void secretPropertiesWithoutAnAssemblyStepAreRefusedRatherThanDropped() {
        // Given a spec with a secret property, When the objects are built without assembly, Then they are refused
        assertThatIllegalStateException().isThrownBy(() -> goose(SPEC).build())
                .withMessageContaining("assembledPropertiesFile");
        assertThat(SiteFileAssembly.undelivered(SPEC, "goose")).singleElement()
                .satisfies(violation -> assertThat(violation.field()).isEqualTo("secretProperties[goose.password]"));
    }
}
