package dev.cacheha.alluxio.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The jars of the Alluxio JVMs that {@link LocalAlluxioQuorum} starts: never the classpath of the JVM that
 * starts them, since Alluxio brings old Guava, gRPC, Ratis and RocksDB that must not meet cache-ha's own.
 *
 * <p>The module {@code examples/alluxio-classpath} resolves the Alluxio jars with Maven and ships their
 * absolute paths as the resource {@value #RESOURCE}; {@link #fromResource(ClassLoader)} reads it from a
 * classpath that has that module (in test scope, say) on it.
 *
 * @param entries the jars, in classpath order; each one exists
 */
public record AlluxioClasspath(List<Path> entries) {

    /** The resource written by {@code examples/alluxio-classpath}: one line, entries joined by the path separator. */
    public static final String RESOURCE = "dev/cacheha/alluxio/local/alluxio-2.9.6.classpath";

    public AlluxioClasspath {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an Alluxio classpath needs at least one jar");
        }
        List<Path> missing = entries.stream().filter(entry -> !Files.exists(entry)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " Alluxio classpath entries do not exist (was the"
                    + " local Maven repository moved? rebuild examples/alluxio-classpath), first: " + missing.get(0));
        }
    }

    /**
     * Reads {@value #RESOURCE} from {@code loader}.
     *
     * @throws IllegalStateException if the resource is not on that classpath
     */
    public static AlluxioClasspath fromResource(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: add a dependency on"
                        + " dev.cacheha:alluxio-classpath (test scope is enough)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Reads a classpath file in the format of {@value #RESOURCE}. */
    public static AlluxioClasspath fromFile(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Alluxio classpath file " + file, e);
        }
    }

    private static AlluxioClasspath parse(String text) {
        List<Path> entries = new ArrayList<>();
        Arrays.stream(text.strip().split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .forEach(entry -> entries.add(Path.of(entry.strip())));
        return new AlluxioClasspath(entries);
    }

    /** The entries joined for {@code -cp} or {@code CLASSPATH}. */
    public String joined() {
        return entries.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
