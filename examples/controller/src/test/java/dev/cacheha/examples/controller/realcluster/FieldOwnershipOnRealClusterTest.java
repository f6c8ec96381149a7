package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cacheruntime.BackupVolume;
import dev.cacheha.examples.cacheruntime.BackupVolumeSpec;
import dev.cacheha.examples.cacheruntime.ClientSpec;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fields.ApplyOwnership;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.Await;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Field ownership on a real API server, which the mock server does not track: the controller server-side applies
 * as field manager {@code cache-ha}, so what another manager changes in a field the controller sets is taken
 * back, and what another manager adds beside it is kept; a field that leaves the plan is removed from the object
 * the controller created.
 */
class FieldOwnershipOnRealClusterTest extends OneControllerPerClass {

    /** The managers the controller's own writes are recorded under, now and in older versions. */
    private static final Set<String> OWN_MANAGERS = Set.of("cache-ha", ApplyOwnership.FABRIC8_DEFAULT_MANAGER);

    private static CacheRuntime createReady(CacheRuntime runtime) {
        String name = runtime.getMetadata().getName();
        controller.membersAnswer(name, 1);
        admin().resource(runtime).create();
        return controller.awaitReady(name, 1);
    }

    @Test
    void aManagedFieldChangedByAnotherManagerIsTakenBackAndAFieldItAddedIsKept() {
        // Given a Ready runtime and its ConfigMap as the controller made it
        createReady(Runtimes.runtime(controller.namespace(), "drift", "alluxio", 3));
        ConfigMap made = admin().configMaps().inNamespace(controller.namespace()).withName("drift-master-ha")
                .get();
        String file = made.getData().keySet().iterator().next();
        String planned = made.getData().get(file);

        // When another field manager server-side applies, forced, a changed properties file and an annotation
        admin().resource(new ConfigMapBuilder().withNewMetadata().withName("drift-master-ha")
                        .withNamespace(controller.namespace()).addToAnnotations("team", "billing").endMetadata()
                        .addToData(file, "tampered=true\n").build())
                .fieldManager("intruder").forceConflicts().serverSideApply();

        // Then the controller takes the properties file back, and the other manager's annotation stays
        Await.until("the properties file taken back", ControllerOnRealCluster.BUDGET, () -> planned.equals(admin()
                .configMaps().inNamespace(controller.namespace()).withName("drift-master-ha").get().getData()
                .get(file)), () -> "");
        ConfigMap after = admin().configMaps().inNamespace(controller.namespace()).withName("drift-master-ha")
                .get();
        assertThat(after.getMetadata().getAnnotations()).containsEntry("team", "billing");
        // And the file is the controller's again in the server's record of field ownership
        assertThat(after.getMetadata().getManagedFields()).anySatisfy(entry -> {
            assertThat(entry.getManager()).isEqualTo("cache-ha");
            assertThat(entry.getOperation()).isEqualTo("Apply");
            assertThat(entry.getFieldsV1().getAdditionalProperties().toString()).contains("f:" + file);
        });
    }

    @Test
    void aFieldThatLeftThePlanIsRemovedWhileAFieldAnotherManagerSetIsKept() {
        // Given a Ready runtime with its backup volume mounted, its StatefulSet created by a plain create (fabric8's
        // default manager, operation Update: as every version of the controller creates), and an annotation another
        // manager applied to that StatefulSet
        String statefulSet = readyWithBackupVolume("mounted", "mounted-backups");
        assertThat(statefulSet(statefulSet).getMetadata().getManagedFields()).anyMatch(entry ->
                ApplyOwnership.FABRIC8_DEFAULT_MANAGER.equals(entry.getManager())
                        && "Update".equals(entry.getOperation()));
        annotateAsAnotherManager(statefulSet);

        // When the backup volume leaves the spec
        dropBackupVolume("mounted");

        // Then the volume and its mounts leave the StatefulSet, and the other manager's annotation stays
        awaitNoBackupVolume(statefulSet, "mounted-backups");
        StatefulSet after = statefulSet(statefulSet);
        assertThat(after.getMetadata().getAnnotations()).containsEntry("team", "billing");
        // And every field the controller set is its own by Apply: no Update entry of its own is left
        assertThat(after.getMetadata().getManagedFields())
                .noneMatch(entry -> "Update".equals(entry.getOperation()) && OWN_MANAGERS.contains(entry.getManager()))
                .anyMatch(entry -> "Apply".equals(entry.getOperation()) && "cache-ha".equals(entry.getManager()));
    }

    @Test
    void anAnnotationAndAConfigMapKeyTheControllerAppliedThatLeftThePlanAreRemoved() {
        // Given a Ready runtime whose ConfigMap the controller's last apply gave an annotation and a second key that
        // its plan no longer has, as an earlier plan (of an older controller or provider) would have left them:
        // applied under the controller's field manager, so the server's record is the one that apply leaves
        createReady(Runtimes.runtime(controller.namespace(), "retired", "alluxio", 3));
        ConfigMap made = configMap("retired-master-ha");
        String file = made.getData().keySet().iterator().next();
        admin().resource(new ConfigMapBuilder().withNewMetadata().withName(made.getMetadata().getName())
                        .withNamespace(controller.namespace()).withLabels(made.getMetadata().getLabels())
                        .withOwnerReferences(made.getMetadata().getOwnerReferences())
                        .addToAnnotations("data.cacheha.dev/retired", "true").endMetadata()
                        .withData(made.getData()).addToData("retired.properties", "gone=true\n").build())
                .fieldManager("cache-ha").forceConflicts().serverSideApply();

        // When the controller reconciles the runtime (the ConfigMap's change wakes it)
        // Then the annotation and the key are removed, and the planned file stays as it was
        Await.until("the retired annotation and key removed", ControllerOnRealCluster.BUDGET, () -> {
            ConfigMap now = configMap("retired-master-ha");
            return !now.getData().containsKey("retired.properties") && (now.getMetadata().getAnnotations() == null
                    || !now.getMetadata().getAnnotations().containsKey("data.cacheha.dev/retired"));
        }, () -> "still there: " + configMap("retired-master-ha").getMetadata().getAnnotations() + ", "
                + configMap("retired-master-ha").getData().keySet());
        assertThat(configMap("retired-master-ha").getData()).containsOnlyKeys(file)
                .containsEntry(file, made.getData().get(file));
    }

    @Test
    void aClientLabelThatLeftTheSpecIsRemovedFromTheNetworkPolicyTheControllerCreated() {
        // Given a Ready runtime whose clients are the pods labelled app=spark and team=a of namespaces labelled
        // tenant=a, its NetworkPolicy as the controller's create made it (by Update, never applied since)
        CacheRuntime runtime = Runtimes.runtime(controller.namespace(), "clients", "alluxio", 3);
        runtime.getSpec().setClients(List.of(new ClientSpec(Map.of("tenant", "a"),
                Map.of("app", "spark", "team", "a"))));
        createReady(runtime);
        assertThat(clientPodLabels("clients-master-journal")).containsExactly(Map.of("app", "spark", "team", "a"));

        // When the clients are every spark pod of those namespaces, whatever its team
        controller.edit("clients", edited -> edited.getSpec().setClients(List.of(new ClientSpec(
                Map.of("tenant", "a"), Map.of("app", "spark")))));

        // Then the NetworkPolicy lets them in: the label left its rule
        Await.until("the team label gone from the NetworkPolicy", ControllerOnRealCluster.BUDGET,
                () -> clientPodLabels("clients-master-journal").equals(List.of(Map.of("app", "spark"))),
                () -> "its clients' pod labels: " + clientPodLabels("clients-master-journal"));
    }

    /** The pod labels of every peer of {@code name}'s NetworkPolicy that names namespaces (its clients). */
    private static List<Map<String, String>> clientPodLabels(String name) {
        return admin().network().v1().networkPolicies().inNamespace(controller.namespace()).withName(name).get()
                .getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
                .filter(peer -> peer.getNamespaceSelector() != null)
                .map(peer -> peer.getPodSelector().getMatchLabels()).toList();
    }

    private static ConfigMap configMap(String name) {
        return admin().configMaps().inNamespace(controller.namespace()).withName(name).get();
    }

    /** Creates runtime {@code name} with the opted-in claim {@code claim} mounted, waits for Ready, returns its set. */
    private static String readyWithBackupVolume(String name, String claim) {
        admin().resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim)
                .withNamespace(controller.namespace()).addToLabels(BackupVolume.OPT_IN_LABEL, "true").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                .build()).create();
        CacheRuntime runtime = Backups.withBackupVolume(Runtimes.runtime(controller.namespace(), name, "alluxio", 3));
        runtime.getSpec().setBackupVolume(new BackupVolumeSpec(claim, runtime.getSpec().getBackupVolume().mountPath()));
        createReady(runtime);
        String statefulSet = name + "-master";
        assertThat(backupVolumeUses(statefulSet(statefulSet), claim)).isNotEmpty();
        return statefulSet;
    }

    private static void annotateAsAnotherManager(String statefulSet) {
        admin().resource(new StatefulSetBuilder().withNewMetadata().withName(statefulSet)
                        .withNamespace(controller.namespace()).addToAnnotations("team", "billing").endMetadata()
                        .build())
                .fieldManager("team-billing").serverSideApply();
    }

    private static void dropBackupVolume(String name) {
        controller.edit(name, runtime -> runtime.getSpec().setBackupVolume(null));
    }

    private static void awaitNoBackupVolume(String statefulSet, String claim) {
        Await.until("the backup volume gone from " + statefulSet, ControllerOnRealCluster.BUDGET,
                () -> backupVolumeUses(statefulSet(statefulSet), claim).isEmpty(),
                () -> "still there: " + backupVolumeUses(statefulSet(statefulSet), claim) + "; managed fields: "
                        + statefulSet(statefulSet).getMetadata().getManagedFields().stream()
                                .map(entry -> entry.getManager() + "/" + entry.getOperation()).toList()
                        + "; the runtime's status: " + controller.runtime(statefulSet.replaceAll("-master$", ""))
                                .getStatus());
    }

    private static StatefulSet statefulSet(String name) {
        return admin().apps().statefulSets().inNamespace(controller.namespace()).withName(name).get();
    }

    /** The volumes of {@code set}'s pods that name {@code claim}, and every container mount of them. */
    private static List<String> backupVolumeUses(StatefulSet set, String claim) {
        var pod = set.getSpec().getTemplate().getSpec();
        List<String> volumes = pod.getVolumes().stream().filter(volume -> volume.getPersistentVolumeClaim() != null
                && claim.equals(volume.getPersistentVolumeClaim().getClaimName())).map(Volume::getName).toList();
        return java.util.stream.Stream.concat(volumes.stream().map(volume -> "volume " + volume),
                pod.getContainers().stream().flatMap(container -> container.getVolumeMounts().stream()
                        .filter(mount -> volumes.contains(mount.getName()))
                        .map(mount -> container.getName() + " mounts " + mount.getMountPath()))).toList();
    }
}
