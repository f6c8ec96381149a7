package dev.cacheha.examples.cacheruntime;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * {@code spec.memberRebuild} of a CacheRuntime: bring back one member whose journal is lost or corrupt, from
 * an empty journal that catches up from the leader. It runs once per request: {@code status.memberRebuild} keeps
 * the record of a finished one, so to rebuild the same member again, remove the request and set it again.
 *
 * @param member the ordinal of the member to rebuild (its pod is {@code <statefulset>-<member>})
 */
public record MemberRebuildRequest(@Required @Min(0) @Max(6) Integer member) {
}
