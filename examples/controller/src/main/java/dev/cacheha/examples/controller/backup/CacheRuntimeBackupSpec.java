package dev.cacheha.examples.controller.backup;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What a user writes under {@code spec:} of a {@link CacheRuntimeBackup}; {@link BackupRequest} checks it. */
@ValidationRule(value = "self == oldSelf",
        message = "spec is immutable; create another CacheRuntimeBackup for another backup")
public class CacheRuntimeBackupSpec {

    @Required
    @Size(min = 1, max = 253)
    private String runtimeName;
    @Required
    private Target target;

    /** The CacheRuntime to back up, in the backup's namespace. */
    public String getRuntimeName() {
        return runtimeName;
    }

    /** Sets {@link #getRuntimeName()}. */
    public void setRuntimeName(String runtimeName) {
        this.runtimeName = runtimeName;
    }

    /** Where the backup goes: exactly one of {@code sharedVolume} and {@code underStorage}. */
    public Target getTarget() {
        return target;
    }

    /** Sets {@link #getTarget()}. */
    public void setTarget(Target target) {
        this.target = target;
    }

    /** {@code spec.target}: one of two kinds of place, each a directory. */
    @ValidationRule(value = "has(self.sharedVolume) != has(self.underStorage)",
            message = "name exactly one of sharedVolume and underStorage")
    public static class Target {

        private Directory sharedVolume;
        private Directory underStorage;

        /** A directory on a volume mounted at the same path in every master container. */
        public Directory getSharedVolume() {
            return sharedVolume;
        }

        /** Sets {@link #getSharedVolume()}. */
        public void setSharedVolume(Directory sharedVolume) {
            this.sharedVolume = sharedVolume;
        }

        /** A directory in the engine's under storage. */
        public Directory getUnderStorage() {
            return underStorage;
        }

        /** Sets {@link #getUnderStorage()}. */
        public void setUnderStorage(Directory underStorage) {
            this.underStorage = underStorage;
        }
    }

    /** A directory, an absolute path. */
    public static class Directory {

        @Required
        @Size(min = 1, max = 4096)
        @Pattern("^/")
        private String directory;

        /** Creates an empty one, for deserialization. */
        public Directory() {}

        /** A directory at {@code directory}. */
        public Directory(String directory) {
            this.directory = directory;
        }

        /** The absolute path. */
        public String getDirectory() {
            return directory;
        }

        /** Sets {@link #getDirectory()}. */
        public void setDirectory(String directory) {
            this.directory = directory;
        }
    }
}
