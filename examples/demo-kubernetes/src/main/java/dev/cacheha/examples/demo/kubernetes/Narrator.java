package dev.cacheha.examples.demo.kubernetes;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What the demo tells the person watching: its steps, the commands a user would type (as kubectl commands),
 * and blocks of output, each line of a step or command stamped with the time since the demo began. One writer
 * for the story and the {@link LiveTables}, so their lines never interleave.
 */
final class Narrator {

    private final PrintWriter out;
    private final long start = System.nanoTime();

    Narrator(PrintWriter out) {
        this.out = out;
    }

    /** The time since the demo began. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A new step of the story, set off by a blank line. */
    void step(String title) {
        print("\n" + stamp() + "== " + title + "\n");
    }

    /** A remark on what happens or what was seen. */
    void say(String line) {
        print(stamp() + line + "\n");
    }

    /** A command as a user would type it, before the demo does what it does. */
    void command(String commandLine) {
        print(stamp() + "$ " + commandLine + "\n");
    }

    /** Output printed as it is, under the last command or remark. */
    void block(String text) {
        print(text.endsWith("\n") ? text : text + "\n");
    }

    /** A command and its output together, so that no table is printed between the two. */
    void commandWithOutput(String commandLine, String output) {
        synchronized (out) {
            command(commandLine);
            block(output);
        }
    }

    private String stamp() {
        return String.format(Locale.ROOT, "[%6s] ", ServerTable.shortDuration(elapsed()));
    }

    private void print(String text) {
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }
}
