package dev.cacheha.toolkit;

import static java.util.Objects.requireNonNull;

import dev.cacheha.toolkit.pod.ContainerProbes;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's facts about one container of a master pod: what it runs, which of the quorum's ports it serves,
 * its environment, probes, security context, resources and volume mounts of its own. {@link MasterStatefulSet}
 * adds what every master container gets: the image, the properties file and the journal volume.
 *
 * @param name the container's name
 * @param command the entrypoint, or empty for the image's own
 * @param args the arguments
 * @param portNames the names of the quorum's ports this container serves, as in the spec's port overrides
 * @param env environment variables, in order (later ones may refer to earlier ones)
 * @param readinessProbe when the container is ready, if it says
 * @param livenessProbe when the container is restarted, if it says
 * @param startupProbe how long the container may take to start, if it says
 * @param securityContext the container's security context, if any
 * @param resources the container's requests and limits, if any
 * @param volumeMounts mounts beyond the properties file and the journal
 */
public record MasterContainer(
        String name,
        List<String> command,
        List<String> args,
        List<String> portNames,
        List<EnvVar> env,
        Optional<Probe> readinessProbe,
        Optional<Probe> livenessProbe,
        Optional<Probe> startupProbe,
        Optional<SecurityContext> securityContext,
        Optional<ResourceRequirements> resources,
        List<VolumeMount> volumeMounts) {

    public MasterContainer {
        requireNonNull(name, "name");
        command = List.copyOf(command);
        args = List.copyOf(args);
        portNames = List.copyOf(portNames);
        env = List.copyOf(env);
        requireNonNull(readinessProbe, "readinessProbe");
        requireNonNull(livenessProbe, "livenessProbe");
        requireNonNull(startupProbe, "startupProbe");
        requireNonNull(securityContext, "securityContext");
        requireNonNull(resources, "resources");
        volumeMounts = List.copyOf(volumeMounts);
        if (portNames.isEmpty()) {
            throw new IllegalArgumentException("container " + name + " serves no port: a master serves at least one");
        }
    }

    /** A builder for a container called {@code name}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /**
     * A probe that succeeds once {@code portName} accepts connections, every ten seconds: a raft member's port
     * opens when its process is up, leader or follower, and that is all readiness may ask of a member that
     * cannot serve before a majority runs.
     */
    public static Probe portOpen(String portName) {
        TCPSocketAction open = new TCPSocketAction();
        open.setPort(new IntOrString(portName));
        Probe probe = new Probe();
        probe.setTcpSocket(open);
        probe.setPeriodSeconds(10);
        return probe;
    }

    /** Builds a {@link MasterContainer}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<String> command = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final List<String> portNames = new ArrayList<>();
        private final List<EnvVar> env = new ArrayList<>();
        private Probe readinessProbe;
        private Probe livenessProbe;
        private Probe startupProbe;
        private SecurityContext securityContext;
        private ResourceRequirements resources;
        private final List<VolumeMount> volumeMounts = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** The entrypoint, replacing the image's. */
        public Builder command(String... words) {
            command.addAll(List.of(words));
            return this;
        }

        /** Arguments, appended. */
        public Builder args(String... words) {
            args.addAll(List.of(words));
            return this;
        }

        /** Ports this container serves, by the quorum's port names, appended. */
        public Builder ports(String... names) {
            portNames.addAll(List.of(names));
            return this;
        }

        /** Environment variables, appended in order. */
        public Builder env(EnvVar... variables) {
            env.addAll(List.of(variables));
            return this;
        }

        /** A plain environment variable. */
        public Builder env(String variable, String value) {
            EnvVar plain = new EnvVar();
            plain.setName(variable);
            plain.setValue(value);
            env.add(plain);
            return this;
        }

        /** The readiness probe; see {@link #portOpen(String)}. */
        public Builder readinessProbe(Probe probe) {
            this.readinessProbe = probe;
            return this;
        }

        /** The liveness probe. */
        public Builder livenessProbe(Probe probe) {
            this.livenessProbe = probe;
            return this;
        }

        /** The startup probe. */
        public Builder startupProbe(Probe probe) {
            this.startupProbe = probe;
            return this;
        }

        /** The startup, readiness and liveness probes at once. */
        public Builder probes(ContainerProbes probes) {
            this.startupProbe = probes.startup();
            this.readinessProbe = probes.readiness();
            this.livenessProbe = probes.liveness();
            return this;
        }

        /** The container's security context. */
        public Builder securityContext(SecurityContext context) {
            this.securityContext = context;
            return this;
        }

        /** The container's requests and limits. */
        public Builder resources(ResourceRequirements requirements) {
            this.resources = requirements;
            return this;
        }

        /** A mount beyond the properties file and the journal, appended. */
        public Builder volumeMount(VolumeMount mount) {
            volumeMounts.add(mount);
            return this;
        }

        /** The container. */
        public MasterContainer build() {
            return new MasterContainer(name, command, args, portNames, env, Optional.ofNullable(readinessProbe),
                    Optional.ofNullable(livenessProbe), Optional.ofNullable(startupProbe),
                    Optional.ofNullable(securityContext), Optional.ofNullable(resources), volumeMounts);
        }
    }
}
