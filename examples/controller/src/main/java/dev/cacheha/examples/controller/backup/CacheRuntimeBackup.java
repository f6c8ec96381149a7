package dev.cacheha.examples.controller.backup;

import dev.cacheha.examples.controller.runtime.CacheRuntime;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One backup of a {@link CacheRuntime}'s metadata, asked for by a user: which runtime, and where to. The
 * {@link CacheRuntimeBackupReconciler} takes it once, on the member leader discovery names, and records the
 * verified {@link dev.cacheha.spi.Backup} in the status, where a restore ({@code CacheRuntime.spec.restore})
 * finds it. The spec cannot change after creation (the CRD says {@code self == oldSelf}): a different backup is a
 * new resource.
 */
@AdditionalPrinterColumn(name = "Runtime", jsonPath = ".spec.runtimeName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Location", jsonPath = ".status.backup.location", type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
@Group(CacheRuntime.GROUP)
@Version(CacheRuntime.VERSION)
public class CacheRuntimeBackup extends CustomResource<CacheRuntimeBackupSpec, CacheRuntimeBackupStatus>
        implements Namespaced {

    /** The spec; the CRD requires one, since it names the runtime and the target. */
    @Override
    @Required
    public CacheRuntimeBackupSpec getSpec() {
        return super.getSpec();
    }

    @Override
    protected CacheRuntimeBackupSpec initSpec() {
        return new CacheRuntimeBackupSpec(null, null);
    }

    @Override
    protected CacheRuntimeBackupStatus initStatus() {
        return new CacheRuntimeBackupStatus();
    }
}
