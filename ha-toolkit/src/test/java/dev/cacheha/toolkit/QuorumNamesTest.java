package dev.cacheha.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Member;
import org.junit.jupiter.api.Test;

class QuorumNamesTest {

    @Test
    void everyNameFollowsFromTheRuntimeNameAndTheEnginesSuffix() {
        QuorumNames names = GooseEngine.names(HaSpec.builder("geese", "farm").clusterDomain("k8s.example").build());

        assertThat(names.statefulSet()).isEqualTo("geese-goose");
        assertThat(names.service()).isEqualTo("geese-goose");
        assertThat(names.configMap()).isEqualTo("geese-goose-ha");
        assertThat(names.networkPolicy()).isEqualTo("geese-goose-journal");
        assertThat(names.host(2)).isEqualTo("geese-goose-2.geese-goose.farm.svc.k8s.example");
        assertThat(names.claim("journal", 1)).isEqualTo("journal-geese-goose-1");
        assertThat(names.members()).extracting(Member::podName)
                .containsExactly("geese-goose-0", "geese-goose-1", "geese-goose-2");
        assertThat(names.addresses(7001)).extracting(Object::toString)
                .startsWith("geese-goose-0.geese-goose.farm.svc.k8s.example:7001");
        assertThat(names.labels()).containsEntry("app.kubernetes.io/name", "goose")
                .containsEntry("app.kubernetes.io/instance", "geese");
        assertThat(names.ownHost()).isEqualTo("$(POD_NAME).geese-goose.farm.svc.k8s.example");
        assertThat(names.podNameVariable().getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
    }
}
