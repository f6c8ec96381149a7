package dev.cacheha.examples.controller.rolelabel;

import static java.util.Objects.requireNonNull;

import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a label on each master pod that says what discovery found it to be, so that
 * {@code kubectl get pods -l data.cacheha.dev/role=leader} finds the leader: {@value #LEADER} on the member the
 * quorum stands behind, {@value #FOLLOWER} on members that say they follow, and no label on a member that did not
 * answer (or claims to lead without the others' agreement: discovery never names such a leader, nor does the label).
 *
 * <p>A label is changed by a JSON patch of that one label, tested against the pod's UID, so it changes nothing
 * else and never lands on another pod of the same name; and only when the cached pod's label differs, so an
 * unchanged quorum costs no request.
 */
public final class RoleLabels {

    /** The label's key. */
    public static final String LABEL = "data.cacheha.dev/role";

    /** The label's value on the member that leads. */
    public static final String LEADER = "leader";

    /** The label's value on a member that follows. */
    public static final String FOLLOWER = "follower";

    private static final Logger LOG = Logger.getLogger(RoleLabels.class.getName());

    /** The label's key as a JSON pointer token (RFC 6901: "/" written as "~1"). */
    private static final String POINTER = "/metadata/labels/" + LABEL.replace("~", "~0").replace("/", "~1");

    private final KubernetesClient client;

    /** Labels written through {@code client}. */
    public RoleLabels(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    /**
     * Brings the label of every member {@code quorum} answered for to what it said.
     *
     * @param quorum what discovery found
     * @param ownedPod the cached pod of a member, only if the owner chain proves it is the runtime's
     * @param patched told each changed pod as the server returned it, with the cached pod it was changed from, so
     *     that the caller's cache can hold the new label until its watch brings it
     * @return the pods whose label was changed, as {@code pod=role} ({@code pod-} for a label removed)
     */
    public List<String> update(LeaderStatus quorum, Function<Member, Optional<Pod>> ownedPod,
            BiConsumer<Pod, Pod> patched) {
        List<String> changed = new ArrayList<>();
        for (MemberAnswer answer : quorum.members()) {
            Optional<Pod> pod = ownedPod.apply(answer.member());
            if (pod.isEmpty()) {
                continue;
            }
            Optional<String> role = role(quorum, answer);
            Map<String, String> labels = Objects.requireNonNullElse(pod.get().getMetadata().getLabels(), Map.of());
            if (Objects.equals(labels.get(LABEL), role.orElse(null))) {
                continue;
            }
            Optional<Pod> changedPod = patch(pod.get(), labels.isEmpty(), role);
            if (changedPod.isPresent()) {
                patched.accept(changedPod.get(), pod.get());
                changed.add(pod.get().getMetadata().getName() + role.map(value -> "=" + value).orElse("-"));
            }
        }
        return changed;
    }

    private static Optional<String> role(LeaderStatus quorum, MemberAnswer answer) {
        if (quorum.leader().filter(answer.member()::equals).isPresent()) {
            return Optional.of(LEADER);
        }
        return answer.role() == Role.FOLLOWER ? Optional.of(FOLLOWER) : Optional.empty();
    }

    /** The pod as the server returned it after the change; empty when the server refused it. */
    private Optional<Pod> patch(Pod pod, boolean noLabels, Optional<String> role) {
        Map<String, Object> change = role.<Map<String, Object>>map(value -> noLabels
                        ? Map.of("op", "add", "path", "/metadata/labels", "value", Map.of(LABEL, value))
                        : Map.of("op", "add", "path", POINTER, "value", value))
                .orElse(Map.of("op", "remove", "path", POINTER));
        String patch = client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "test", "path", "/metadata/uid", "value", pod.getMetadata().getUid()), change));
        try {
            return Optional.of(client.resource(pod).patch(PatchContext.of(PatchType.JSON), patch));
        } catch (KubernetesClientException refused) {
            // The pod went or was replaced since the cache saw it (gone, or the test of its UID failed): its next
            // event brings a reconcile that decides again from what is there then. Anything else is worth a warning.
            boolean raced = refused.getCode() == HttpURLConnection.HTTP_NOT_FOUND || refused.getCode() == 422;
            LOG.log(raced ? Level.FINE : Level.WARNING, () -> "role label of pod " + pod.getMetadata().getName()
                    + " not changed: " + refused.getMessage());
            return Optional.empty();
        }
    }
}
