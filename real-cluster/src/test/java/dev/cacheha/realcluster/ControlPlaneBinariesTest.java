package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder of the control plane's binaries: an incomplete one is refused with what is missing and the fix. */
class ControlPlaneBinariesTest {

    @Test
    void folderMissingBinariesIsRefusedNamingEachAndTheBuildScript(@TempDir Path folder) throws IOException {
        // Given a folder with etcd and kubectl only
        Files.createFile(folder.resolve("etcd"));
        Files.createFile(folder.resolve("kubectl"));

        // When it is taken as the control plane's folder, then the error names every missing file and the script
        assertThatThrownBy(() -> ControlPlaneBinaries.in(folder))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("missing in " + folder + ": kube-apiserver, kube-controller-manager, kube-scheduler, kwok,"
                        + " kwok-stages.yaml; run real-cluster/build-control-plane.sh --link " + folder);
    }

    @Test
    void completeFolderNamesEachExecutableAndRefusesOtherNames(@TempDir Path folder) throws IOException {
        // Given a folder with every binary and kwok's stages
        for (String name : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl",
                "kwok", "kwok-stages.yaml")) {
            Files.createFile(folder.resolve(name));
        }

        // When it is taken, then it names each file in it, and a name that is not a control-plane binary is refused
        ControlPlaneBinaries binaries = ControlPlaneBinaries.in(folder);
        assertThat(binaries.executable("kubectl")).isEqualTo(folder.resolve("kubectl"));
        assertThat(binaries.kwokStages()).isEqualTo(folder.resolve("kwok-stages.yaml"));
        assertThatThrownBy(() -> binaries.executable("../../bin/sh"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a control-plane binary: ../../bin/sh");
    }
}
