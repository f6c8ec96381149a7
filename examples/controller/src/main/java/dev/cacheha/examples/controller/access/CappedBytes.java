package dev.cacheha.examples.controller.access;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The first {@code capacity} bytes of a stream; the rest is dropped, so a member that answers without end
 * costs the controller a bounded amount of memory. Thread-safe: fabric8 writes output from its own threads.
 */
final class CappedBytes extends OutputStream {

    private final int capacity;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    CappedBytes(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Keeps what fits of {@code buffer}; returns whether the capacity is reached, so the reader may stop. */
    synchronized boolean append(ByteBuffer buffer) {
        int take = Math.min(buffer.remaining(), capacity - kept.size());
        byte[] bytes = new byte[take];
        buffer.get(bytes);
        kept.write(bytes, 0, take);
        return isFull();
    }

    synchronized boolean isFull() {
        return kept.size() >= capacity;
    }

    @Override
    public synchronized void write(int b) {
        if (!isFull()) {
            kept.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        append(ByteBuffer.wrap(bytes, offset, length));
    }

    /** The kept bytes as UTF-8 text; a character cut at the cap becomes a replacement character. */
    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }
}
