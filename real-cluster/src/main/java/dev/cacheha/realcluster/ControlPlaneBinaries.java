package dev.cacheha.realcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder holding the control plane that {@code real-cluster/build-control-plane.sh} builds: etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok, and kwok's own default stages.
 *
 * @param directory the folder (the build's cache folder, or the link Maven makes to it in {@code target/})
 */
public record ControlPlaneBinaries(Path directory) {

    /** The system property naming the folder; Maven sets it for the tests of the real-cluster module. */
    public static final String DIRECTORY_PROPERTY = "cacheha.realCluster.bin";

    private static final List<String> EXECUTABLES =
            List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl", "kwok");
    private static final String KWOK_STAGES = "kwok-stages.yaml";

    /**
     * The folder {@value #DIRECTORY_PROPERTY} names, checked to hold every binary (see {@link #in(Path)}).
     *
     * @throws IllegalStateException naming the property when it is not set, or what {@link #in(Path)} throws
     */
    public static ControlPlaneBinaries fromSystemProperty() {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null || directory.isBlank()) {
            throw new IllegalStateException("system property " + DIRECTORY_PROPERTY + " is not set: it names the"
                    + " folder real-cluster/build-control-plane.sh builds into (Maven sets it for the tests)");
        }
        return in(Path.of(directory));
    }

    /**
     * The binaries in {@code directory}, checked to be all there.
     *
     * @throws IllegalStateException naming each missing file and the script that builds it
     */
    public static ControlPlaneBinaries in(Path directory) {
        ControlPlaneBinaries binaries = new ControlPlaneBinaries(directory);
        List<String> missing = binaries.missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing in " + directory + ": " + String.join(", ", missing)
                    + "; run real-cluster/build-control-plane.sh --link " + directory);
        }
        return binaries;
    }

    private List<String> missing() {
        return Stream.concat(EXECUTABLES.stream(), Stream.of(KWOK_STAGES))
                .filter(name -> !Files.isRegularFile(directory.resolve(name)))
                .toList();
    }

    /** The executable called {@code name} (one of etcd, kube-apiserver, ..., kubectl, kwok). */
    public Path executable(String name) {
        if (!EXECUTABLES.contains(name)) {
            throw new IllegalArgumentException("not a control-plane binary: " + name + " (one of " + EXECUTABLES + ")");
        }
        return directory.resolve(name);
    }

    /** kwok's default node and pod stages at the pinned kwok version, as the build script extracted them. */
    public Path kwokStages() {
        return directory.resolve(KWOK_STAGES);
    }
}
