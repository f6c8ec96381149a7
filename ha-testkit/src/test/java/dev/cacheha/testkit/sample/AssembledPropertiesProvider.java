package dev.cacheha.testkit.sample;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.toolkit.pod.SiteFileAssembly;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sample engine delivering its properties the provider toolkit's way: an init step
 * ({@link SiteFileAssembly}) copies the site file from a ConfigMap into an in-memory directory that the masters
 * mount as their configuration directory. The kit must follow the file through that step to the ConfigMap.
 */
public class AssembledPropertiesProvider extends SampleHighAvailabilityProvider {

    private static final String CONF_DIR = PROPERTIES_FILE.substring(0, PROPERTIES_FILE.lastIndexOf('/'));
    private static final String SITE_FILE = PROPERTIES_FILE.substring(CONF_DIR.length() + 1);

    @Override
    public String engine() {
        return "sample-assembled";
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        HaPlan plan = super.plan(spec);
        String source = templateSource(plan.object(ConfigMap.class).orElseThrow().getMetadata().getName());
        PodSpec pod = plan.object(StatefulSet.class).orElseThrow().getSpec().getTemplate().getSpec();
        Container master = pod.getContainers().get(0);
        SiteFileAssembly assembly = new SiteFileAssembly(master.getImage(), source, SITE_FILE, CONF_DIR,
                ProcessResources.of(Map.of("cpu", "50m", "memory", "32Mi"), Map.of("memory", "64Mi")));
        // The assembled directory replaces the ConfigMap the sample mounts directly.
        pod.getVolumes().removeIf(volume -> volume.getConfigMap() != null);
        master.getVolumeMounts().removeIf(mount -> mount.getMountPath().equals(PROPERTIES_FILE));
        master.getVolumeMounts().add(assembly.confMount());
        pod.getVolumes().addAll(assembly.volumes());
        Container init = assembly.initContainer(new TreeMap<>());
        init.setSecurityContext(containerSecurity());
        pod.getInitContainers().add(init);
        return plan;
    }

    /** The ConfigMap the init step copies the site file from, given the plan's own ConfigMap. */
    protected String templateSource(String plansConfigMap) {
        return plansConfigMap;
    }
}
