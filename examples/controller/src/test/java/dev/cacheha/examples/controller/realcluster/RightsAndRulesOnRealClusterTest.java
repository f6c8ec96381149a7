package dev.cacheha.examples.controller.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cacheha.examples.cacheruntime.CacheRuntimeSpec;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackup;
import dev.cacheha.examples.controller.backup.CacheRuntimeBackupSpec;
import dev.cacheha.examples.controller.fake.Backups;
import dev.cacheha.examples.controller.fake.Runtimes;
import dev.cacheha.examples.controller.fake.TestEngine;
import dev.cacheha.examples.controller.runtime.CacheRuntime;
import dev.cacheha.realcluster.RealCluster;
import dev.cacheha.realcluster.RealClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the API server itself enforces for the controller: the Role of {@code deploy/rbac.yaml} (a verb taken out
 * of it fails the flow that needs it, with the server's refusal on the runtime's status), the CRDs' schema and CEL
 * rules, and the provider's rules on a runtime the CRD accepts. Each test has its own namespace and controller.
 */
@ExtendWith(RealClusterExtension.class)
class RightsAndRulesOnRealClusterTest {

    @Test
    void aVerbTakenOutOfTheRoleFailsTheFlowThatNeedsItWithTheRefusalOnTheStatus(RealCluster cluster) {
        // Given the shipped Role without "create" on StatefulSets, as an administrator might trim it
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.prepare(cluster, "trimmed",
                TestEngine.ALLUXIO)) {
            String statefulSetVerbs = editStatefulSetRule(controller, verbs -> verbs.stream()
                    .filter(verb -> !verb.equals("create")).toList());
            assertThat(statefulSetVerbs).doesNotContain("create");
            controller.start();

            // When a runtime is created
            controller.admin().resource(Runtimes.runtime(controller.namespace(), "demo", "alluxio", 3)).create();

            // Then its status says the server refused the controller's StatefulSet create, naming the account,
            // the verb and the resource; and there is no StatefulSet
            CacheRuntime refused = controller.await("demo", runtime -> runtime.getStatus() != null
                    && runtime.getStatus().getMessage() != null
                    && runtime.getStatus().getMessage().contains("statefulsets"), "a failure on its status");
            assertThat(refused.getStatus().getMessage()).startsWith("reconcile failed")
                    .contains("forbidden")
                    .contains("system:serviceaccount:" + controller.namespace() + ":"
                            + ControllerOnRealCluster.SERVICE_ACCOUNT)
                    .contains("cannot create resource \"statefulsets\"");
            assertThat(controller.admin().apps().statefulSets().inNamespace(controller.namespace()).list()
                    .getItems()).isEmpty();

            // When the verb is given back
            editStatefulSetRule(controller, verbs -> java.util.stream.Stream.concat(verbs.stream(),
                    java.util.stream.Stream.of("create")).toList());

            // Then the same runtime gets its StatefulSet: nothing but the verb was missing
            controller.await("demo", runtime -> controller.admin().apps().statefulSets()
                    .inNamespace(controller.namespace()).withName("demo-master").get() != null, "its StatefulSet");
        }
    }

    /** Changes the verbs of the Role's rule on StatefulSets and returns them as stored. */
    private static String editStatefulSetRule(ControllerOnRealCluster controller, UnaryOperator<List<String>> verbs) {
        Role role = controller.admin().rbac().roles().inNamespace(controller.namespace())
                .withName(ControllerOnRealCluster.SERVICE_ACCOUNT).edit(r -> {
                    for (PolicyRule rule : r.getRules()) {
                        if (rule.getResources().contains("statefulsets")) {
                            rule.setVerbs(verbs.apply(rule.getVerbs()));
                        }
                    }
                    return r;
                });
        return role.getRules().stream().filter(rule -> rule.getResources().contains("statefulsets")).findFirst()
                .orElseThrow().getVerbs().toString();
    }

    @Test
    void aChangedBackupSpecIsRefusedByTheServersCelRule(RealCluster cluster) {
        // Given a stored backup request
        KubernetesClient admin = cluster.admin();
        String namespace = storedNightlyBackup(cluster, "cel").getMetadata().getNamespace();
        try {

            // When its target is changed
            KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class, () -> admin
                    .resources(CacheRuntimeBackup.class).inNamespace(namespace).withName("nightly").edit(stored -> {
                        stored.setSpec(new CacheRuntimeBackupSpec(stored.getSpec().runtimeName(),
                                new CacheRuntimeBackupSpec.Target(
                                        new CacheRuntimeBackupSpec.Directory("/backups/other"), null)));
                        return stored;
                    }));

            // Then the server refuses it with the CRD's message, and the stored spec is unchanged
            assertThat(refused.getCode()).isEqualTo(422);
            assertThat(refused.getMessage()).contains("spec is immutable");
            assertThat(admin.resources(CacheRuntimeBackup.class).inNamespace(namespace).withName("nightly").get()
                    .getSpec().target().sharedVolume().directory()).isEqualTo("/backups/nightly");
        } finally {
            admin.namespaces().withName(namespace).delete();
        }
    }

    @Test
    void aStatusOutsideTheCrdsSchemaIsRefusedAndTheRefusalNamesTheField(RealCluster cluster) {
        // Given a stored backup request (no controller: the test writes its status as the controller does)
        KubernetesClient admin = cluster.admin();
        CacheRuntimeBackup stored = storedNightlyBackup(cluster, "status");
        String namespace = stored.getMetadata().getNamespace();
        try {

            // When its status is written with a phase the CRD does not list, or with two conditions of one type
            KubernetesClientException unknownPhase = catchThrowableOfType(KubernetesClientException.class,
                    () -> writeStatus(admin, stored, "{\"phase\":\"Done\"}"));
            KubernetesClientException twoOfOneType = catchThrowableOfType(KubernetesClientException.class,
                    () -> writeStatus(admin, stored, "{\"phase\":\"Pending\",\"conditions\":["
                            + succeeded("False") + "," + succeeded("True") + "]}"));

            // Then the server refuses each, naming the field: the phases are an enum, the conditions a map by type
            assertThat(unknownPhase.getCode()).isEqualTo(422);
            assertThat(unknownPhase.getMessage()).contains("status.phase").contains("Unsupported value");
            assertThat(twoOfOneType.getCode()).isEqualTo(422);
            assertThat(twoOfOneType.getMessage()).contains("status.conditions").contains("Duplicate value");
            // And a status as the controller writes it is stored
            writeStatus(admin, stored, "{\"phase\":\"Pending\",\"conditions\":[" + succeeded("False") + "]}");
            assertThat(admin.resources(CacheRuntimeBackup.class).inNamespace(namespace).withName("nightly").get()
                    .getStatus().getPhase()).isEqualTo("Pending");
        } finally {
            admin.namespaces().withName(namespace).delete();
        }
    }

    /** The backup request {@code nightly}, stored in a new namespace named after {@code prefix}, with the CRDs. */
    private static CacheRuntimeBackup storedNightlyBackup(RealCluster cluster, String prefix) {
        ControllerOnRealCluster.installCrds(cluster);
        CacheRuntimeBackup backup = Backups.toSharedVolume("nightly", "demo", "/backups/nightly");
        backup.getMetadata().setNamespace(cluster.createNamespace(prefix, Map.of()));
        return cluster.admin().resource(backup).create();
    }

    /** Merges {@code status} (JSON) into the status of {@code backup}. */
    private static void writeStatus(KubernetesClient admin, CacheRuntimeBackup backup, String status) {
        admin.resources(CacheRuntimeBackup.class).inNamespace(backup.getMetadata().getNamespace()).resource(backup)
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + status + "}");
    }

    /** A condition {@code Succeeded} with status {@code status}, as the controller writes one. */
    private static String succeeded(String status) {
        return "{\"type\":\"Succeeded\",\"status\":\"" + status + "\",\"reason\":\"Pending\",\"message\":\"waits\","
                + "\"lastTransitionTime\":\"2026-12-07T00:00:00Z\",\"observedGeneration\":1}";
    }

    @Test
    void aChangedPortOrClusterDomainOfAStoredRuntimeIsRefusedByTheServersCelRules(RealCluster cluster) {
        // Given a stored runtime with a port and a cluster domain
        ControllerOnRealCluster.installCrds(cluster);
        String namespace = cluster.createNamespace("immutable", Map.of());
        KubernetesClient admin = cluster.admin();
        try {
            CacheRuntime runtime = Runtimes.runtime(namespace, "demo", "alluxio", 3);
            runtime.getSpec().setPorts(Map.of("web", 19999));
            runtime.getSpec().setClusterDomain("cluster.local");
            admin.resource(runtime).create();

            // When its port is changed, its ports removed, or its cluster domain changed
            List<UnaryOperator<CacheRuntime>> edits = List.of(
                    stored -> withSpec(stored, spec -> spec.setPorts(Map.of("web", 29999))),
                    stored -> withSpec(stored, spec -> spec.setPorts(null)),
                    stored -> withSpec(stored, spec -> spec.setClusterDomain("corp.example")));

            // Then the server refuses each, naming the field and why; the stored spec is unchanged
            List<String> fields = List.of("spec.ports", "spec.ports", "spec.clusterDomain");
            for (int i = 0; i < edits.size(); i++) {
                UnaryOperator<CacheRuntime> edit = edits.get(i);
                KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                        () -> admin.resources(CacheRuntime.class).inNamespace(namespace).withName("demo").edit(edit));
                assertThat(refused).as("edit %d", i).isNotNull();
                assertThat(refused.getCode()).isEqualTo(422);
                assertThat(refused.getMessage()).contains(fields.get(i)).contains("cannot change");
            }
            CacheRuntime stored = admin.resources(CacheRuntime.class).inNamespace(namespace).withName("demo").get();
            assertThat(stored.getSpec().getPorts()).containsExactly(Map.entry("web", 19999));
            assertThat(stored.getSpec().getClusterDomain()).isEqualTo("cluster.local");

            // And an edit of anything else is taken
            admin.resources(CacheRuntime.class).inNamespace(namespace).withName("demo")
                    .edit(same -> withSpec(same, spec -> spec.setReplicas(5)));
            assertThat(admin.resources(CacheRuntime.class).inNamespace(namespace).withName("demo").get().getSpec()
                    .getReplicas()).isEqualTo(5);
        } finally {
            admin.namespaces().withName(namespace).delete();
        }
    }

    private static CacheRuntime withSpec(CacheRuntime runtime, Consumer<CacheRuntimeSpec> change) {
        change.accept(runtime.getSpec());
        return runtime;
    }

    @Test
    void theManifestCacheHaRenderReadsIsACacheRuntimeTheServerStoresAsWritten(RealCluster cluster)
            throws IOException {
        // Given the example manifest of cache-ha render -f, every spec field in it, placed in a fresh namespace
        ControllerOnRealCluster.installCrds(cluster);
        String namespace = cluster.createNamespace("manifest", Map.of());
        KubernetesClient admin = cluster.admin();
        try {
            GenericKubernetesResource manifest = admin.getKubernetesSerialization().unmarshal(
                    Files.readString(Path.of("../cli/runtime.yaml")), GenericKubernetesResource.class);
            manifest.getMetadata().setNamespace(namespace);

            // When it is created as kubectl apply -f would send it, with unknown fields refused
            admin.resource(manifest).fieldValidation(FieldValidateable.Validation.STRICT).create();

            // Then the server stored every spec field as written: the CRD's schema has them all
            GenericKubernetesResource stored = admin.genericKubernetesResources(CacheRuntimeSpec.API_VERSION,
                    CacheRuntimeSpec.KIND).inNamespace(namespace).withName("sales").get();
            Map<String, Object> storedSpec = stored.get("spec");
            Map<String, Object> writtenSpec = manifest.get("spec");
            assertThat(storedSpec).isEqualTo(writtenSpec);
        } finally {
            admin.namespaces().withName(namespace).delete();
        }
    }

    @Test
    void aRuntimeTheCrdRefusesIsNotCreatedAndTheRefusalNamesTheField(RealCluster cluster) {
        // Given the controller's CRD
        ControllerOnRealCluster.installCrds(cluster);
        String namespace = cluster.createNamespace("crd", Map.of());
        try {
            // When a runtime of four masters is created
            KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                    () -> cluster.admin().resource(Runtimes.runtime(namespace, "demo", "alluxio", 4)).create());

            // Then the server refuses it, naming the field and the rule the CRD's CEL states; nothing is stored
            assertThat(refused.getCode()).isEqualTo(422);
            assertThat(refused.getMessage()).contains("spec.replicas").contains("must be odd: 1, 3, 5 or 7 masters");
            assertThat(cluster.admin().resources(CacheRuntime.class).inNamespace(namespace).list().getItems())
                    .isEmpty();
        } finally {
            cluster.admin().namespaces().withName(namespace).delete();
        }
    }

    @Test
    void aRuntimeTheProviderRefusesGetsAStatusNamingTheFieldAndNothingIsCreated(RealCluster cluster) {
        // Given the controller
        try (ControllerOnRealCluster controller = ControllerOnRealCluster.start(cluster, "refused",
                TestEngine.ALLUXIO)) {
            // When a runtime the CRD accepts names a port Alluxio does not have
            CacheRuntime runtime = Runtimes.runtime(controller.namespace(), "demo", "alluxio", 3);
            runtime.getSpec().setPorts(Map.of("nosuch", 7000));
            controller.admin().resource(runtime).create();

            // Then its status names the field, Ready is False
            CacheRuntime refused = controller.await("demo", r -> r.getStatus() != null
                    && r.getStatus().getViolations() != null && !r.getStatus().getViolations().isEmpty(),
                    "violations on its status");
            assertThat(refused.getStatus().getViolations()).singleElement().asString().startsWith("ports.nosuch:");
            assertThat(refused.getStatus().getConditions()).anySatisfy(condition -> {
                assertThat(condition.getType()).isEqualTo("Ready");
                assertThat(condition.getStatus()).isEqualTo("False");
            });
            // And nothing of a plan was created in the namespace
            String namespace = controller.namespace();
            KubernetesClient admin = controller.admin();
            assertThat(admin.apps().statefulSets().inNamespace(namespace).list().getItems()).isEmpty();
            assertThat(admin.services().inNamespace(namespace).list().getItems()).isEmpty();
            assertThat(admin.configMaps().inNamespace(namespace).list().getItems())
                    .allMatch(map -> map.getMetadata().getName().equals("kube-root-ca.crt"));
            assertThat(admin.secrets().inNamespace(namespace).list().getItems()).isEmpty();
            assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems()).isEmpty();
        }
    }
}
