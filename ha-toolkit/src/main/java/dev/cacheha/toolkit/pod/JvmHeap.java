package dev.cacheha.toolkit.pod;

/**
 * A JVM's maximum heap derived from its container's memory limit, so the heap follows the limit instead of the
 * JVM's own guess: a heap the limit cannot hold gets the container OOM-killed rather than the JVM collecting
 * garbage. An explicit {@code -Xmx} rather than {@code -XX:MaxRAMPercentage}: the share of the limit that must
 * stay outside the heap (metaspace, thread stacks, direct buffers, native stores, files in a memory-backed
 * volume the process writes) is the engine's to know, and an explicit value can be read in the pod spec.
 *
 * @param heapPercent the share of the memory left for the JVM that the heap may take, 1 to 90
 */
public record JvmHeap(int heapPercent) {

    private static final long MEBIBYTE = 1024L * 1024L;

    /** Checks the share. */
    public JvmHeap {
        if (heapPercent < 1 || heapPercent > 90) {
            throw new IllegalArgumentException("heapPercent must be 1 to 90, not " + heapPercent);
        }
    }

    /**
     * The heap in mebibytes for a container limited to {@code memoryLimitBytes}, of which {@code reservedBytes}
     * are used outside the JVM (such as a memory-backed journal the process writes); at least 64 MiB.
     */
    public long maxHeapMebibytes(long memoryLimitBytes, long reservedBytes) {
        long forJvm = Math.max(0, memoryLimitBytes - reservedBytes);
        return Math.max(64, forJvm / 100 * heapPercent / MEBIBYTE);
    }

    /** The {@code -Xmx} option of {@link #maxHeapMebibytes(long, long)}. */
    public String maxHeapOption(long memoryLimitBytes, long reservedBytes) {
        return "-Xmx" + maxHeapMebibytes(memoryLimitBytes, reservedBytes) + "m";
    }
}
