package dev.cacheha.examples.cli;

import dev.cacheha.spi.HighAvailabilityProviders;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** The {@code cache-ha} executable: runs one command and exits with its {@linkplain ExitCodes exit code}. */
public final class Main {

    private Main() {}

    /** Runs {@code cache-ha} with {@code args} against the providers on the class path. */
    public static void main(String[] args) {
        CommandLine commandLine = CacheHaCommand.commandLine(HighAvailabilityProviders.load());
        // Straight to the file descriptor rather than through System.out, whose PrintStream keeps a write
        // error to itself: this writer records it, and the command line fails when it finds it.
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                Charset.defaultCharset()), true));
        System.exit(commandLine.execute(args));
    }
}
