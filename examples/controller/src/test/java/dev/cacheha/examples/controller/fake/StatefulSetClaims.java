package dev.cacheha.examples.controller.fake;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The claims Kubernetes' StatefulSet controller makes for a StatefulSet: one per claim template and ordinal,
 * named {@code <template>-<statefulset>-<ordinal>}, with the template's labels and annotations, and owned by the
 * StatefulSet as the {@code whenDeleted: Delete} retention policy makes them. The mock API server runs no
 * controllers, so the tests make them.
 */
public final class StatefulSetClaims {

    private StatefulSetClaims() {}

    /** Every claim of {@code statefulSet}'s templates for its replica count. */
    public static List<PersistentVolumeClaim> of(StatefulSet statefulSet) {
        String name = statefulSet.getMetadata().getName();
        return statefulSet.getSpec().getVolumeClaimTemplates().stream()
                .flatMap(template -> IntStream.range(0, statefulSet.getSpec().getReplicas())
                        .mapToObj(ordinal -> new PersistentVolumeClaimBuilder()
                                .withNewMetadata()
                                .withName(template.getMetadata().getName() + "-" + name + "-" + ordinal)
                                .withNamespace(statefulSet.getMetadata().getNamespace())
                                .withLabels(template.getMetadata().getLabels())
                                .withAnnotations(template.getMetadata().getAnnotations())
                                .addNewOwnerReference().withApiVersion("apps/v1").withKind("StatefulSet")
                                .withName(name).withUid(statefulSet.getMetadata().getUid()).endOwnerReference()
                                .endMetadata()
                                .withSpec(template.getSpec())
                                .build()))
                .toList();
    }
}
