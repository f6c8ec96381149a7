package dev.cacheha.toolkit.pod;

import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.spi.Violation;
import java.util.Map;
import java.util.Optional;

/**
 * A journal in memory ({@code emptyDir} with {@code medium: Memory}) is tmpfs: its pages count against the
 * memory limit of the container that writes them. A journal that grows to its size limit must therefore still
 * leave the writing process the memory it needs to run, or the kubelet kills the master exactly when its journal
 * is fullest.
 *
 * @param writerProcess the engine process that writes the journal (its resources field path names it)
 * @param minimumBesideBytes the memory the writer needs beside a full journal (heap and what the JVM uses outside)
 * @param headroomBytes what {@link #withRoom} leaves above a full journal when the spec names no memory limit
 */
public record MemoryJournalBudget(String writerProcess, long minimumBesideBytes, long headroomBytes) {

    private static final long MEBIBYTE = 1024L * 1024L;

    /** The bytes a memory journal of {@code spec} may fill; 0 for a journal not in memory. */
    public static long memoryJournalBytes(HaSpec spec) {
        if (spec.journal() instanceof JournalStorage.EmptyDir emptyDir
                && emptyDir.medium() == JournalStorage.EmptyDir.Medium.MEMORY) {
            return ContainerResources.bytes(emptyDir.sizeLimit());
        }
        return 0;
    }

    /**
     * The writer's resources with room for a memory journal: unless the spec names the writer's memory limit, the
     * limit is raised to the journal's size limit plus {@link #headroomBytes()} where it is lower. A default sized
     * for a journal on disk would otherwise refuse every memory journal larger than the default allows.
     *
     * @param effective the writer's resources, the spec's over the engine's defaults
     */
    public ProcessResources withRoom(HaSpec spec, ProcessResources effective) {
        long journal = memoryJournalBytes(spec);
        if (journal == 0 || spec.resources(writerProcess).limit(ProcessResources.MEMORY).isPresent()) {
            return effective;
        }
        long roomy = journal + headroomBytes;
        if (ContainerResources.memoryLimitBytes(effective).orElse(0L) >= roomy) {
            return effective;
        }
        String limit = (roomy + MEBIBYTE - 1) / MEBIBYTE + "Mi";
        return ProcessResources.of(effective.requests(), Map.of(ProcessResources.MEMORY, limit))
                .withDefaults(effective);
    }

    /**
     * A violation if {@code spec}'s memory journal, full, would leave the writer less than
     * {@link #minimumBesideBytes()} of the memory limit the spec names for it. A limit the spec does not name is
     * made roomy enough by {@link #withRoom}.
     */
    public Optional<Violation> check(HaSpec spec) {
        ProcessResources writer = spec.resources(writerProcess);
        long journal = memoryJournalBytes(spec);
        Optional<Long> limit = ContainerResources.memoryLimitBytes(writer);
        if (journal == 0 || limit.isEmpty() || limit.get() - journal >= minimumBesideBytes) {
            return Optional.empty();
        }
        String sizeLimit = ((JournalStorage.EmptyDir) spec.journal()).sizeLimit();
        return Optional.of(new Violation("journal.sizeLimit", sizeLimit + " does not fit the memory of the "
                + writerProcess + " process: a memory journal counts against its limit resources." + writerProcess
                + ".limits.memory (" + writer.limit(ProcessResources.MEMORY).orElseThrow() + "), which must hold"
                + " the full journal plus " + minimumBesideBytes / MEBIBYTE + "Mi for the process itself;"
                + " raise the limit or lower the size limit"));
    }
}
