package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.JournalSpec;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.HighAvailabilityProviders;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.function.Consumer;

/** {@link CacheRuntime} fixtures. */
public final class Runtimes {

    /** How often an edit refused with 409 is read afresh and applied again. */
    private static final int EDIT_ATTEMPTS = 10;

    private Runtimes() {}

    /**
     * Applies {@code change} to {@code runtime} as stored and returns what the server stored. The controller writes
     * the runtime's status meanwhile, and each status write moves the runtime's resourceVersion, so fabric8's
     * {@code edit} (a patch tested against the version it read) can be refused with 409; like a user who re-runs
     * {@code kubectl edit} after a conflict, the change is read afresh and applied again, a bounded number of times.
     */
    public static CacheRuntime edit(Resource<CacheRuntime> runtime, Consumer<CacheRuntime> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runtime.edit(stored -> {
                    change.accept(stored);
                    return stored;
                });
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == EDIT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The translator of a controller started with the default settings. */
    public static CacheRuntimeTranslator translator() {
        return new CacheRuntimeTranslator(HighAvailabilityProviders.load(), ControllerSettings.defaults().admission());
    }

    /** A runtime of {@code engine} with {@code replicas} masters and a 1Gi claim journal, not stored anywhere. */
    public static CacheRuntime runtime(String namespace, String name, String engine, int replicas) {
        CacheRuntime runtime = new CacheRuntime();
        runtime.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        runtime.getSpec().setEngine(engine);
        runtime.getSpec().setReplicas(replicas);
        runtime.getSpec().setJournal(new JournalSpec(JournalSpec.PVC, null, "1Gi", null, null));
        return runtime;
    }
}
