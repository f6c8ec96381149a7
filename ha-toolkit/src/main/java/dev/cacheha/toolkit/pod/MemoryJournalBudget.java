package dev.cacheha.toolkit.pod;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.Violation;
import java.util.Optional;

/**
 * A journal in memory ({@code emptyDir} with {@code medium: Memory}) is tmpfs: its pages count against the
 * memory limit of the container that writes them. A journal that grows to its size limit must therefore still
 * leave the writing process the memory it needs to run, or the kubelet kills the master exactly when its journal
 * is fullest.
 *
 * @param writerProcess the engine process that writes the journal (its resources field path names it)
 * @param minimumBesideBytes the memory the writer needs beside a full journal (heap and what the JVM uses outside)
 */
public record MemoryJournalBudget(String writerProcess, long minimumBesideBytes) {

    /** The bytes a memory journal of {@code spec} may fill; 0 for a journal not in memory. */
    public static long memoryJournalBytes(HaSpec spec) {
        if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir
                && emptyDir.medium() == JournalStorage.EmptyDir.Medium.MEMORY) {
            return ContainerResources.bytes(emptyDir.sizeLimit());
        }
        return 0;
    }

    /**
     * A violation if {@code spec}'s memory journal, full, would leave the writer less than
     * {@link #minimumBesideBytes()} of its memory limit {@code writer}.
     */
    public Optional<Violation> check(HaSpec spec, ProcessResources writer) {
        long journal = memoryJournalBytes(spec);
        Optional<Long> limit = ContainerResources.memoryLimitBytes(writer);
        if (journal == 0 || limit.isEmpty() || limit.get() - journal >= minimumBesideBytes) {
            return Optional.empty();
        }
        String sizeLimit = ((JournalStorage.EmptyDir) spec.journal()).sizeLimit();
        return Optional.of(new Violation("journal.sizeLimit", sizeLimit + " does not fit the memory of the "
                + writerProcess + " process: a memory journal counts against its limit resources." + writerProcess
                + ".limits.memory (" + writer.limit(ProcessResources.MEMORY).orElseThrow() + "), which must hold"
                + " the full journal plus " + minimumBesideBytes / (1024 * 1024) + "Mi for the process itself;"
                + " raise the limit or lower the size limit"));
    }
}
