package dev.cacheha.testkit.sample;

import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The sample engine delivering its properties another honest way: in a Secret (base64, as the API server
 * returns it) projected into the configuration directory, mounted without a subPath. The kit must follow it.
 */
public final class ProjectedPropertiesProvider extends SampleHighAvailabilityProvider {

    private static final String KEY = "site";

    @Override
    public String engine() {
        return "sample-projected";
    }

    @Override
    public HaPlan plan(HaSpec spec) {
        HaPlan plan = super.plan(spec);
        List<HasMetadata> objects = new ArrayList<>();
        for (HasMetadata object : plan.objects()) {
            if (object instanceof ConfigMap configMap) {
                objects.add(new SecretBuilder().withMetadata(configMap.getMetadata()).addToData(KEY, Base64.getEncoder()
                        .encodeToString(plan.propertiesFile().getBytes(StandardCharsets.UTF_8))).build());
            } else {
                if (object instanceof StatefulSet statefulSet) {
                    project(statefulSet, configMap(plan).getMetadata().getName());
                }
                objects.add(object);
            }
        }
        return new HaPlan(plan.engine(), plan.properties(), plan.members(), plan.journalAddresses(), objects);
    }

    private static ConfigMap configMap(HaPlan plan) {
        return plan.object(ConfigMap.class).orElseThrow();
    }

    private static void project(StatefulSet statefulSet, String secretName) {
        var pod = statefulSet.getSpec().getTemplate().getSpec();
        String directory = PROPERTIES_FILE.substring(0, PROPERTIES_FILE.lastIndexOf('/'));
        String file = PROPERTIES_FILE.substring(directory.length() + 1);
        pod.getVolumes().replaceAll(volume -> volume.getConfigMap() == null ? volume
                : new VolumeBuilder().withName(volume.getName()).withNewProjected().addNewSource().withNewSecret()
                        .withName(secretName).addNewItem().withKey(KEY).withPath(file).endItem().endSecret()
                        .endSource().endProjected().build());
        for (var container : pod.getContainers()) {
            for (VolumeMount mount : container.getVolumeMounts()) {
                if (mount.getMountPath().equals(PROPERTIES_FILE)) {
                    mount.setMountPath(directory);
                    mount.setSubPath(null);
                }
            }
        }
    }
}
