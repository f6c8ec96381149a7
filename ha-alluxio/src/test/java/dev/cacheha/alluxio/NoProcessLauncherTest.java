package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ha-alluxio's jar is what every controller loads: it must hold no code that starts processes, scans the
 * operating system's processes or kills them. The local quorum that does lives in ha-alluxio-local. This test
 * reads ha-alluxio's compiled classes (what the jar packs) and looks for the harness's package and for the
 * JDK's process API in their constant pools, where every class a class uses is named.
 */
class NoProcessLauncherTest {

    /**
     * Internal names as a class file's constant pool writes them. {@code java/lang/Process} covers Process,
     * ProcessBuilder and ProcessHandle, and {@code Runtime.exec}, whose descriptor returns a Process.
     */
    private static final List<String> LAUNCHERS = List.of("java/lang/Process", "dev/cacheha/alluxio/local");

    @Test
    void noMainClassNamesAProcessApiOrTheLocalHarness() throws IOException, URISyntaxException {
        // Given every class compiled from ha-alluxio's main sources
        Path classes = Paths.get(AlluxioHighAvailabilityProvider.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        List<Path> classFiles;
        try (Stream<Path> files = Files.walk(classes)) {
            classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
        }

        // Then there are some, none lies in the harness's package, and none names a process API
        assertThat(classFiles).hasSizeGreaterThan(5);
        assertThat(classFiles).noneMatch(file -> classes.relativize(file).toString().replace('\\', '/')
                .startsWith("dev/cacheha/alluxio/local/"));
        for (Path classFile : classFiles) {
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            assertThat(LAUNCHERS).as("process APIs named by %s", classes.relativize(classFile))
                    .noneMatch(constants::contains);
        }
    }

    @Test
    void theScanRecognisesAClassThatLaunchesAProcess() throws IOException, URISyntaxException {
        // Given this test's own class, whose constant pool holds the names the scan looks for
        Path self = Paths.get(NoProcessLauncherTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(NoProcessLauncherTest.class.getName().replace('.', '/') + ".class");

        // Then the scan sees it: the test above can fail
        String constants = new String(Files.readAllBytes(self), StandardCharsets.ISO_8859_1);
        assertThat(LAUNCHERS).anyMatch(constants::contains);
    }
}
