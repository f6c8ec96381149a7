package dev.cacheha.alluxio.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lines of a command's output, read in one pass and capped: Alluxio's answers are a few short lines, so
 * anything longer is not an answer, and reading stops at the cap instead of splitting a megabyte.
 */
final class CommandLines {

    /** More than the table of the largest quorum (a header, seven servers) and any warning printed before it. */
    static final int MAX_LINES = 256;
    /** Longer than {@code All masters: [...]} for seven 253-character host names. */
    static final int MAX_LINE_CHARS = 4096;

    private CommandLines() {}

    /**
     * The lines of {@code text} (ended by {@code \n}, {@code \r\n} or {@code \r}), or empty when there are more
     * than {@link #MAX_LINES} or one is longer than {@link #MAX_LINE_CHARS}. Reads at most the capped amount.
     */
    static Optional<List<String>> of(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int end = start;
            while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                if (end - start >= MAX_LINE_CHARS) {
                    return Optional.empty();
                }
                end++;
            }
            if (lines.size() == MAX_LINES) {
                return Optional.empty();
            }
            lines.add(text.substring(start, end));
            if (end < length - 1 && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
                end++;
            }
            start = end + 1;
        }
        return Optional.of(lines);
    }
}
