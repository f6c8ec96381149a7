package dev.cacheha.alluxio.local;

import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.toolkit.discovery.HttpMemberProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link MemberProbe} for a {@link LocalAlluxioQuorum}: it plays the pod network, sending a request for
 * {@code <member host>:<plan port>} to {@code localhost:<that member's local port>} and writing local addresses in
 * the answer back as the plan's.
 */
final class LoopbackProbe implements MemberProbe {

    private final List<Member> members;
    private final LoopbackMapping mapping;
    private final HttpMemberProbe http;

    LoopbackProbe(List<Member> members, LoopbackMapping mapping) {
        this.members = List.copyOf(members);
        this.mapping = mapping;
        this.http = HttpMemberProbe.create((member, port) ->
                new HostPort(LoopbackMapping.LOOPBACK_HOST, mapping.localPort(member.ordinal(), port)));
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        if (!members.contains(member)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(member.podName() + " is not a member of this quorum"));
        }
        return http.get(member, port, path, deadline)
                .thenApply(response -> new Response(response.status(), planBody(response.body())));
    }

    /** The body with plan addresses, cut again since plan host names are longer than {@code localhost}. */
    private String planBody(String localBody) {
        String body = mapping.toPlanAddresses(localBody);
        return body.length() > MAX_BODY_BYTES ? body.substring(0, MAX_BODY_BYTES) : body;
    }
}
