package dev.cacheha.examples.controller.fields;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the controller's field manager own, with operation {@code Apply}, the fields it once set by another
 * operation, the way {@code kubectl}'s {@code csaupgrade} does before its first server-side apply.
 *
 * <p>Server-side apply removes a field that leaves the applied configuration only if the applying manager owns it
 * with operation {@code Apply} and no other manager owns it. An object created by a plain create is owned by the
 * creating manager with operation {@code Update}, so without this, a field the plan drops (a backup volume's mount)
 * would stay in the object forever. The controller creates with a plain create (refused if the name is taken, so a
 * foreign object is never overwritten; an apply would adopt it), which fabric8 sends under its default manager; the
 * entries taken over are the {@code Update} entries of the given former managers and of the controller's own
 * manager, of objects the runtime controls. Other managers' entries are never touched, so what another manager set
 * stays. A fabric8 client of someone else that wrote into such an object under the default manager would have its
 * fields taken over too: the price of creates that fabric8 cannot send under a named manager.
 */
public final class ApplyOwnership {

    /** The manager the API server records for a fabric8 client that names none (its user agent's product). */
    public static final String FABRIC8_DEFAULT_MANAGER = "fabric8-kubernetes-client";

    private static final String APPLY = "Apply";
    private static final String UPDATE = "Update";

    private final String manager;
    private final Set<String> formerManagers;

    /**
     * @param manager the field manager of the controller's server-side applies
     * @param formerManagers the managers whose {@code Update} entries were the controller's writes
     */
    public ApplyOwnership(String manager, Set<String> formerManagers) {
        this.manager = requireNonNull(manager, "manager");
        this.formerManagers = Set.copyOf(formerManagers);
    }

    /**
     * The managed fields {@code live} must have for {@link #manager} to own by {@code Apply} everything it set
     * under {@code apiVersion}: the fields of every {@code Update} entry of the controller's managers (of the main
     * resource, same API version) merged into its {@code Apply} entry (made if it has none), those entries gone.
     * Empty when there is nothing to take over.
     */
    public Optional<List<ManagedFieldsEntry>> upgraded(HasMetadata live) {
        List<ManagedFieldsEntry> entries = Objects.requireNonNullElse(live.getMetadata().getManagedFields(),
                List.of());
        String apiVersion = live.getApiVersion();
        List<ManagedFieldsEntry> former = formerEntries(live);
        if (former.isEmpty()) {
            return Optional.empty();
        }
        Optional<ManagedFieldsEntry> applied = appliedEntry(live);
        Map<String, Object> fields = new LinkedHashMap<>();
        applied.ifPresent(entry -> merge(fields, fieldsOf(entry)));
        former.forEach(entry -> merge(fields, fieldsOf(entry)));
        ManagedFieldsEntry owner = new ManagedFieldsEntry();
        owner.setManager(manager);
        owner.setOperation(APPLY);
        owner.setApiVersion(apiVersion);
        owner.setFieldsType("FieldsV1");
        FieldsV1 fieldsV1 = new FieldsV1();
        fields.forEach(fieldsV1::setAdditionalProperty);
        owner.setFieldsV1(fieldsV1);
        owner.setTime(applied.orElse(former.get(former.size() - 1)).getTime());
        List<ManagedFieldsEntry> upgraded = new ArrayList<>();
        boolean placed = false;
        for (ManagedFieldsEntry entry : entries) {
            if (applied.isPresent() ? entry == applied.get() : entry == former.get(0)) {
                upgraded.add(owner);
                placed = true;
            } else if (!former.contains(entry)) {
                upgraded.add(entry);
            }
        }
        if (!placed) {
            upgraded.add(owner);
        }
        return Optional.of(upgraded);
    }

    /**
     * The resource version to server-side apply {@code live} against: its own, or, when the controller's earlier
     * writes still own fields by {@code Update}, the one after those entries were {@linkplain #upgraded turned}
     * into its {@code Apply} entry by a JSON patch that holds only if {@code live} is still what the server has.
     */
    public String resourceVersionToApply(KubernetesClient client, HasMetadata live) {
        Optional<List<ManagedFieldsEntry>> upgraded = upgraded(live);
        if (upgraded.isEmpty()) {
            return live.getMetadata().getResourceVersion();
        }
        String patch = client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "test", "path", "/metadata/resourceVersion",
                        "value", live.getMetadata().getResourceVersion()),
                Map.of("op", "replace", "path", "/metadata/managedFields", "value", upgraded.get())));
        return client.resource(live).patch(PatchContext.of(PatchType.JSON), patch).getMetadata()
                .getResourceVersion();
    }

    /**
     * The fields {@link #manager} owns by {@code Apply} in {@code live}, as the API server recorded them: the tree
     * of {@code f:}/{@code k:} keys of its {@code Apply} entry for the object's API version, exactly the fields
     * its last server-side apply sent (never a default the server filled in, unlike an {@code Update} entry's).
     * Empty when it never applied.
     */
    public Map<String, Object> applied(HasMetadata live) {
        return appliedEntry(live).map(ApplyOwnership::fieldsOf).orElse(Map.of());
    }

    /**
     * The fields the controller's writes by {@code Update} set in {@code live} (its creates, under fabric8's
     * default manager): the entries {@link #upgraded} takes over, merged; empty when there are none. Such an entry
     * also holds every default the server filled in when it was written.
     */
    public Map<String, Object> created(HasMetadata live) {
        Map<String, Object> fields = new LinkedHashMap<>();
        formerEntries(live).forEach(entry -> merge(fields, fieldsOf(entry)));
        return fields;
    }

    private List<ManagedFieldsEntry> formerEntries(HasMetadata live) {
        return Objects.requireNonNullElse(live.getMetadata().getManagedFields(), List.<ManagedFieldsEntry>of())
                .stream().filter(entry -> isFormer(entry, live.getApiVersion())).toList();
    }

    private Optional<ManagedFieldsEntry> appliedEntry(HasMetadata live) {
        String apiVersion = live.getApiVersion();
        return Objects.requireNonNullElse(live.getMetadata().getManagedFields(), List.<ManagedFieldsEntry>of())
                .stream()
                .filter(entry -> manager.equals(entry.getManager()) && APPLY.equals(entry.getOperation())
                        && apiVersion.equals(entry.getApiVersion()) && isMainResource(entry))
                .findFirst();
    }

    private boolean isFormer(ManagedFieldsEntry entry, String apiVersion) {
        return UPDATE.equals(entry.getOperation()) && isMainResource(entry)
                && apiVersion.equals(entry.getApiVersion())
                && (manager.equals(entry.getManager()) || formerManagers.contains(entry.getManager()));
    }

    private static boolean isMainResource(ManagedFieldsEntry entry) {
        return entry.getSubresource() == null || entry.getSubresource().isEmpty();
    }

    private static Map<String, Object> fieldsOf(ManagedFieldsEntry entry) {
        return entry.getFieldsV1() == null ? Map.of() : entry.getFieldsV1().getAdditionalProperties();
    }

    /** Adds every path of the field set {@code from} to {@code into} (both trees of {@code f:}/{@code k:} keys). */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> field : from.entrySet()) {
            if (field.getValue() instanceof Map<?, ?> theirs) {
                // Every map in "into" was made here, so merging into it changes no entry of the live object.
                Map<String, Object> merged = into.get(field.getKey()) instanceof Map<?, ?> mine
                        ? (Map<String, Object>) mine : new LinkedHashMap<>();
                into.put(field.getKey(), merged);
                merge(merged, (Map<String, Object>) theirs);
            } else {
                into.putIfAbsent(field.getKey(), field.getValue());
            }
        }
    }
}
