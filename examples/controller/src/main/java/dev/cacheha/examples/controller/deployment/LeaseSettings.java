package dev.cacheha.examples.controller.deployment;

import static java.util.Objects.requireNonNull;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

/**
 * The Lease the controller instances elect their leader on; only the leader reconciles. The others keep their
 * informers in sync and take over once the leader stops renewing the Lease (JOSDK's 15 s lease duration).
 *
 * @param name the Lease's name; {@code deploy/leader-election.yaml} grants get and update on this name only
 * @param namespace the Lease's namespace, the controller's own by default
 */
public record LeaseSettings(String name, String namespace) {

    public LeaseSettings {
        requireNonNull(name, "name");
        requireNonNull(namespace, "namespace");
    }

    /**
     * JOSDK's configuration for this Lease. An instance that loses the Lease exits (and is restarted by its
     * Deployment) rather than go on reconciling next to the new leader; the identity is the pod's host name.
     */
    public LeaderElectionConfiguration configuration() {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(name)
                .withLeaseNamespace(namespace)
                .withExitOnStopLeading(true)
                .build();
    }
}
