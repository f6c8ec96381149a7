package dev.cacheha.examples.cli;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cli.demo.DemoCommand;
import dev.cacheha.examples.cli.leader.LeaderCommand;
import dev.cacheha.examples.cli.render.RenderCommand;
import dev.cacheha.spi.HighAvailabilityProviders;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The root of {@code cache-ha}. It holds what every subcommand shares: the installed providers and the
 * streams to print to, so that tests run the real commands in-process with captured output.
 */
@Command(
        name = "cache-ha",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Master high availability for cache engines on Kubernetes: render plans, find leaders,"
                + " and watch a real local failover.",
        subcommands = {ProvidersCommand.class, RenderCommand.class, LeaderCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (leader: a leader was found)",
            "1:the environment failed (I/O, a process, a timeout)",
            "2:bad input; every problem is listed on stderr and nothing is written",
            "3:leader: no quorum",
            "4:leader: the members' answers contradict each other"
        })
public final class CacheHaCommand implements Runnable {

    private final HighAvailabilityProviders providers;

    @Spec
    private CommandSpec spec;

    private CacheHaCommand(HighAvailabilityProviders providers) {
        this.providers = requireNonNull(providers, "providers");
    }

    /**
     * The command line of {@code cache-ha} over {@code providers}, ready to {@link CommandLine#execute execute};
     * callers may redirect its output with {@link CommandLine#setOut} and {@link CommandLine#setErr}.
     */
    public static CommandLine commandLine(HighAvailabilityProviders providers) {
        CommandLine commandLine = new CommandLine(new CacheHaCommand(providers));
        commandLine.setExecutionExceptionHandler(CacheHaCommand::report);
        commandLine.setExecutionStrategy(CacheHaCommand::runCheckingOutput);
        return commandLine;
    }

    /**
     * Runs the command, then fails it if its output was lost: a {@link PrintWriter} swallows write errors
     * (a full disk, a closed pipe), and a script must not take a truncated plan for a whole one.
     */
    private static int runCheckingOutput(ParseResult parseResult) {
        int exitCode = new CommandLine.RunLast().execute(parseResult);
        CommandLine root = parseResult.commandSpec().commandLine();
        if (root.getOut().checkError()) {
            PrintWriter err = root.getErr();
            err.println(root.getCommandName() + ": writing to standard output failed (disk full, or the reader"
                    + " went away); the output is incomplete");
            err.flush();
            return ExitCodes.FAILURE;
        }
        return exitCode;
    }

    /** Without a subcommand, {@code cache-ha} explains itself and fails as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The installed providers. */
    public HighAvailabilityProviders providers() {
        return providers;
    }

    /** Where results go. */
    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where progress and problems go. */
    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Turns what a command threw into its exit code: refused input is 2, anything else is 1. */
    private static int report(Exception failure, CommandLine command, ParseResult parseResult) {
        String prefix = command.getCommandSpec().qualifiedName();
        PrintWriter err = command.getErr();
        if (failure instanceof SpecValidationException invalid) {
            int count = invalid.violations().size();
            err.println(prefix + ": invalid input (" + count + " problem" + (count == 1 ? "" : "s") + "):");
            for (Violation violation : invalid.violations()) {
                err.println("  " + violation);
            }
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        StringBuilder message = new StringBuilder(prefix).append(": ").append(failure);
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            message.append(System.lineSeparator()).append("  caused by: ").append(cause);
        }
        err.println(message);
        err.flush();
        return ExitCodes.FAILURE;
    }
}
