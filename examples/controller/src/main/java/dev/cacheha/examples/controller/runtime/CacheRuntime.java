package dev.cacheha.examples.controller.runtime;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One cache cluster's masters, as a user asks for them: the Fluid-style "runtime" object this example
 * controller reconciles. The spec is engine-neutral apart from {@link CacheRuntimeSpec#getEngine() engine},
 * which picks the high-availability provider.
 */
@Group(CacheRuntime.GROUP)
@Version(CacheRuntime.VERSION)
public class CacheRuntime extends CustomResource<CacheRuntimeSpec, CacheRuntimeStatus> implements Namespaced {

    /** The API group of the resource. */
    public static final String GROUP = "data.cacheha.dev";
    /** The API version of the resource within {@link #GROUP}. */
    public static final String VERSION = "v1alpha1";

    @Override
    protected CacheRuntimeSpec initSpec() {
        return new CacheRuntimeSpec();
    }

    @Override
    protected CacheRuntimeStatus initStatus() {
        return new CacheRuntimeStatus();
    }
}
