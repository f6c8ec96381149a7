package dev.cacheha.toolkit.pod;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a pod pass the Pod Security Standard "restricted": it runs as the image's non-root user, every
 * container drops every capability and cannot gain privileges, the runtime's default seccomp profile applies,
 * and no service account token is mounted (masters never call the Kubernetes API). A namespace that enforces
 * "restricted" refuses pods without these, and a refused master shows up only as a quorum that never forms.
 *
 * @param user the uid the image's processes run as; never 0
 * @param group the gid of the pod's processes and of the volumes they write
 * @param readOnlyRootFilesystem whether the engine can run with a read-only root file system (the provider then
 *     mounts a writable volume at every path it writes)
 */
public record RestrictedPodSecurity(long user, long group, boolean readOnlyRootFilesystem) {

    /** The seccomp profile "restricted" asks for. */
    public static final String RUNTIME_DEFAULT = "RuntimeDefault";

    /** The {@code fsGroupChangePolicy} of every pod: re-own a volume only when its root's group differs. */
    public static final String ON_ROOT_MISMATCH = "OnRootMismatch";

    /** Checks the user is not root, which "restricted" refuses. */
    public RestrictedPodSecurity {
        if (user <= 0) {
            throw new IllegalArgumentException("a restricted pod runs as a non-root user, not uid " + user);
        }
        if (group < 0) {
            throw new IllegalArgumentException("group must not be negative: " + group);
        }
    }

    /** Sets the pod's and every container's (init containers included) security settings. */
    public void applyTo(PodSpec pod) {
        pod.setAutomountServiceAccountToken(false);
        PodSecurityContext podContext = new PodSecurityContext();
        podContext.setRunAsNonRoot(true);
        podContext.setRunAsUser(user);
        podContext.setRunAsGroup(group);
        // Volumes (a fresh claim's root belongs to root) become writable by the group.
        podContext.setFsGroup(group);
        // Only a volume whose root does not already have the group is re-owned, and then only once: without this
        // the kubelet walks and re-owns every file of every volume (a mounted backup volume included) on each
        // start of every member.
        podContext.setFsGroupChangePolicy(ON_ROOT_MISMATCH);
        podContext.setSeccompProfile(runtimeDefault());
        pod.setSecurityContext(podContext);
        Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .forEach(container -> container.setSecurityContext(containerContext()));
    }

    private SecurityContext containerContext() {
        SecurityContext context = new SecurityContext();
        context.setAllowPrivilegeEscalation(false);
        Capabilities capabilities = new Capabilities();
        capabilities.getDrop().addAll(List.of("ALL"));
        context.setCapabilities(capabilities);
        context.setRunAsNonRoot(true);
        context.setReadOnlyRootFilesystem(readOnlyRootFilesystem);
        context.setSeccompProfile(runtimeDefault());
        return context;
    }

    private static SeccompProfile runtimeDefault() {
        SeccompProfile profile = new SeccompProfile();
        profile.setType(RUNTIME_DEFAULT);
        return profile;
    }
}
