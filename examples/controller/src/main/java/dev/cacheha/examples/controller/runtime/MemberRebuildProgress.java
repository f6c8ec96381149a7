package dev.cacheha.examples.controller.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * {@code status.memberRebuild} of a {@link CacheRuntime}: the rebuild {@code spec.memberRebuild} asks for, its
 * phase and how it ended. While it runs, {@code status.steps} records how far its steps have come; kept once
 * Succeeded, so the same request does not run again.
 */
public class MemberRebuildProgress {

    /** Waits for a replica change or a restore to end, or for the StatefulSet to run its spec's size. */
    public static final String PENDING = "Pending";
    /**
     * Not started, with the reason in {@link #getMessage()}, such as the other members being no majority without
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

    @Min(0)
    private Integer member;
    @SchemaFrom(type = Phase.class)
    private String phase;
    private String message;

    /** Creates an empty record, for deserialization. */
    public MemberRebuildProgress() {}

    /** A record of the rebuild of member {@code member}. */
    public MemberRebuildProgress(int member, String phase, String message) {
        this.member = member;
        this.phase = phase;
        this.message = message;
    }

    /** The operation whose steps {@code status.steps} records while this rebuild runs. */
    public String operation() {
        return "rebuild of member " + member;
    }

    /** Whether this record ends the request to rebuild {@code member}: it Succeeded. */
    public boolean ends(int member) {
        return Objects.equals(this.member, member) && SUCCEEDED.equals(phase);
    }

    /** The ordinal of the member rebuilt. */
    public Integer getMember() {
        return member;
    }

    /** Sets {@link #getMember()}. */
    public void setMember(Integer member) {
        this.member = member;
    }

    /** {@value #PENDING}, {@value #REFUSED}, {@value #RUNNING} or {@value #SUCCEEDED}. */
    public String getPhase() {
        return phase;
    }

    /** Sets {@link #getPhase()}. */
    public void setPhase(String phase) {
        this.phase = phase;
    }

    /** What the rebuild waits for, why it was refused, or how it ended. */
    public String getMessage() {
        return message;
    }

    /** Sets {@link #getMessage()}. */
    public void setMessage(String message) {
        this.message = message;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemberRebuildProgress that && Objects.equals(member, that.member)
                && Objects.equals(phase, that.phase) && Objects.equals(message, that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(member, phase, message);
    }

    @Override
    public String toString() {
        return "MemberRebuildProgress{member " + member + ", " + phase + ", message=" + message + "}";
    }
}
