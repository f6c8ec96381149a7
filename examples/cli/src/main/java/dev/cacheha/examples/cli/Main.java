package dev.cacheha.examples.cli;

import dev.cacheha.spi.HighAvailabilityProviders;

/** The {@code cache-ha} executable: runs one command and exits with its {@linkplain ExitCodes exit code}. */
public final class Main {

    private Main() {}

    /** Runs {@code cache-ha} with {@code args} against the providers on the class path. */
    public static void main(String[] args) {
        System.exit(CacheHaCommand.commandLine(HighAvailabilityProviders.load()).execute(args));
    }
}
