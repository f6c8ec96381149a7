package dev.cacheha.examples.controller.fields;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which managed-field entries the controller takes over before it applies, and into what. */
class ApplyOwnershipTest {

    private static final ApplyOwnership OWNERSHIP = new ApplyOwnership("cache-ha",
            Set.of(ApplyOwnership.FABRIC8_DEFAULT_MANAGER));

    private static ManagedFieldsEntry entry(String manager, String operation, String apiVersion, String subresource,
            Map<String, Object> fields) {
        FieldsV1 fieldsV1 = new FieldsV1();
        fields.forEach(fieldsV1::setAdditionalProperty);
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation)
                .withApiVersion(apiVersion).withSubresource(subresource).withFieldsType("FieldsV1")
                .withFieldsV1(fieldsV1).withTime("2026-12-06T23:00:00Z").build();
    }

    private static StatefulSet withEntries(ManagedFieldsEntry... entries) {
        return new StatefulSetBuilder().withNewMetadata().withName("demo-master").withResourceVersion("7")
                .withManagedFields(entries).endMetadata().build();
    }

    @Test
    void theCreatesUpdateEntryIsMergedIntoTheApplyEntryAndOtherManagersEntriesStay() {
        // Given a StatefulSet created by a plain create (fabric8's default manager, Update), applied since by the
        // controller, annotated by another manager, and with a status the StatefulSet controller writes
        ManagedFieldsEntry created = entry(ApplyOwnership.FABRIC8_DEFAULT_MANAGER, "Update", "apps/v1", null,
                Map.of("f:spec", Map.of("f:replicas", Map.of(), "f:template", Map.of("f:spec",
                        Map.of("f:volumes", Map.of("k:{\"name\":\"backups\"}", Map.of(".", Map.of())))))));
        ManagedFieldsEntry applied = entry("cache-ha", "Apply", "apps/v1", null,
                Map.of("f:spec", Map.of("f:replicas", Map.of(), "f:serviceName", Map.of())));
        ManagedFieldsEntry annotated = entry("team-billing", "Apply", "apps/v1", null,
                Map.of("f:metadata", Map.of("f:annotations", Map.of("f:team", Map.of()))));
        ManagedFieldsEntry status = entry("kube-controller-manager", "Update", "apps/v1", "status",
                Map.of("f:status", Map.of("f:replicas", Map.of())));

        // When the entries are upgraded
        List<ManagedFieldsEntry> upgraded = OWNERSHIP.upgraded(withEntries(created, applied, annotated, status))
                .orElseThrow();

        // Then the controller's Apply entry owns the fields of both, the create's entry is gone, and the other
        // managers' entries are as they were
        assertThat(upgraded).containsExactly(upgraded.get(0), annotated, status);
        ManagedFieldsEntry owner = upgraded.get(0);
        assertThat(owner.getManager()).isEqualTo("cache-ha");
        assertThat(owner.getOperation()).isEqualTo("Apply");
        assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
        assertThat(owner.getFieldsV1().getAdditionalProperties()).isEqualTo(Map.of("f:spec", Map.of(
                "f:replicas", Map.of(), "f:serviceName", Map.of(), "f:template", Map.of("f:spec",
                        Map.of("f:volumes", Map.of("k:{\"name\":\"backups\"}", Map.of(".", Map.of())))))));
    }

    @Test
    void withoutAnApplyEntryOneIsMadeFromTheUpdateEntries() {
        // Given an object only created so far: its own manager's and fabric8's Update entries
        ManagedFieldsEntry created = entry(ApplyOwnership.FABRIC8_DEFAULT_MANAGER, "Update", "apps/v1", null,
                Map.of("f:spec", Map.of("f:replicas", Map.of())));
        ManagedFieldsEntry updated = entry("cache-ha", "Update", "apps/v1", null,
                Map.of("f:metadata", Map.of("f:labels", Map.of("f:app", Map.of()))));

        // When the entries are upgraded, then one Apply entry of the controller owns the fields of both
        assertThat(OWNERSHIP.upgraded(withEntries(created, updated)).orElseThrow()).singleElement()
                .satisfies(owner -> {
                    assertThat(owner.getOperation()).isEqualTo("Apply");
                    assertThat(owner.getFieldsV1().getAdditionalProperties()).isEqualTo(Map.of(
                            "f:spec", Map.of("f:replicas", Map.of()),
                            "f:metadata", Map.of("f:labels", Map.of("f:app", Map.of()))));
                });
    }

    @Test
    void nothingIsTakenOverFromOtherManagersOtherApiVersionsOrSubresources() {
        // Given Update entries of another manager, of the controller under another API version, and of a status
        StatefulSet live = withEntries(
                entry("kubectl-edit", "Update", "apps/v1", null, Map.of("f:spec", Map.of("f:replicas", Map.of()))),
                entry(ApplyOwnership.FABRIC8_DEFAULT_MANAGER, "Update", "apps/v1beta2", null,
                        Map.of("f:spec", Map.of())),
                entry(ApplyOwnership.FABRIC8_DEFAULT_MANAGER, "Update", "apps/v1", "status",
                        Map.of("f:status", Map.of())),
                entry("cache-ha", "Apply", "apps/v1", null, Map.of("f:spec", Map.of())));

        // When the entries are upgraded, then there is nothing to do
        assertThat(OWNERSHIP.upgraded(live)).isEmpty();
    }
}
