package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The steps that bring back one member whose journal is lost or corrupt: stop it, delete its journal, start it
 * empty, and wait until it has caught up from the leader and follows. The other members keep serving
 * throughout, which is why a provider plans it only when they are a healthy majority without the member.
 *
 * @param member the member to rebuild
 * @param steps what to do, in order
 */
public record MemberRebuildPlan(Member member, List<Step> steps) {

    public MemberRebuildPlan {
        requireNonNull(member, "member");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a rebuild has steps");
        }
    }
}
