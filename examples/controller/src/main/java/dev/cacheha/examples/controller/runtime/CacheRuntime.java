package dev.cacheha.examples.controller.runtime;

import dev.cacheha.examples.cacheruntime.CacheRuntimeSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One cache cluster's masters, as a user asks for them: the Fluid-style "runtime" object this example
 * controller reconciles. The spec is engine-neutral apart from {@link CacheRuntimeSpec#getEngine() engine},
 * which picks the high-availability provider.
 */
// What `kubectl get cacheruntimes` shows. The phase is the Ready condition's reason (Ready, Progressing,
// SpecRefused, ...): the condition the controller keeps current anyway, so no second field can disagree with it.
@AdditionalPrinterColumn(name = "Engine", jsonPath = ".spec.engine", type = Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = Type.STRING)
@AdditionalPrinterColumn(name = "Health", jsonPath = ".status.quorumHealth", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@Group(CacheRuntime.GROUP)
@Version(CacheRuntime.VERSION)
public class CacheRuntime extends CustomResource<CacheRuntimeSpec, CacheRuntimeStatus> implements Namespaced {

    /** The API group of the resource. */
    public static final String GROUP = CacheRuntimeSpec.GROUP;
    /** The API version of the resource within {@link #GROUP}. */
    public static final String VERSION = CacheRuntimeSpec.VERSION;

    /** The spec; the CRD requires one, since it names the engine. */
    @Override
    @Required
    public CacheRuntimeSpec getSpec() {
        return super.getSpec();
    }

    @Override
    protected CacheRuntimeSpec initSpec() {
        return new CacheRuntimeSpec();
    }

    @Override
    protected CacheRuntimeStatus initStatus() {
        return new CacheRuntimeStatus();
    }
}
