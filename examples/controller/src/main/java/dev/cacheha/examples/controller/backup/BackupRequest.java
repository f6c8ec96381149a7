package dev.cacheha.examples.controller.backup;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.BackupTarget;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link CacheRuntimeBackupSpec} that obeys every rule: the runtime to back up and the SPI's
 * {@link BackupTarget}.
 *
 * @param runtimeName the CacheRuntime, in the backup's namespace
 * @param target where the backup goes
 */
public record BackupRequest(String runtimeName, BackupTarget target) {

    public BackupRequest {
        requireNonNull(runtimeName, "runtimeName");
        requireNonNull(target, "target");
    }

    /**
     * The request {@code spec} makes.
     *
     * @throws SpecValidationException with every broken rule, each naming its field below {@code spec}
     */
    public static BackupRequest of(CacheRuntimeBackupSpec spec) {
        CacheRuntimeBackupSpec given = Objects.requireNonNullElseGet(spec,
                () -> new CacheRuntimeBackupSpec(null, null));
        List<Violation> violations = new ArrayList<>();
        if (given.runtimeName() == null || given.runtimeName().isBlank()) {
            violations.add(new Violation("spec.runtimeName", "is required: the CacheRuntime to back up"));
        }
        BackupTarget target = target(given.target(), violations);
        SpecValidationException.throwIfAny(violations);
        return new BackupRequest(given.runtimeName(), target);
    }

    private static BackupTarget target(CacheRuntimeBackupSpec.Target target, List<Violation> violations) {
        CacheRuntimeBackupSpec.Directory shared = target == null ? null : target.sharedVolume();
        CacheRuntimeBackupSpec.Directory under = target == null ? null : target.underStorage();
        if ((shared == null) == (under == null)) {
            violations.add(new Violation("spec.target", (shared == null ? "names neither" : "names both")
                    + " sharedVolume and underStorage: name exactly one"));
            return null;
        }
        return shared != null
                ? directory("spec.target.sharedVolume.directory", shared, BackupTarget.SharedVolume::new, violations)
                : directory("spec.target.underStorage.directory", under, BackupTarget.UnderStorage::new, violations);
    }

    /** The SPI's directory rules, reported under this resource's field path. */
    private static BackupTarget directory(String field, CacheRuntimeBackupSpec.Directory given,
            Function<String, BackupTarget> kind, List<Violation> violations) {
        try {
            return kind.apply(given.directory());
        } catch (SpecValidationException broken) {
            broken.violations().forEach(violation -> violations.add(new Violation(field, violation.rule())));
            return null;
        }
    }
}
