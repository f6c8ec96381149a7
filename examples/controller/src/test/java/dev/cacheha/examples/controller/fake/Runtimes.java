package dev.cacheha.examples.controller.fake;

import dev.cacheha.examples.cacheruntime.CacheRuntimeTranslator;
import dev.cacheha.examples.cacheruntime.JournalSpec;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.examples.controller.settings.ControllerSettings;
import dev.cacheha.spi.HighAvailabilityProviders;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** {@link CacheRuntime} fixtures. */
public final class Runtimes {

    private Runtimes() {}

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
