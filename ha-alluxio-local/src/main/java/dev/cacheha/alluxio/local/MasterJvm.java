package dev.cacheha.alluxio.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One local Alluxio master process, which can be killed, restarted, frozen and thawed. Not thread-safe. */
final class MasterJvm {

    /**
     * Exits by itself 20 minutes after it starts, always, so a test JVM that dies without cleaning up leaves no
     * master behind; the price is that no local master lives longer than that.
     */
    static final String MAIN_CLASS = "alluxio.multi.process.LimitedLifeMasterProcess";

    private static final Duration EXIT_WAIT = Duration.ofSeconds(15);

    private final int ordinal;
    private final ProcessBuilder builder;
    private Process process;

    MasterJvm(int ordinal, AlluxioClasspath classpath, Path root, MemberDirectories dirs) {
        this.ordinal = ordinal;
        this.builder = AlluxioJvm.builder(classpath, root, dirs, AlluxioJvm.MASTER_FLAGS, "master", MAIN_CLASS,
                        List.of())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(dirs.masterLog().toFile()));
    }

    /** Starts the master; it must not be running. */
    void start() {
        if (isAlive()) {
            throw new IllegalStateException("master " + ordinal + " is already running as pid " + process.pid());
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start master " + ordinal, e);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    Optional<Long> pid() {
        return isAlive() ? Optional.of(process.pid()) : Optional.empty();
    }

    /** SIGKILL, as {@code kill -9}: the master gets no chance to step down or flush. Waits until it is gone. */
    void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for master " + ordinal + " to die", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("master " + ordinal + " (pid " + process.pid() + ") did not die within "
                    + EXIT_WAIT, e);
        }
    }

    /** SIGSTOP: the process keeps its sockets, so connections are accepted and never answered. */
    void suspend() {
        signal("-STOP");
    }

    /** SIGCONT: undoes {@link #suspend()}. */
    void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (!isAlive()) {
            throw new IllegalStateException("master " + ordinal + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill " + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal + " to master " + ordinal, e);
        }
    }
}
