package dev.cacheha.examples.controller.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * {@code status.memberRebuild} of a {@link CacheRuntime}: the rebuild {@code spec.memberRebuild} asks for, its
 * phase and how it ended. While it runs, {@code status.steps} records how far its steps have come; kept once
 * Succeeded, so the same request does not run again.
 *
 * @param member the ordinal of the member rebuilt
 * @param phase {@value #PENDING}, {@value #REFUSED}, {@value #RUNNING} or {@value #SUCCEEDED}
 * @param message what the rebuild waits for, why it was refused, or how it ended
 */
public record MemberRebuildProgress(@Min(0) Integer member, @SchemaFrom(type = Phase.class) String phase,
        String message) {

    /** Waits for a replica change or a restore to end, or for the StatefulSet to run its spec's size. */
    public static final String PENDING = "Pending";
    /**
     * Not started, with the reason in {@link #message()}, such as the other members being no majority without
     * this one; nothing was stopped or deleted. Looked at again while requested: it starts once it is safe.
     */
    public static final String REFUSED = "Refused";
    /** Under way: {@code status.steps} names the first step not done. */
    public static final String RUNNING = "Running";
    /** Every step done: the member follows again, from a fresh journal. */
    public static final String SUCCEEDED = "Succeeded";

    /** The phases, as the CRD's schema lists them. */
    private enum Phase {
        @JsonProperty(MemberRebuildProgress.PENDING) PENDING,
        @JsonProperty(MemberRebuildProgress.REFUSED) REFUSED,
        @JsonProperty(MemberRebuildProgress.RUNNING) RUNNING,
        @JsonProperty(MemberRebuildProgress.SUCCEEDED) SUCCEEDED
    }

    /** The operation whose steps {@code status.steps} records while this rebuild runs. */
    public String operation() {
        return "rebuild of member " + member;
    }

    /** Whether this record ends the request to rebuild {@code member}: it Succeeded. */
    public boolean ends(int member) {
        return Objects.equals(this.member, member) && SUCCEEDED.equals(phase);
    }
}
