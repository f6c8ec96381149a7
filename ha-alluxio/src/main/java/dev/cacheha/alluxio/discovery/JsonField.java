package dev.cacheha.alluxio.discovery;

import java.util.Optional;

/**
 * One string field of a JSON object, found by a single forward scan: no regex, no parse tree, so a body of a
 * megabyte costs one pass whatever it holds. Only plain values are read (letters, digits and {@code .-_:/}, no
 * escapes, possibly empty); that is all Alluxio writes in the fields read here.
 */
final class JsonField {

    /** A value longer than this is not one Alluxio writes (a 253-character host name, a port, a role). */
    static final int MAX_VALUE_CHARS = 300;

    private JsonField() {}

    /**
     * What a body says of one field.
     *
     * @param value the field's value, when the body states it once (or several times alike) in the plain form
     * @param problem why there is no value: empty when the field is absent, or a reason
     */
    record Found(Optional<String> value, String problem) {
        static Found absent() {
            return new Found(Optional.empty(), "");
        }
    }

    /** The value of {@code "name": "value"} in {@code body}; contradictory or malformed values are a problem. */
    static Found find(String body, String name) {
        String key = '"' + name + '"';
        String value = null;
        int from = 0;
        while (true) {
            int at = body.indexOf(key, from);
            if (at < 0) {
                return value == null ? Found.absent() : new Found(Optional.of(value), "");
            }
            from = at + key.length();
            int colon = skipSpaces(body, from);
            if (colon >= body.length() || body.charAt(colon) != ':') {
                continue;
            }
            int open = skipSpaces(body, colon + 1);
            if (open >= body.length() || body.charAt(open) != '"') {
                return new Found(Optional.empty(), name + " is not a string");
            }
            int close = open + 1;
            while (close < body.length() && close - open <= MAX_VALUE_CHARS && plain(body.charAt(close))) {
                close++;
            }
            if (close >= body.length() || body.charAt(close) != '"') {
                return new Found(Optional.empty(), name + " is not a short plain string");
            }
            String found = body.substring(open + 1, close);
            if (value != null && !value.equals(found)) {
                return new Found(Optional.empty(), "two " + name + " values");
            }
            value = found;
            from = close + 1;
        }
    }

    private static int skipSpaces(String body, int from) {
        int at = from;
        while (at < body.length() && at - from < MAX_VALUE_CHARS && Character.isWhitespace(body.charAt(at))) {
            at++;
        }
        return at;
    }

    private static boolean plain(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '/');
    }
}
