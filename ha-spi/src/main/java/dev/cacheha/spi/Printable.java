package dev.cacheha.spi;

/**
 * Makes text from users and members safe to show on one line: every control character and every Unicode line
 * or paragraph separator becomes a {@code \}{@code uXXXX} escape, so that a value in an error message, a status
 * detail or a report cannot forge a line of its own. The one escaper of cache-ha: the SPI's violation messages
 * need it, and every provider, the toolkit and the tools use the same rule.
 */
public final class Printable {

    private Printable() {}

    /** {@code text} with every {@linkplain #mustEscape(int) line-breaking or control character} escaped. */
    public static String escape(String text) {
        int first = 0;
        while (first < text.length() && !mustEscape(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            appendEscaped(out, text.charAt(i));
        }
        return out.toString();
    }

    /**
     * {@code text} {@linkplain #escape(String) escaped} and cut to about {@code maxChars}: enough to recognise an
     * error message or a changed output format, short enough for a status field. A cut excerpt ends with
     * {@code "... (<length> characters)"}. {@code null} gives the empty string.
     *
     * @param maxChars the most characters kept from the escaped text; at least 1
     */
    public static String excerpt(String text, int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 32);
        // Escapes as it goes, so a huge text costs only what is kept.
        for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
            appendEscaped(out, text.charAt(i));
        }
        if (out.length() >= maxChars && text.length() > maxChars) {
            out.setLength(maxChars);
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /** Whether {@code c} is escaped: ISO control characters and the Unicode line and paragraph separators. */
    public static boolean mustEscape(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    private static void appendEscaped(StringBuilder out, char c) {
        if (mustEscape(c)) {
            out.append("\\u").append(String.format("%04x", (int) c));
        } else {
            out.append(c);
        }
    }
}
