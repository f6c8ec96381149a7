package dev.cacheha.realcluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One running component of the control plane, its output appended to its own log file. */
final class ComponentProcess {

    private static final Duration EXIT_BUDGET = Duration.ofSeconds(20);
    private static final int TAIL_LINES = 30;

    private final String name;
    private final Process process;
    private final Path log;

    private ComponentProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} (argv, never a shell) with stdin from /dev/null and stdout+stderr in {@code log}. */
    static ComponentProcess start(String name, List<String> command, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ComponentProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Why this component is not serving when it has exited, for the message of a failed wait; else empty. */
    String exitReport() {
        if (process.isAlive()) {
            return "";
        }
        return name + " exited with " + process.exitValue() + "; last lines of " + log + ":\n" + tail();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the component and every process it started: SIGTERM, then SIGKILL for what is still running after
     * the budget, and waits until all are gone.
     *
     * @throws IllegalStateException naming the pids that survived SIGKILL
     */
    void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> survivors = new ArrayList<>();
        for (ProcessHandle member : tree) {
            if (!exited(member, EXIT_BUDGET)) {
                member.destroyForcibly();
                if (!exited(member, EXIT_BUDGET)) {
                    survivors.add(member);
                }
            }
        }
        if (!survivors.isEmpty()) {
            throw new IllegalStateException(name + ": processes " + survivors.stream().map(ProcessHandle::pid)
                    .toList() + " survived SIGKILL");
        }
    }

    /**
     * Waits up to the exit budget for a process sent SIGKILL.
     *
     * @throws IllegalStateException if it is still alive then
     */
    static void awaitExit(ProcessHandle killed) {
        if (!exited(killed, EXIT_BUDGET)) {
            throw new IllegalStateException("process " + killed.pid() + " survived SIGKILL");
        }
    }

    private static boolean exited(ProcessHandle process, Duration budget) {
        try {
            process.onExit().get(budget.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + process.pid() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
