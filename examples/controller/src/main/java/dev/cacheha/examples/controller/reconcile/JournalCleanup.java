package dev.cacheha.examples.controller.reconcile;

import static java.util.Objects.requireNonNull;

import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.TranslatedRuntime;
import dev.cacheha.examples.controller.ownership.Ownership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.spi.CleanupPlan;
import dev.cacheha.spi.SpecValidationException;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What a deleted runtime leaves to the controller: the journal claims, which have no owner reference (a
 * StatefulSet's claim templates make them), so Kubernetes' garbage collector does not delete them with the
 * runtime.
 */
final class JournalCleanup {

    private static final Logger LOG = Logger.getLogger(JournalCleanup.class.getName());

    private final KubernetesClient client;
    private final CacheRuntimeTranslator translator;
    private final PreconditionedDelete deletes;

    JournalCleanup(KubernetesClient client, CacheRuntimeTranslator translator, PreconditionedDelete deletes) {
        this.client = requireNonNull(client, "client");
        this.translator = requireNonNull(translator, "translator");
        this.deletes = requireNonNull(deletes, "deletes");
    }

    /**
     * Deletes the journal claims the provider says the runtime owns, read from the API server (not the caches:
     * the last look at a runtime's data decides what is deleted, and a claim or StatefulSet the informers have not
     * seen yet would be left behind), each with its UID as precondition, and only claims owned by the live
     * StatefulSet the runtime controls: a runtime blocked by a foreign quorum of the same name deletes nothing.
     * When the StatefulSet is gone already (a foreground deletion), Kubernetes' garbage collector deletes the
     * claims it owned. A runtime whose spec no longer translates keeps every claim: deleting data on a guess is
     * worse than leaving a claim behind.
     */
    void delete(CacheRuntime runtime) {
        TranslatedRuntime translated;
        String statefulSetName;
        try {
            translated = translator.translate(runtime);
            statefulSetName = RuntimeReconcile.statefulSet(translated.provider().plan(translated.spec()).objects())
                    .getMetadata().getName();
        } catch (SpecValidationException refused) {
            LOG.warning(() -> "keeping the claims of " + runtime.getMetadata().getName()
                    + ": its spec no longer translates: " + refused.violations());
            return;
        }
        String namespace = runtime.getMetadata().getNamespace();
        Optional<StatefulSet> live = Optional.ofNullable(client.apps().statefulSets().inNamespace(namespace)
                .withName(statefulSetName).get());
        Optional<String> notOurs = Ownership.statefulSetRefusal(runtime, statefulSetName, live);
        if (notOurs.isPresent()) {
            LOG.warning(() -> "deleting no claim of " + runtime.getMetadata().getName() + ": " + notOurs.get());
            return;
        }
        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inNamespace(namespace).list()
                .getItems().stream().filter(claim -> Ownership.ownedBy(claim, live.get())).toList();
        CleanupPlan plan = translated.provider().cleanup(translated.spec(), claims);
        for (PersistentVolumeClaim claim : plan.delete()) {
            deletes.delete(claim);
        }
    }
}
