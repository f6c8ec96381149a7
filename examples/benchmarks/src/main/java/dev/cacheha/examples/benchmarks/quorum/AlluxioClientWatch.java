package dev.cacheha.examples.benchmarks.quorum;

import dev.cacheha.alluxio.local.AlluxioClasspath;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Alluxio's own client, in a child JVM, telling us which master it takes for the primary: the baseline of the
 * failover benchmark.
 *
 * <p>The child runs {@value #MAIN} (module {@code examples/benchmarks-alluxio-probe}) on the Alluxio classpath,
 * which builds the client the way Alluxio's file system client does and prints each change of the primary.
 * Each printed line is timestamped here, when it is read, with {@link System#nanoTime()}: the same clock that
 * times our own discovery, so both sides of a round are measured from the same kill.
 */
public final class AlluxioClientWatch implements AutoCloseable {

    /** The child's main class. */
    public static final String MAIN = "dev.cacheha.examples.benchmarks.alluxioprobe.PrimaryMasterWatch";

    /** What the child prints when its client could not find any primary. */
    public static final String NO_PRIMARY = "none";

    private static final String READY = "ready ";
    private static final String PRIMARY = "primary ";

    private final Process process;
    private final Path errors;
    private final BlockingQueue<Sighting> sightings = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> ready = new LinkedBlockingQueue<>(1);
    private volatile String current = "";

    private AlluxioClientWatch(Process process, Path errors) {
        this.process = process;
        this.errors = errors;
        Thread reader = new Thread(this::readLines, "alluxio-client-watch");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the child with {@code rpcAddresses} as {@code alluxio.master.rpc.addresses}.
     *
     * @param alluxio the Alluxio jars
     * @param rpcAddresses {@code host:port} of every master, as the masters themselves are configured
     * @param pause how long the child waits between two answers of its client
     * @param workDirectory where the child keeps its temporary files and its standard error
     */
    public static AlluxioClientWatch start(AlluxioClasspath alluxio, List<String> rpcAddresses, Duration pause,
            Path workDirectory) {
        Path errors = workDirectory.resolve("alluxio-client-watch.stderr");
        try {
            Files.createDirectories(workDirectory);
            Process process = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + workDirectory,
                    "-Dalluxio.home=" + workDirectory,
                    "-Dalluxio.master.rpc.addresses=" + String.join(",", rpcAddresses),
                    "-cp", probeClasspathEntry() + File.pathSeparator + alluxio.joined(),
                    MAIN, Long.toString(pause.toMillis()))
                    .redirectError(errors.toFile())
                    .start();
            return new AlluxioClientWatch(process, errors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Alluxio's client in a child JVM", e);
        }
    }

    /**
     * Waits until the child's client is built.
     *
     * @return the client's class, which must be Alluxio's polling client for the comparison to mean anything
     */
    public String awaitReady(Duration timeout) {
        try {
            String clientClass = ready.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (clientClass == null) {
                throw new IllegalStateException("Alluxio's client did not start within " + timeout + errorTail());
            }
            return clientClass;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Alluxio's client", e);
        }
    }

    /** The primary the client named last, or empty before its first answer. */
    public String currentPrimary() {
        return current;
    }

    /** Drops every sighting so far, so that {@link #awaitPrimary} sees only answers that come later. */
    public void forgetSightings() {
        sightings.clear();
    }

    /**
     * The first answer, since the last {@link #forgetSightings()}, whose primary matches {@code wanted}.
     *
     * @return the answer, or empty if none came within {@code timeout}
     */
    public Optional<Sighting> awaitPrimary(Predicate<String> wanted, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = end - System.nanoTime();
                Sighting sighting = sightings.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
                if (sighting == null) {
                    return Optional.empty();
                }
                if (wanted.test(sighting.primary())) {
                    return Optional.of(sighting);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                long seenAt = System.nanoTime();
                if (line.startsWith(PRIMARY)) {
                    current = line.substring(PRIMARY.length());
                    sightings.add(new Sighting(seenAt, current));
                } else if (line.startsWith(READY)) {
                    ready.offer(line.substring(READY.length()));
                }
            }
        } catch (IOException closed) {
            // The child is gone; close() or the caller's timeout reports it.
        }
    }

    private String errorTail() {
        try {
            List<String> lines = Files.readAllLines(errors);
            return "; its standard error ends with:\n"
                    + lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                            .collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException e) {
            return "; its standard error " + errors + " is unreadable: " + e.getMessage();
        }
    }

    /** Where {@value #MAIN} is on this JVM's classpath, found without loading it (it needs Alluxio's classes). */
    static String probeClasspathEntry() {
        String resource = MAIN.replace('.', '/') + ".class";
        URL url = AlluxioClientWatch.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath: add a dependency on"
                    + " dev.cacheha:benchmarks-alluxio-probe");
        }
        try {
            return switch (url.getProtocol()) {
                case "jar" -> Path.of(URI.create(url.getPath().substring(0, url.getPath().indexOf("!/"))))
                        .toString();
                case "file" -> {
                    String path = Path.of(url.toURI()).toString();
                    yield path.substring(0, path.length() - resource.length() - 1);
                }
                default -> throw new IllegalStateException("cannot run " + MAIN + " from " + url);
            };
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot turn " + url + " into a classpath entry", e);
        }
    }

    /** Closes the child's standard input, on which it exits, and kills it if it has not after a second. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * One answer of Alluxio's client.
     *
     * @param seenAt when we read it, in {@link System#nanoTime()}
     * @param primary the primary's rpc address, or {@value AlluxioClientWatch#NO_PRIMARY}
     */
    public record Sighting(long seenAt, String primary) {}
}
