package dev.cacheha.examples.benchmarks.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The child JVM's main class is found on this classpath without being loaded here, where Alluxio's classes are
 * absent. Starting the child needs a real quorum and runs only in the benchmark itself.
 */
class AlluxioClientWatchTest {

    @Test
    void theProbeClassIsFoundAsAClasspathEntryThatHoldsIt() throws Exception {
        // Given the probe module on this module's runtime classpath
        String resource = AlluxioClientWatch.MAIN.replace('.', '/') + ".class";

        // When its classpath entry is located
        Path entry = Path.of(AlluxioClientWatch.probeClasspathEntry());

        // Then the entry is a directory or a jar that holds the class, and the class was never loaded here
        if (Files.isDirectory(entry)) {
            assertThat(entry.resolve(resource)).isRegularFile();
        } else {
            try (JarFile jar = new JarFile(entry.toFile())) {
                assertThat(jar.getEntry(resource)).isNotNull();
            }
        }
        assertThatThrownBy(() -> Class.forName("alluxio.master.MasterInquireClient", false,
                getClass().getClassLoader()))
                .as("Alluxio must stay off this classpath")
                .isInstanceOf(ClassNotFoundException.class);
    }
}
