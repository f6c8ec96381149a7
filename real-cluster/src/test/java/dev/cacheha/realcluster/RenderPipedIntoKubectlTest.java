package dev.cacheha.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.examples.cli.CacheHaCommand;
import dev.cacheha.spi.HighAvailabilityProviders;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cache-ha render ... | kubectl apply --server-side -f -}, as the CLI's README shows it, on a real cluster. */
@ExtendWith(RealClusterExtension.class)
class RenderPipedIntoKubectlTest {

    @Test
    void renderedPlanPipedIntoKubectlServerSideApplyIsAcceptedWithoutWarning(RealCluster cluster, @TempDir Path tmp)
            throws IOException, InterruptedException {
        // Given the plan cache-ha renders for a runtime in a namespace where Pod Security enforces "restricted"
        String namespace = cluster.createNamespace("render", RealCluster.RESTRICTED_POD_SECURITY);
        StringWriter rendered = new StringWriter();
        CommandLine render = CacheHaCommand.commandLine(HighAvailabilityProviders.load());
        render.setOut(new PrintWriter(rendered, true));
        int renderExit = render.execute("render", "--engine", "alluxio", "--name", "sales", "--namespace",
                namespace, "--replicas", "3", "--journal", "pvc", "--size", "20Gi");
        assertThat(renderExit).isZero();

        // When it is piped into kubectl apply --server-side with the cluster's kubeconfig
        Path stdout = tmp.resolve("kubectl.out");
        Path stderr = tmp.resolve("kubectl.err");
        Process kubectl = new ProcessBuilder(cluster.binaries().executable("kubectl").toString(),
                "--kubeconfig=" + cluster.kubeconfig(), "apply", "--server-side",
                "--field-manager=" + RealCluster.FIELD_MANAGER, "-f", "-")
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try (OutputStream in = kubectl.getOutputStream()) {
            in.write(rendered.toString().getBytes(StandardCharsets.UTF_8));
        }
        boolean finished = kubectl.waitFor(Await.DEFAULT_BUDGET.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            kubectl.destroyForcibly();
        }

        // Then kubectl succeeds without a warning, and every rendered object is on the server
        assertThat(finished).as("kubectl finished within the budget").isTrue();
        assertThat(kubectl.exitValue()).as(Files.readString(stderr)).isZero();
        assertThat(Files.readString(stderr)).isEmpty();
        List<HasMetadata> objects = cluster.admin()
                .load(new ByteArrayInputStream(rendered.toString().getBytes(StandardCharsets.UTF_8))).items();
        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "NetworkPolicy");
        assertThat(Files.readAllLines(stdout)).hasSize(objects.size())
                .allMatch(line -> line.endsWith(" serverside-applied"));
        for (HasMetadata object : objects) {
            assertThat(cluster.admin().resource(object).get()).as(object.getKind()).isNotNull();
        }
        cluster.admin().namespaces().withName(namespace).delete();
    }
}
