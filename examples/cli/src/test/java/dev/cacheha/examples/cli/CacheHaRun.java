package dev.cacheha.examples.cli;

import dev.cacheha.spi.HighAvailabilityProviders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import picocli.CommandLine;

/**
 * One in-process run of {@code cache-ha}, exactly as {@link Main} wires it, with stdout and stderr captured.
 *
 * @param exitCode what {@code cache-ha} would exit with
 * @param out what it printed to stdout
 * @param err what it printed to stderr
 */
public record CacheHaRun(int exitCode, String out, String err) {

    /** Runs {@code cache-ha args} against the providers on the test class path. */
    public static CacheHaRun of(String... args) {
        return with(HighAvailabilityProviders.load(), args);
    }

    /** Runs {@code cache-ha args} against {@code providers}. */
    public static CacheHaRun with(HighAvailabilityProviders providers, String... args) {
        StringWriter out = new StringWriter();
        CacheHaRun run = run(providers, out, args);
        return new CacheHaRun(run.exitCode(), out.toString(), run.err());
    }

    /** Runs {@code cache-ha args} with its standard output going to {@code out}; {@link #out()} is empty. */
    public static CacheHaRun withOut(Writer out, String... args) {
        return run(HighAvailabilityProviders.load(), out, args);
    }

    private static CacheHaRun run(HighAvailabilityProviders providers, Writer out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = CacheHaCommand.commandLine(providers);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CacheHaRun(exitCode, "", err.toString());
    }
}
