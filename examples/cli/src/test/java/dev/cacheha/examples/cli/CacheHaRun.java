package dev.cacheha.examples.cli;

import dev.cacheha.spi.HighAvailabilityProviders;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        StringWriter err = new StringWriter();
        CommandLine commandLine = CacheHaCommand.commandLine(providers);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CacheHaRun(exitCode, out.toString(), err.toString());
    }
}
