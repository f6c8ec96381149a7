package dev.cacheha.alluxio.discovery;

/** Text from a member, made safe to put in a status detail: one line, control characters escaped, bounded. */
final class Excerpt {

    /** Enough to recognise an error message or a changed output format, short enough for a status field. */
    static final int MAX_CHARS = 300;

    private Excerpt() {}

    static String of(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 32);
        for (int i = 0; i < text.length() && out.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() >= MAX_CHARS && text.length() > MAX_CHARS) {
            out.setLength(MAX_CHARS);
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }
}
