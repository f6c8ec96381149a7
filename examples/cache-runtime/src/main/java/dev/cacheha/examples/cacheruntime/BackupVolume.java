package dev.cacheha.examples.cacheruntime;

import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code spec.backupVolume} of a CacheRuntime: an existing claim (ReadWriteMany, so every master can
 * mount it), labelled {@value #OPT_IN_LABEL}{@code =true} by its owner, that the controller mounts at the same
 * path in every master container. A backup to a shared volume
 * lands there on the leader, and a restore reads it back on whichever member starts first.
 *
 * @param claimName the PersistentVolumeClaim, in the runtime's namespace; the user makes it and it outlives the
 *     runtime (the controller never deletes it)
 * @param mountPath where it is mounted in every master container, an absolute path
 */
public record BackupVolume(String claimName, String mountPath) {

    /**
     * The label a claim must carry, with the value {@code "true"}, to be mounted as a backup volume: whoever may
     * create a runtime must not be able to mount any claim of the namespace into its masters, so the claim's
     * owner opts in.
     */
    public static final String OPT_IN_LABEL = "data.cacheha.dev/backup-volume";

    /** The name of the pod volume the controller adds; chosen so that no provider's plan uses it. */
    public static final String VOLUME_NAME = "cache-ha-backups";

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** @throws SpecValidationException with every broken rule, under {@code backupVolume.*} */
    public BackupVolume {
        List<Violation> violations = new ArrayList<>();
        if (claimName == null || claimName.isBlank()) {
            violations.add(new Violation("backupVolume.claimName", "is required: the claim to mount"));
        } else if (claimName.length() > 253 || !DNS_SUBDOMAIN.matcher(claimName).matches()) {
            violations.add(new Violation("backupVolume.claimName", "'" + claimName + "' is not a claim name"
                    + " (lower-case letters, digits, '-' and '.', at most 253 characters)"));
        }
        if (mountPath == null || mountPath.isBlank()) {
            violations.add(new Violation("backupVolume.mountPath", "is required: where every master sees it"));
        } else if (!mountPath.startsWith("/") || mountPath.equals("/")
                || List.of(mountPath.split("/")).contains("..")) {
            violations.add(new Violation("backupVolume.mountPath", "must be an absolute path below '/' without"
                    + " '..', but is '" + mountPath + "'"));
        }
        SpecValidationException.throwIfAny(violations);
    }

    /** Whether {@code directory} is this volume's mount path or below it. */
    public boolean holds(String directory) {
        String base = mountPath.endsWith("/") ? mountPath : mountPath + "/";
        return directory.equals(mountPath) || directory.startsWith(base);
    }
}
