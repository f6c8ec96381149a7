package dev.cacheha.realcluster;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Hands tests one {@link RealCluster} per test run (a Maven module's surefire JVM): started by the first test
 * that asks for it as a parameter, kept in the root store, and closed when the run ends, so every test class
 * shares it and isolates itself with {@linkplain RealCluster#createNamespace its own namespace}.
 *
 * <pre>{@code @ExtendWith(RealClusterExtension.class)
 * class SomeTest {
 *     @Test void something(RealCluster cluster) { ... }
 * }}</pre>
 *
 * <p>With {@code -Dcacheha.realCluster.skip=true} every test of such a class reports skipped, with the reason.
 * When a test fails, the folder of the components' logs is printed.
 */
public final class RealClusterExtension implements ExecutionCondition, ParameterResolver, TestWatcher {

    /** The system property that skips the real-cluster tests (CI never sets it). */
    public static final String SKIP_PROPERTY = "cacheha.realCluster.skip";

    /** The system property naming the folder each run's folder is made in (Maven: target/real-cluster). */
    public static final String WORK_DIR_PROPERTY = "cacheha.realCluster.workDir";

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RealCluster.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Boolean.getBoolean(SKIP_PROPERTY)) {
            return ConditionEvaluationResult.disabled("real-cluster tests skipped by -D" + SKIP_PROPERTY + "=true");
        }
        return ConditionEvaluationResult.enabled("a real cluster is started for this run");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RealCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /** The run's cluster, started on first use; a start that failed fails every later use at once. */
    public static RealCluster cluster(ExtensionContext context) {
        SharedCluster shared = context.getRoot().getStore(STORE)
                .getOrComputeIfAbsent(SharedCluster.class, key -> SharedCluster.start(), SharedCluster.class);
        if (shared.failure() != null) {
            throw new IllegalStateException("the real cluster of this run did not start", shared.failure());
        }
        return shared.cluster();
    }

    /** The folder runs are made in: {@value #WORK_DIR_PROPERTY}, else {@code target/real-cluster}. */
    public static Path workDirectory() {
        return Path.of(System.getProperty(WORK_DIR_PROPERTY, "target/real-cluster"));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        SharedCluster shared = context.getRoot().getStore(STORE).get(SharedCluster.class, SharedCluster.class);
        if (shared != null && shared.cluster() != null) {
            System.err.println(context.getDisplayName() + " failed; the real cluster's logs are in "
                    + shared.cluster().logDirectory());
        }
    }

    /** The run's cluster, or why it did not start; closed with the root context, at the end of the run. */
    private record SharedCluster(RealCluster cluster, RuntimeException failure) implements AutoCloseable {

        static SharedCluster start() {
            try {
                RealCluster cluster = RealCluster.start(ControlPlaneBinaries.fromSystemProperty(), workDirectory());
                System.out.println("real cluster ready in " + cluster.startTime().toMillis() + " ms; logs in "
                        + cluster.logDirectory());
                return new SharedCluster(cluster, null);
            } catch (RuntimeException e) {
                return new SharedCluster(null, e);
            }
        }

        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
