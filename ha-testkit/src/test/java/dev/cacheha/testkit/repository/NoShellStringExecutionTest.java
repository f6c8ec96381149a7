package dev.cacheha.testkit.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No main code in the repository runs a command line through a shell: every process and every pod exec takes
 * an argv list, so no spec value, pod name or property can become shell syntax. The scan reads every
 * {@code src/main/java} under the repository root, whichever module it belongs to.
 */
class NoShellStringExecutionTest {

    /** What a shell-string execution looks like in Java source, each with why it is refused. */
    private static final List<Pattern> SHELL_EXECUTION = List.of(
            // Runtime.exec(String) splits on white space and is the usual route to a string command; argv goes
            // through ProcessBuilder instead, so any Runtime.exec is flagged.
            Pattern.compile("Runtime\\s*\\.\\s*getRuntime\\s*\\(\\s*\\)\\s*\\.\\s*exec\\s*\\("),
            Pattern.compile("\\.\\s*exec\\s*\\(\\s*\"[^\"]*\\s[^\"]*\"\\s*\\)"),
            Pattern.compile("\"(?:/usr)?(?:/bin/)?(?:sh|bash|zsh|dash|ash|ksh)\"\\s*,\\s*\"-[a-z]*c\""),
            Pattern.compile("\"(?:/usr)?/bin/(?:sh|bash|zsh|dash|ash|ksh)\\b"),
            Pattern.compile("\"cmd(?:\\.exe)?\"\\s*,\\s*\"/c\"", Pattern.CASE_INSENSITIVE));

    /**
     * Lines that name a shell without running one: a container command the plan renders. Each is listed with the
     * file it is in; the script it renders is fixed text whose inputs are environment variables only, which
     * SiteFileAssemblyTest runs with hostile values.
     */
    private static final List<String> RENDERED_POD_COMMANDS = List.of(
            "SiteFileAssembly.java: init.getCommand().addAll(List.of(\"sh\", \"-c\", SCRIPT));");

    @Test
    void noMainSourceInTheRepositoryExecutesAShellString() throws IOException {
        // Given every main Java source of every module
        List<Path> sources = mainSources(repositoryRoot());

        // When each is searched for shell-string execution
        List<String> findings = new ArrayList<>();
        for (Path source : sources) {
            findingsIn(source.toString(), Files.readString(source)).stream()
                    .filter(finding -> RENDERED_POD_COMMANDS.stream().noneMatch(allowed -> finding.endsWith(
                            allowed.substring(allowed.indexOf(": ") + 2))
                            && finding.contains("/" + allowed.substring(0, allowed.indexOf(": ")) + ":")))
                    .forEach(findings::add);
        }
        System.out.printf("[no-shell] %d main source files scanned, %d shell-string executions%n", sources.size(),
                findings.size());

        // Then there is none, and the scan did see the code that starts processes (argv only)
        assertThat(findings).isEmpty();
        assertThat(sources).extracting(path -> path.getFileName().toString())
                .contains("MasterJvm.java", "AlluxioJvm.java", "HaSpec.java");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Runtime.getRuntime().exec(\"kill -9 \" + pid);",
        "Runtime.getRuntime() . exec(new String[] {\"kill\"});",
        "new ProcessBuilder(\"sh\", \"-c\", command).start();",
        "new ProcessBuilder(\"/bin/bash\", \"-c\", command).start();",
        "new ProcessBuilder(\"bash\", \"-ec\", command).start();",
        "List.of(\"/bin/sh\", script)",
        "client.pods().withName(pod).writingOutput(out).exec(\"sh\", \"-c\", \"alluxio fs ls /\");",
        "pod.exec(\"alluxio fs masterInfo\")",
        "new ProcessBuilder(\"cmd.exe\", \"/c\", command)"})
    void theScanFlagsEveryFormOfShellStringExecution(String line) {
        // Given a source line that runs a command through a shell
        // When it is scanned, Then it is flagged
        assertThat(findingsIn("Planted.java", "class Planted {\n    void run() {\n        " + line + "\n    }\n}\n"))
                .singleElement().asString().startsWith("Planted.java:3:");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "new ProcessBuilder(\"kill\", signal, Long.toString(pid)).start();",
        "exec.exec(member, container, List.of(\"alluxio\", \"fs\", \"masterInfo\"), deadline);",
        "new ProcessBuilder(argv).redirectErrorStream(true).start();"})
    void argvExecutionIsNotFlagged(String line) {
        // Given a source line that runs a program with an argv list
        // When it is scanned, Then nothing is flagged
        assertThat(findingsIn("Argv.java", line)).isEmpty();
    }

    private static List<String> findingsIn(String file, String source) {
        List<String> findings = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (SHELL_EXECUTION.stream().anyMatch(pattern -> pattern.matcher(line).find())) {
                findings.add(file + ":" + (i + 1) + ": " + line.strip());
            }
        }
        return findings;
    }

    private static List<Path> mainSources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> root.relativize(path).toString().replace('\\', '/').contains("src/main/java/"))
                    .filter(path -> !root.relativize(path).startsWith(".git"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory above this module that holds the SPI module: the repository root. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ha-spi/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
