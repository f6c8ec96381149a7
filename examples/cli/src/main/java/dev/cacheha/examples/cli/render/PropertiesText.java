package dev.cacheha.examples.cli.render;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Engine properties as the lines of a Java properties file, which is what Alluxio and Jindo read. Written by
 * hand rather than with {@link java.util.Properties#store}, which adds a time stamp and loses the order: the
 * same plan must give the same bytes.
 */
final class PropertiesText {

    private PropertiesText() {}

    /** One {@code key=value} line per property, in the plan's order, escaped so that a reader gets them back. */
    static String lines(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(entry -> escape(entry.getKey(), true) + "=" + escape(entry.getValue(), false))
                .collect(Collectors.joining("\n", "", properties.isEmpty() ? "" : "\n"));
    }

    /**
     * Escapes what {@link java.util.Properties#load} would otherwise read differently: backslashes, separators
     * in keys, leading blanks of values, and anything outside printable ASCII (the file may be read as ISO-8859-1).
     */
    private static String escape(String text, boolean key) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean leadingBlank = i == 0 && c == ' ';
            if (c == '\\' || (key && (c == '=' || c == ':' || c == ' ' || c == '#' || c == '!')) || leadingBlank) {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
