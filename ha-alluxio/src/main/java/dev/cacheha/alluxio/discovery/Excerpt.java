package dev.cacheha.alluxio.discovery;

import dev.cacheha.spi.Printable;

/** Text from a member, made safe to put in a status detail: one line, escaped by {@link Printable}, bounded. */
final class Excerpt {

    /** Enough to recognise an error message or a changed output format, short enough for a status field. */
    static final int MAX_CHARS = 300;

    private Excerpt() {}

    /** {@link Printable#excerpt(String, int)} at discovery's cap, {@link #MAX_CHARS}. */
    static String of(String text) {
        return Printable.excerpt(text, MAX_CHARS);
    }
}
