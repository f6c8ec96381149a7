package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Deletes the journal claims a replica change names as stale, and only when that is provably safe. A claim is
 * deleted only if all of these hold, each read from the API server right before (never from a cache or a
 * status field, since deleting a running member's journal cannot be undone):
 * <ol>
 *   <li>the live StatefulSet is controlled by the runtime, and the claim is owned by that StatefulSet (the
 *       reference Kubernetes adds to the claims it makes under the plan's {@code whenDeleted: Delete} retention
 *       policy): a claim with the right name but outside that owner chain is someone else's;</li>
 *   <li>it is named after one of the StatefulSet's claim templates, so it belongs to an ordinal;</li>
 *   <li>its ordinal is not below the live StatefulSet's replica count: below it, the claim is a member's, even
 *       while the StatefulSet controller has made the claim and not yet the pod (a change resumed at this step
 *       after the StatefulSet grew);</li>
 *   <li>no pod of that ordinal exists: a pod that exists is a member, and the claim is its journal;</li>
 *   <li>the provider's {@code cleanup} rules select it (names, labels, the delete-claim annotation);</li>
 *   <li>its UID is unchanged when the DELETE arrives (a precondition the API server checks).</li>
 * </ol>
 */
final class StaleClaims {

    private final KubernetesClient client;
    private final PreconditionedDelete deletes;

    StaleClaims(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
        this.deletes = new PreconditionedDelete(client);
    }

    /**
     * What happened to each named claim.
     *
     * @param deleted the claims deleted
     * @param kept every other named claim that exists, with why it was kept
     */
    record Outcome(List<String> deleted, List<String> kept) {
        Outcome {
            deleted = List.copyOf(deleted);
            kept = List.copyOf(kept);
        }
    }

    /**
     * Deletes the claims of {@code claimNames} that are safe to delete.
     *
     * @param spec the runtime's spec, for the provider's cleanup rules
     * @param statefulSet the planned StatefulSet whose claims these are
     * @param runtime the runtime that must control the live StatefulSet
     */
    Outcome delete(List<String> claimNames, HaSpec spec, HighAvailabilityProvider provider, StatefulSet statefulSet,
            CacheRuntime runtime) {
        List<String> deleted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        String statefulSetName = statefulSet.getMetadata().getName();
        Optional<StatefulSet> live = Optional.ofNullable(client.apps().statefulSets().inNamespace(spec.namespace())
                .withName(statefulSetName).get());
        Optional<String> notOurs = Ownership.statefulSetRefusal(runtime, statefulSetName, live);
        int liveReplicas = live.map(set -> set.getSpec().getReplicas()).orElse(0);
        for (String name : claimNames) {
            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(spec.namespace())
                    .withName(name).get();
            if (claim == null) {
                continue;
            }
            Optional<String> pod = podOf(name, statefulSet);
            if (notOurs.isPresent()) {
                kept.add(name + ": " + notOurs.get());
            } else if (!Ownership.ownedBy(claim, live.get())) {
                kept.add(name + ": not owned by StatefulSet " + statefulSetName + " (uid "
                        + live.get().getMetadata().getUid() + "), so not made for it");
            } else if (pod.isEmpty()) {
                kept.add(name + ": not named after a claim template of " + statefulSet.getMetadata().getName());
            } else if (ordinal(pod.get()) < liveReplicas) {
                kept.add(name + ": the StatefulSet runs " + liveReplicas + " replicas, so ordinal "
                        + ordinal(pod.get()) + " is a member's even before its pod starts");
            } else if (client.pods().inNamespace(spec.namespace()).withName(pod.get()).get() != null) {
                kept.add(name + ": pod " + pod.get() + " exists, so the claim is a member's journal");
            } else if (!provider.cleanup(spec, List.of(claim)).delete().contains(claim)) {
                kept.add(name + ": the " + provider.engine() + " provider's cleanup rules do not select it");
            } else if (deletes.delete(claim) == PreconditionedDelete.Result.DELETED) {
                deleted.add(name);
            } else {
                kept.add(name + ": replaced by another claim of the same name before the delete arrived");
            }
        }
        return new Outcome(deleted, kept);
    }

    private static int ordinal(String pod) {
        return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    }

    /** The pod whose journal a claim named {@code claimName} is: {@code <template>-<pod>}. */
    private static Optional<String> podOf(String claimName, StatefulSet statefulSet) {
        String statefulSetName = statefulSet.getMetadata().getName();
        return statefulSet.getSpec().getVolumeClaimTemplates().stream()
                .map(template -> template.getMetadata().getName() + "-")
                .filter(claimName::startsWith)
                .map(prefix -> claimName.substring(prefix.length()))
                .filter(pod -> pod.matches(Pattern.quote(statefulSetName) + "-\\d+"))
                .findFirst();
    }
}
