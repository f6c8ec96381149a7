package dev.cacheha.realcluster.node;

import dev.cacheha.alluxio.local.RenderedPod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One pod bound to the local node, run as a kubelet runs it: started from its spec (volumes, init step, master
 * container, probes), its master container restarted when it exits or its liveness probe fails, stopped with
 * SIGTERM then SIGKILL after the grace period, and its status written to the API server whenever it changes.
 *
 * <p>Only the Alluxio master container runs (the harness has an entrypoint stand-in for it alone); every other
 * container is reported as waiting with reason {@value #NOT_RUN}, and the pod's Ready condition follows the master
 * container's readiness probe, saying so in its message.
 */
final class NodePod {

    /** The reason reported for a container the node does not run. */
    static final String NOT_RUN = "NotRunByLocalNode";

    private enum Phase { STARTING, START_FAILED, RUNNING, STOPPING, STOPPED }

    private static final Duration START_RETRY = Duration.ofSeconds(5);

    private final KubernetesClient admin;
    private final Pod pod;
    private final RenderedPod rendered;
    private final Map<String, PodCondition> conditions = new HashMap<>();
    private Phase phase = Phase.STARTING;
    private String startError;
    private long failedAt;
    private int restarts;
    private int livenessFailuresSeen;
    private Instant podStarted;
    private Instant containerStarted;
    private PodStatus written;

    NodePod(KubernetesClient admin, Pod pod, RenderedPod rendered) {
        this.admin = admin;
        this.pod = pod;
        this.rendered = rendered;
    }

    String uid() {
        return pod.getMetadata().getUid();
    }

    String namespace() {
        return pod.getMetadata().getNamespace();
    }

    String name() {
        return pod.getMetadata().getName();
    }

    RenderedPod rendered() {
        return rendered;
    }

    /** Whether the master container runs (the pod is neither starting nor stopping). */
    synchronized boolean isRunning() {
        return phase == Phase.RUNNING && rendered.isRunning();
    }

    /** Volumes, init step and master container; a failure is reported in the status and retried by a tick. */
    void start() {
        synchronized (this) {
            if (phase != Phase.STARTING && phase != Phase.START_FAILED) {
                return;
            }
            phase = Phase.STARTING;
            if (podStarted == null) {
                podStarted = Instant.now();
            }
        }
        try {
            rendered.start();
            synchronized (this) {
                if (phase == Phase.STARTING) {
                    phase = Phase.RUNNING;
                    containerStarted = Instant.now();
                    startError = null;
                    return;
                }
            }
            // Deleted while starting: the stop found nothing to stop yet.
            rendered.kill();
        } catch (RuntimeException e) {
            rendered.kill();
            synchronized (this) {
                if (phase == Phase.STARTING) {
                    phase = Phase.START_FAILED;
                    failedAt = System.nanoTime();
                    startError = String.valueOf(e.getMessage());
                }
            }
        }
    }

    /**
     * What a kubelet's sync loop does for a running pod: a master that exited or failed its liveness probe is
     * restarted (restartPolicy Always), a failed start is retried, and the status is written if it changed.
     *
     * @return whether a failed start is due to be retried
     */
    boolean tick() {
        boolean retryStart;
        synchronized (this) {
            if (phase == Phase.RUNNING) {
                int failures = rendered.probes().livenessFailures().size();
                if (!rendered.isRunning() || failures > livenessFailuresSeen) {
                    // The new container's probes start with no failures.
                    livenessFailuresSeen = 0;
                    rendered.kill();
                    rendered.restartMaster();
                    restarts++;
                    containerStarted = Instant.now();
                }
            }
            retryStart = phase == Phase.START_FAILED && System.nanoTime() - failedAt > START_RETRY.toNanos();
        }
        writeStatus();
        return retryStart;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; the pod's status says its containers terminated. */
    void stop(Duration grace) {
        synchronized (this) {
            if (phase == Phase.STOPPED || phase == Phase.STOPPING) {
                return;
            }
            phase = Phase.STOPPING;
        }
        rendered.stop(grace);
        synchronized (this) {
            phase = Phase.STOPPED;
        }
    }

    /** Whether the pod was stopped (its containers are gone). */
    synchronized boolean isStopped() {
        return phase == Phase.STOPPED;
    }

    private void writeStatus() {
        PodStatus status = status();
        if (status.equals(written)) {
            return;
        }
        try {
            Pod live = admin.pods().inNamespace(namespace()).withName(name()).get();
            if (live == null || !uid().equals(live.getMetadata().getUid())) {
                return;
            }
            live.setStatus(status);
            admin.pods().inNamespace(namespace()).resource(live).replaceStatus();
            written = status;
        } catch (KubernetesClientException conflictOrGone) {
            // A PUT tested against the version just read: written again on the next tick, from the pod as it is then.
        }
    }

    private synchronized PodStatus status() {
        boolean running = phase == Phase.RUNNING && rendered.isRunning();
        boolean started = running && rendered.probes().hasStarted();
        boolean ready = started && rendered.probes().isReady();
        boolean initialized = phase == Phase.RUNNING || phase == Phase.STOPPING || phase == Phase.STOPPED;
        String master = rendered.masterContainer().getName();
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            ContainerStatusBuilder status = new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withImage(container.getImage())
                    .withImageID("");
            if (!container.getName().equals(master)) {
                containers.add(status.withReady(false).withStarted(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason(NOT_RUN)
                        .withMessage("the local node runs the Alluxio master container only").endWaiting()
                        .endState().build());
            } else if (running) {
                containers.add(status.withReady(ready).withStarted(started).withRestartCount(restarts)
                        .withContainerID("local://" + rendered.pid())
                        .withNewState().withNewRunning().withStartedAt(time(containerStarted)).endRunning()
                        .endState().build());
            } else if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
                containers.add(status.withReady(false).withStarted(false).withRestartCount(restarts)
                        .withNewState().withNewTerminated().withReason("Completed").withExitCode(0).endTerminated()
                        .endState().build());
            } else {
                containers.add(status.withReady(false).withStarted(false).withRestartCount(restarts)
                        .withNewState().withNewWaiting()
                        .withReason(phase == Phase.START_FAILED ? "StartError" : "PodInitializing")
                        .withMessage(startError).endWaiting().endState().build());
            }
        }
        String readiness = "from the readiness probe of container " + master + "; the local node runs no other";
        return new PodStatusBuilder()
                .withPhase(running || phase == Phase.STOPPING ? "Running" : "Pending")
                .withHostIP(LocalNode.POD_IP)
                .withPodIP(initialized ? LocalNode.POD_IP : null)
                .withPodIPs(initialized ? List.of(new PodIP(LocalNode.POD_IP)) : List.of())
                .withStartTime(time(podStarted))
                .withConditions(condition("PodScheduled", true, null), condition("Initialized", initialized, null),
                        condition("ContainersReady", ready, readiness), condition("Ready", ready, readiness))
                .withContainerStatuses(containers)
                .withInitContainerStatuses(pod.getSpec().getInitContainers().stream().map(init ->
                        new ContainerStatusBuilder().withName(init.getName()).withImage(init.getImage())
                                .withImageID("").withReady(initialized).withRestartCount(0)
                                .withNewState().withNewTerminated().withExitCode(initialized ? 0 : 1)
                                .withReason(initialized ? "Completed" : "Error").endTerminated().endState()
                                .build()).toList())
                .build();
    }

    /** A condition whose transition time changes only when its value does, as the kubelet keeps it. */
    private PodCondition condition(String type, boolean value, String message) {
        String status = value ? "True" : "False";
        PodCondition last = conditions.get(type);
        if (last == null || !last.getStatus().equals(status) || !Objects.equals(last.getMessage(), message)) {
            last = new PodConditionBuilder().withType(type).withStatus(status).withMessage(message)
                    .withLastTransitionTime(time(Instant.now())).build();
            conditions.put(type, last);
        }
        return last;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
