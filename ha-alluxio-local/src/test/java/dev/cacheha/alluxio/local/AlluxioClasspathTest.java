package dev.cacheha.alluxio.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alluxio reaches the masters' JVMs as a list of jars, never this JVM's classpath. */
class AlluxioClasspathTest {

    @Test
    void theResourceNamesExistingAlluxioJarsIncludingTheSelfLimitingMaster() {
        // Given / When
        AlluxioClasspath classpath = AlluxioClasspath.fromResource(getClass().getClassLoader());

        // Then
        assertThat(classpath.entries()).allMatch(Files::exists);
        assertThat(classpath.entries())
                .anyMatch(jar -> jar.getFileName().toString().equals("alluxio-minicluster-2.9.6.jar"));
        assertThat(classpath.entries()).anyMatch(jar -> jar.getFileName().toString().equals("alluxio-shell-2.9.6.jar"));
    }

    @Test
    void noAlluxioClassIsLoadableInThisJvm() {
        for (String type : new String[] {"alluxio.master.AlluxioMaster", MasterJvm.MAIN_CLASS,
                LocalCli.COMMANDS.get("fs"), LocalCli.COMMANDS.get("fsadmin")}) {
            assertThatThrownBy(() -> Class.forName(type, false, getClass().getClassLoader()))
                    .as(type)
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void aClasspathWithAMissingJarIsRefusedWithAHint(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("alluxio.classpath"), dir.resolve("gone.jar").toString());

        assertThatThrownBy(() -> AlluxioClasspath.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gone.jar")
                .hasMessageContaining("rebuild examples/alluxio-classpath");
    }
}
