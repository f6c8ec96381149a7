package dev.cacheha.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The restricted-pod check passes a compliant pod and catches each rule broken alone. */
class RestrictedPodCheckTest {

    @Test
    void aCompliantPodHasNoFindings() {
        assertThat(RestrictedPodCheck.findings(compliantPod())).isEmpty();
    }

    static Stream<Arguments> brokenPods() {
        return Stream.of(
                broken("containers[master].securityContext.allowPrivilegeEscalation",
                        pod -> master(pod).getSecurityContext().setAllowPrivilegeEscalation(null)),
                broken("containers[master].securityContext.capabilities.drop",
                        pod -> master(pod).getSecurityContext().getCapabilities().getDrop().clear()),
                broken("containers[master].securityContext.capabilities.add",
                        pod -> master(pod).getSecurityContext().getCapabilities().getAdd().add("SYS_ADMIN")),
                broken("containers[master].securityContext.runAsNonRoot",
                        pod -> pod.getSecurityContext().setRunAsNonRoot(null)),
                broken("containers[master].securityContext.runAsUser",
                        pod -> master(pod).getSecurityContext().setRunAsUser(0L)),
                broken("containers[master].securityContext.seccompProfile.type",
                        pod -> pod.getSecurityContext().getSeccompProfile().setType("Unconfined")),
                broken("containers[master].securityContext.privileged",
                        pod -> master(pod).getSecurityContext().setPrivileged(true)),
                broken("containers[master].ports[rpc].hostPort",
                        pod -> master(pod).getPorts().get(0).setHostPort(8080)),
                broken("hostNetwork", pod -> pod.setHostNetwork(true)),
                broken("automountServiceAccountToken", pod -> pod.setAutomountServiceAccountToken(null)),
                broken("volumes[host]", pod -> {
                    Volume host = new Volume();
                    host.setName("host");
                    host.setHostPath(new HostPathVolumeSource("/", null));
                    pod.getVolumes().add(host);
                }),
                broken("containers[master].resources.limits.memory",
                        pod -> master(pod).getResources().getLimits().clear()),
                broken("containers[master].resources.requests",
                        pod -> master(pod).getResources().getRequests().clear()),
                broken("containers[master].livenessProbe", pod -> master(pod).setLivenessProbe(null)),
                broken("containers[master].readinessProbe.port",
                        pod -> master(pod).getReadinessProbe().getTcpSocket().setPort(new IntOrString("web"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPods")
    void eachBrokenRuleIsFoundAtItsPath(String path, Consumer<PodSpec> breakIt) {
        // Given a compliant pod with one rule broken
        PodSpec pod = compliantPod();
        breakIt.accept(pod);

        // When it is checked, Then exactly that rule is reported at its path
        assertThat(RestrictedPodCheck.findings(pod)).singleElement().asString().startsWith(path + ":");
    }

    private static Arguments broken(String path, Consumer<PodSpec> breakIt) {
        return Arguments.of(path, breakIt);
    }

    private static Container master(PodSpec pod) {
        return pod.getContainers().get(0);
    }

    private static PodSpec compliantPod() {
        PodSpec pod = new PodSpec();
        pod.setAutomountServiceAccountToken(false);
        PodSecurityContext podContext = new PodSecurityContext();
        podContext.setRunAsNonRoot(true);
        podContext.setRunAsUser(1000L);
        SeccompProfile seccomp = new SeccompProfile();
        seccomp.setType("RuntimeDefault");
        podContext.setSeccompProfile(seccomp);
        pod.setSecurityContext(podContext);
        Container master = new Container();
        master.setName("master");
        ContainerPort rpc = new ContainerPort();
        rpc.setName("rpc");
        rpc.setContainerPort(19998);
        master.getPorts().add(rpc);
        SecurityContext context = new SecurityContext();
        context.setAllowPrivilegeEscalation(false);
        Capabilities capabilities = new Capabilities();
        capabilities.getDrop().add("ALL");
        context.setCapabilities(capabilities);
        master.setSecurityContext(context);
        ResourceRequirements resources = new ResourceRequirements();
        resources.getRequests().putAll(Map.of("cpu", new Quantity("1"), "memory", new Quantity("1Gi")));
        resources.getLimits().put("memory", new Quantity("1Gi"));
        master.setResources(resources);
        master.setStartupProbe(tcp("rpc"));
        master.setReadinessProbe(tcp("rpc"));
        master.setLivenessProbe(tcp("rpc"));
        pod.getContainers().addAll(List.of(master));
        return pod;
    }

    private static Probe tcp(String port) {
        TCPSocketAction action = new TCPSocketAction();
        action.setPort(new IntOrString(port));
        Probe probe = new Probe();
        probe.setTcpSocket(action);
        return probe;
    }
}
