package dev.cacheha.toolkit.pod;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

/**
 * Startup, readiness and liveness probes of a long-running container, each asking a port by the name the
 * container declares (so a port override moves the probe with it).
 *
 * @param startup passes once the process serves; until then the other two are not run
 * @param readiness whether the pod counts as available (Service endpoints and the disruption budget)
 * @param liveness whether the kubelet should restart the container
 */
public record ContainerProbes(Probe startup, Probe readiness, Probe liveness) {

    /** Requires all three. */
    public ContainerProbes {
        requireNonNull(startup, "startup");
        requireNonNull(readiness, "readiness");
        requireNonNull(liveness, "liveness");
    }

    /**
     * The three probes as TCP connections to {@code portName}, at the measured raft-master timings of
     * {@link ProbeTiming}. A TCP probe passes on a frozen process whose kernel still accepts connections; prefer
     * {@link #httpGet(String, String)} where the engine serves HTTP on every member.
     */
    public static ContainerProbes tcpSocket(String portName) {
        return new ContainerProbes(tcpSocket(portName, ProbeTiming.RAFT_MASTER_STARTUP),
                tcpSocket(portName, ProbeTiming.RAFT_MASTER_READINESS),
                tcpSocket(portName, ProbeTiming.RAFT_MASTER_LIVENESS));
    }

    /** The three probes as {@code GET path} on {@code portName}, at the measured raft-master timings. */
    public static ContainerProbes httpGet(String portName, String path) {
        return new ContainerProbes(httpGet(portName, path, ProbeTiming.RAFT_MASTER_STARTUP),
                httpGet(portName, path, ProbeTiming.RAFT_MASTER_READINESS),
                httpGet(portName, path, ProbeTiming.RAFT_MASTER_LIVENESS));
    }

    /** A probe that passes when port {@code portName} accepts a TCP connection. */
    public static Probe tcpSocket(String portName, ProbeTiming timing) {
        TCPSocketAction action = new TCPSocketAction();
        action.setPort(new IntOrString(portName));
        Probe probe = new Probe();
        probe.setTcpSocket(action);
        timing.applyTo(probe);
        return probe;
    }

    /**
     * A probe that passes when {@code GET path} on port {@code portName} answers 200 to 399 within the timeout.
     * Unlike a TCP probe it fails a frozen process: the kernel still accepts its connections, nobody answers.
     */
    public static Probe httpGet(String portName, String path, ProbeTiming timing) {
        HTTPGetAction action = new HTTPGetAction();
        action.setPort(new IntOrString(portName));
        action.setPath(path);
        action.setScheme("HTTP");
        Probe probe = new Probe();
        probe.setHttpGet(action);
        timing.applyTo(probe);
        return probe;
    }

    /**
     * Sets the three probes on {@code container}, which must already declare every port they name.
     *
     * @throws IllegalArgumentException if a probe names a port the container does not declare
     */
    public void applyTo(Container container) {
        for (Probe probe : new Probe[] {startup, readiness, liveness}) {
            String port = portName(probe);
            boolean declared = container.getPorts().stream().map(ContainerPort::getName).anyMatch(port::equals);
            if (!declared) {
                throw new IllegalArgumentException("container " + container.getName() + " has no port named "
                        + port + " for its probe");
            }
        }
        container.setStartupProbe(startup);
        container.setReadinessProbe(readiness);
        container.setLivenessProbe(liveness);
    }

    private static String portName(Probe probe) {
        IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort() : probe.getTcpSocket().getPort();
        return port.getStrVal();
    }
}
