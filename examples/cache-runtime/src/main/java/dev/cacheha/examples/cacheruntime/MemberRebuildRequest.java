package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * {@code spec.memberRebuild} of a CacheRuntime: bring back one member whose journal is lost or corrupt, from
 * an empty journal that catches up from the leader. It runs once per request: {@code status.memberRebuild} keeps
 * the record of a finished one, so to rebuild the same member again, remove the request and set it again.
 */
public class MemberRebuildRequest {

    @Required
    @Min(0)
    @Max(6)
    private Integer member;

    /** Creates an empty request, for deserialization. */
    public MemberRebuildRequest() {}

    /** A request to rebuild member {@code member}. */
    public MemberRebuildRequest(int member) {
        this.member = member;
    }

    /** The ordinal of the member to rebuild (its pod is {@code <statefulset>-<member>}). */
    public Integer getMember() {
        return member;
    }

    /** Sets {@link #getMember()}. */
    public void setMember(Integer member) {
        this.member = member;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemberRebuildRequest that && Objects.equals(member, that.member);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(member);
    }
}
