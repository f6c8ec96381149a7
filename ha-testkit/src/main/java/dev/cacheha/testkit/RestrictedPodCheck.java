package dev.cacheha.testkit;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a pod spec the way a namespace enforcing the Pod Security Standard "restricted" (Kubernetes 1.30
 * definition, which includes "baseline") would admit it, plus what a production master needs beyond admission:
 * no service account token, requests and a memory limit on every container, and startup, readiness and liveness
 * probes on every long-running container, each naming a port the container declares.
 *
 * <p>Each finding is {@code <path>: <rule>}, the path as in the pod spec ({@code containers[master].securityContext
 * .allowPrivilegeEscalation}). An empty list means the pod is admitted and production-ready.
 */
public final class RestrictedPodCheck {

    private static final Set<String> RESTRICTED_VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SECCOMP_ALLOWED = Set.of("RuntimeDefault", "Localhost");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

    private RestrictedPodCheck() {}

    /** Every way {@code pod} breaks "restricted" or the production rules above; empty if none. */
    public static List<String> findings(PodSpec pod) {
        List<String> findings = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext();
        checkPod(pod, podContext, findings);
        for (Container init : pod.getInitContainers()) {
            String path = "initContainers[" + init.getName() + "]";
            checkContainerSecurity(path, init, podContext, findings);
            checkResources(path, init, findings);
        }
        for (Container container : pod.getContainers()) {
            String path = "containers[" + container.getName() + "]";
            checkContainerSecurity(path, container, podContext, findings);
            checkResources(path, container, findings);
            checkProbes(path, container, findings);
        }
        return findings;
    }

    private static void checkPod(PodSpec pod, PodSecurityContext context, List<String> findings) {
        flagIf(Boolean.TRUE.equals(pod.getHostNetwork()), "hostNetwork", "must not be true", findings);
        flagIf(Boolean.TRUE.equals(pod.getHostPID()), "hostPID", "must not be true", findings);
        flagIf(Boolean.TRUE.equals(pod.getHostIPC()), "hostIPC", "must not be true", findings);
        flagIf(!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()), "automountServiceAccountToken",
                "must be false: masters never call the Kubernetes API", findings);
        for (Volume volume : pod.getVolumes()) {
            String type = volumeType(volume);
            flagIf(!RESTRICTED_VOLUME_TYPES.contains(type), "volumes[" + volume.getName() + "]",
                    "type " + type + " is not allowed; use one of "
                            + RESTRICTED_VOLUME_TYPES.stream().sorted().toList(),
                    findings);
        }
        if (context != null) {
            flagIf(Long.valueOf(0).equals(context.getRunAsUser()), "securityContext.runAsUser", "must not be 0",
                    findings);
            if (context.getSysctls() != null) {
                context.getSysctls().stream().filter(sysctl -> !SAFE_SYSCTLS.contains(sysctl.getName()))
                        .forEach(sysctl -> findings.add("securityContext.sysctls[" + sysctl.getName()
                                + "]: is not a safe sysctl"));
            }
            if (context.getSeLinuxOptions() != null && context.getSeLinuxOptions().getType() != null) {
                checkSeLinuxType("securityContext.seLinuxOptions.type", context.getSeLinuxOptions().getType(),
                        findings);
            }
        }
    }

    private static void checkContainerSecurity(String path, Container container, PodSecurityContext pod,
            List<String> findings) {
        SecurityContext context = container.getSecurityContext() == null
                ? new SecurityContext()
                : container.getSecurityContext();
        String at = path + ".securityContext.";
        flagIf(Boolean.TRUE.equals(context.getPrivileged()), at + "privileged", "must not be true", findings);
        flagIf(!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation()), at + "allowPrivilegeEscalation",
                "must be false", findings);
        Capabilities capabilities = context.getCapabilities();
        flagIf(capabilities == null || !capabilities.getDrop().contains("ALL"), at + "capabilities.drop",
                "must contain ALL", findings);
        if (capabilities != null) {
            capabilities.getAdd().stream().filter(added -> !added.equals("NET_BIND_SERVICE"))
                    .forEach(added -> findings.add(at + "capabilities.add: " + added + " is not allowed; only"
                            + " NET_BIND_SERVICE may be added"));
        }
        Boolean runAsNonRoot = context.getRunAsNonRoot() != null
                ? context.getRunAsNonRoot()
                : pod == null ? null : pod.getRunAsNonRoot();
        flagIf(!Boolean.TRUE.equals(runAsNonRoot), at + "runAsNonRoot",
                "must be true, in the container or the pod", findings);
        flagIf(Long.valueOf(0).equals(context.getRunAsUser()), at + "runAsUser", "must not be 0", findings);
        SeccompProfile seccomp = context.getSeccompProfile() != null
                ? context.getSeccompProfile()
                : pod == null ? null : pod.getSeccompProfile();
        flagIf(seccomp == null || !SECCOMP_ALLOWED.contains(seccomp.getType()), at + "seccompProfile.type",
                "must be RuntimeDefault or Localhost, in the container or the pod", findings);
        flagIf(context.getProcMount() != null && !context.getProcMount().equals("Default"), at + "procMount",
                "must be Default", findings);
        if (context.getSeLinuxOptions() != null && context.getSeLinuxOptions().getType() != null) {
            checkSeLinuxType(at + "seLinuxOptions.type", context.getSeLinuxOptions().getType(), findings);
        }
        if (context.getAppArmorProfile() != null) {
            flagIf(!Set.of("RuntimeDefault", "Localhost").contains(context.getAppArmorProfile().getType()),
                    at + "appArmorProfile.type", "must be RuntimeDefault or Localhost", findings);
        }
        for (ContainerPort port : container.getPorts()) {
            flagIf(port.getHostPort() != null && port.getHostPort() != 0, path + ".ports[" + port.getName()
                    + "].hostPort", "must not be set", findings);
        }
    }

    private static void checkSeLinuxType(String path, String type, List<String> findings) {
        flagIf(!Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t").contains(type),
                path, type + " is not allowed", findings);
    }

    private static void checkResources(String path, Container container, List<String> findings) {
        Map<String, Quantity> requests = container.getResources() == null
                ? Map.of()
                : container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources() == null ? Map.of()
                : container.getResources().getLimits();
        boolean hasRequests = requests.containsKey("cpu") && requests.containsKey("memory");
        flagIf(!hasRequests && !(limits.containsKey("cpu") && limits.containsKey("memory")),
                path + ".resources.requests", "must name cpu and memory (or limits both), or the pod is BestEffort",
                findings);
        flagIf(!limits.containsKey("memory"), path + ".resources.limits.memory", "must be set", findings);
    }

    private static void checkProbes(String path, Container container, List<String> findings) {
        checkProbe(path + ".startupProbe", container.getStartupProbe(), container, findings);
        checkProbe(path + ".readinessProbe", container.getReadinessProbe(), container, findings);
        checkProbe(path + ".livenessProbe", container.getLivenessProbe(), container, findings);
    }

    private static void checkProbe(String path, Probe probe, Container container, List<String> findings) {
        if (probe == null) {
            findings.add(path + ": must be set on a long-running container");
            return;
        }
        IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort()
                : probe.getGrpc() != null ? new IntOrString(probe.getGrpc().getPort()) : null;
        if (port == null) {
            flagIf(probe.getExec() == null, path, "must probe a port or run a command", findings);
            return;
        }
        Function<ContainerPort, Object> key = port.getStrVal() != null ? ContainerPort::getName
                : ContainerPort::getContainerPort;
        Object wanted = port.getStrVal() != null ? port.getStrVal() : port.getIntVal();
        flagIf(container.getPorts().stream().map(key).noneMatch(wanted::equals), path + ".port",
                wanted + " is not a port the container declares", findings);
    }

    private static String volumeType(Volume volume) {
        if (volume.getConfigMap() != null) {
            return "configMap";
        }
        if (volume.getCsi() != null) {
            return "csi";
        }
        if (volume.getDownwardAPI() != null) {
            return "downwardAPI";
        }
        if (volume.getEmptyDir() != null) {
            return "emptyDir";
        }
        if (volume.getEphemeral() != null) {
            return "ephemeral";
        }
        if (volume.getPersistentVolumeClaim() != null) {
            return "persistentVolumeClaim";
        }
        if (volume.getProjected() != null) {
            return "projected";
        }
        if (volume.getSecret() != null) {
            return "secret";
        }
        return volume.getHostPath() != null ? "hostPath" : "other";
    }

    /** Adds {@code path: rule} when {@code broken}. */
    private static void flagIf(boolean broken, String path, String rule, List<String> findings) {
        if (broken) {
            findings.add(path + ": " + rule);
        }
    }
}
