package dev.cacheha.examples.cli.render;

import dev.cacheha.examples.cli.render.RenderedPlan.RenderedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes rendered files into a directory all or nothing, as far as a file system allows.
 *
 * <p>Every file is first written in full to a hidden temporary file in the target directory; only when all
 * of them are on disk are they renamed to their names (a rename within one directory does not run out of
 * space halfway). If any step fails, every temporary file and every file this write created is removed, and
 * so is the directory if this write created it. A file that existed before and was already replaced cannot
 * be brought back; the error says so.
 */
final class OutputDirectory {

    private OutputDirectory() {}

    /**
     * Writes {@code files} into {@code directory}, creating it if needed.
     *
     * @return the paths written, in the order of {@code files}
     * @throws IOException if anything failed; what was written has been removed again
     */
    static List<Path> write(Path directory, List<RenderedFile> files) throws IOException {
        boolean createdDirectory = !Files.exists(directory);
        Files.createDirectories(directory);
        List<Path> staged = new ArrayList<>();
        List<Path> created = new ArrayList<>();
        List<Path> replaced = new ArrayList<>();
        try {
            for (RenderedFile file : files) {
                Path temporary = Files.createTempFile(directory, ".cache-ha-", ".tmp");
                staged.add(temporary);
                Files.writeString(temporary, file.content(), StandardCharsets.UTF_8);
            }
            List<Path> written = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path target = directory.resolve(files.get(i).name());
                boolean existed = Files.exists(target);
                Files.move(staged.get(i), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                (existed ? replaced : created).add(target);
                written.add(target);
            }
            return written;
        } catch (IOException | RuntimeException failure) {
            for (Path path : staged) {
                deleteQuietly(path, failure);
            }
            for (Path path : created) {
                deleteQuietly(path, failure);
            }
            if (createdDirectory) {
                deleteQuietly(directory, failure);
            }
            if (!replaced.isEmpty()) {
                throw new IOException("writing " + directory + " failed after these existing files were replaced,"
                        + " which cannot be restored: " + replaced, failure);
            }
            throw failure;
        }
    }

    private static void deleteQuietly(Path path, Exception failure) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }
}
