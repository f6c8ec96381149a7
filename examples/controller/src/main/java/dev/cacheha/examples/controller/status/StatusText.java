package dev.cacheha.examples.controller.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds what the controller writes into a status: every string of a status (messages, condition messages,
 * violations, blockers) at most {@value #MAX_CHARACTERS} characters, and a command's output reduced to its first
 * and last lines. The API server refuses a condition message over 32,768 characters with 422, and a status
 * write that always fails would leave the resource stuck with its old status forever; a command can print a
 * megabyte of standard error.
 */
public final class StatusText {

    /** The most characters of any one string written into a status. */
    public static final int MAX_CHARACTERS = 4096;

    /** How many lines of a command's output an excerpt keeps from its start, and as many from its end. */
    public static final int EXCERPT_LINES = 5;

    /** The most characters of one line of an excerpt. */
    public static final int EXCERPT_LINE_CHARACTERS = 240;

    private StatusText() {}

    /** {@code text} if it is short enough, else its start and end around a note of how much was cut. */
    public static String bounded(String text) {
        return bounded(text, MAX_CHARACTERS);
    }

    /**
     * The first and last {@value #EXCERPT_LINES} lines of a command's {@code output}, each cut to
     * {@value #EXCERPT_LINE_CHARACTERS} characters, with the number of lines left out between them.
     */
    public static String excerpt(String output) {
        List<String> lines = output.strip().lines().toList();
        List<String> kept = new ArrayList<>();
        if (lines.size() <= 2 * EXCERPT_LINES) {
            lines.forEach(line -> kept.add(bounded(line, EXCERPT_LINE_CHARACTERS)));
        } else {
            lines.subList(0, EXCERPT_LINES).forEach(line -> kept.add(bounded(line, EXCERPT_LINE_CHARACTERS)));
            kept.add("... (" + (lines.size() - 2 * EXCERPT_LINES) + " lines left out) ...");
            lines.subList(lines.size() - EXCERPT_LINES, lines.size())
                    .forEach(line -> kept.add(bounded(line, EXCERPT_LINE_CHARACTERS)));
        }
        return bounded(String.join("\n", kept));
    }

    /**
     * {@code tree} (a status as JSON maps, lists and values) with every string {@linkplain #bounded bounded};
     * the same instance when nothing needed cutting.
     */
    public static Object boundedTree(Object tree) {
        if (tree instanceof String text) {
            return bounded(text);
        }
        if (tree instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object value = boundedTree(entry.getValue());
                changed |= value != entry.getValue();
                copy.put(entry.getKey(), value);
            }
            return changed ? copy : tree;
        }
        if (tree instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            boolean changed = false;
            for (Object element : list) {
                Object value = boundedTree(element);
                changed |= value != element;
                copy.add(value);
            }
            return changed ? copy : tree;
        }
        return tree;
    }

    private static String bounded(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String note = " ... (" + text.length() + " characters, cut to " + max + ") ... ";
        int head = (max - note.length()) / 2;
        int tail = max - note.length() - head;
        // Never between the two halves of a surrogate pair.
        if (Character.isHighSurrogate(text.charAt(head - 1))) {
            head--;
        }
        int tailStart = text.length() - tail;
        if (Character.isLowSurrogate(text.charAt(tailStart))) {
            tailStart++;
        }
        return text.substring(0, head) + note + text.substring(tailStart);
    }
}
