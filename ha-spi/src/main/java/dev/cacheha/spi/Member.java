package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

/**
 * One master of a quorum as Kubernetes names it.
 *
 * @param ordinal the StatefulSet ordinal, from 0
 * @param namespace the pod's namespace
 * @param podName the pod's name, used for {@link PodExec}
 * @param host the pod's stable DNS name, used for {@link MemberProbe}
 */
public record Member(int ordinal, String namespace, String podName, String host) {

    public Member {
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must not be negative: " + ordinal);
        }
        requireNonNull(namespace, "namespace");
        requireNonNull(podName, "podName");
        requireNonNull(host, "host");
    }
}
