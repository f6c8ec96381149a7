package dev.cacheha.toolkit.pod;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * A path an engine writes at run time, backed by an {@code emptyDir} so that the container's root file system
 * can be read-only: logs, scratch space, caches that are rebuilt on start.
 *
 * @param volume the volume's name in the pod
 * @param mountPath where the engine writes
 * @param sizeLimit the most the directory may hold on the node's disk, a Kubernetes quantity
 */
public record WritableDirectory(String volume, String mountPath, String sizeLimit) {

    /** Requires every part. */
    public WritableDirectory {
        requireNonNull(volume, "volume");
        requireNonNull(mountPath, "mountPath");
        requireNonNull(sizeLimit, "sizeLimit");
    }

    /** The pod's volume: an {@code emptyDir} on the node's disk, capped at {@link #sizeLimit()}. */
    public Volume toVolume() {
        EmptyDirVolumeSource emptyDir = new EmptyDirVolumeSource();
        emptyDir.setSizeLimit(new Quantity(sizeLimit));
        Volume pod = new Volume();
        pod.setName(volume);
        pod.setEmptyDir(emptyDir);
        return pod;
    }

    /** The container's mount of the volume at {@link #mountPath()}. */
    public VolumeMount toMount() {
        VolumeMount mount = new VolumeMount();
        mount.setName(volume);
        mount.setMountPath(mountPath);
        return mount;
    }
}
