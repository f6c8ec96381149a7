package dev.cacheha.alluxio.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Many empty files created through Alluxio's own client in one JVM, {@value #THREADS} at a time: one CLI call per
 * file would cost a JVM start each. The program is the single-file source {@value #SOURCE} beside this class,
 * compiled against Alluxio's jars by the child JVM's source launcher, so no Alluxio class is compiled into
 * cache-ha.
 */
final class FileBatch {

    private static final String SOURCE = "AlluxioFileBatch.java";
    /** Enough concurrent creates to hide each call's round trip, few enough for a 256 MB master. */
    private static final int THREADS = 16;
    private static final int ERROR_TAIL_LINES = 15;

    private FileBatch() {}

    /**
     * Creates {@code count} empty files {@code <directory>/file-<i>} with the configuration of {@code dirs}, the
     * call's files under {@code root}. Files that already exist count as created.
     *
     * @throws IllegalStateException if the batch fails or does not finish within {@code deadline}
     */
    static void create(AlluxioClasspath classpath, Path root, MemberDirectories dirs, String directory, int count,
            Duration deadline) {
        Path calls = root.resolve("cli");
        Path output = calls.resolve("file-batch-" + System.nanoTime());
        Process batch;
        try {
            Files.createDirectories(output);
            Path source = calls.resolve(SOURCE);
            if (!Files.exists(source)) {
                try (InputStream in = FileBatch.class.getResourceAsStream(SOURCE)) {
                    Files.copy(Objects.requireNonNull(in, SOURCE + " is not packaged"), source);
                }
            }
            batch = AlluxioJvm.builder(classpath, root, dirs, AlluxioJvm.CLI_FLAGS, "cli", source.toString(),
                            List.of(directory, Integer.toString(count), Integer.toString(THREADS)))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.resolve("stdout").toFile())
                    .redirectError(output.resolve("stderr").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the file batch", e);
        }
        try {
            if (!batch.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                batch.destroyForcibly();
                throw new IllegalStateException("creating " + count + " files did not finish within " + deadline);
            }
            String printed = Files.readString(output.resolve("stdout")).strip();
            if (batch.exitValue() != 0 || !printed.equals("created " + count)) {
                List<String> errors = Files.readString(output.resolve("stderr")).lines().toList();
                throw new IllegalStateException("creating " + count + " files in " + directory + " failed (exit "
                        + batch.exitValue() + ", printed '" + printed + "'): " + String.join("\n",
                        errors.subList(Math.max(0, errors.size() - ERROR_TAIL_LINES), errors.size())));
            }
        } catch (InterruptedException e) {
            batch.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating files", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file batch's output", e);
        }
    }
}
