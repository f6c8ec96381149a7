package dev.cacheha.examples.cli;

/**
 * The exit codes of {@code cache-ha}. They are part of its contract: scripts branch on them, so a code never
 * changes meaning.
 */
public final class ExitCodes {

    /** The command did what was asked; for {@code leader}, a leader was found. */
    public static final int OK = 0;
    /** The environment failed: an I/O error, a process that would not start, a timeout of the demo. */
    public static final int FAILURE = 1;
    /** The input was refused (options, spec file, spec rules); nothing was written. */
    public static final int BAD_INPUT = 2;
    /** {@code leader}: the quorum has no leader, or too few members answered for one to be elected. */
    public static final int NO_QUORUM = 3;
    /** {@code leader}: the members contradict each other (more than one says it leads). */
    public static final int UNKNOWN = 4;

    private ExitCodes() {}
}
