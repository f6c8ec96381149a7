package dev.cacheha.alluxio.local;

import dev.cacheha.spi.HaSpec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one real quorum a test class shares between its tests, in order: started from the class's spec when the
 * class says (in a {@code @BeforeAll} or in its first, timed test), and closed after the class's last test
 * whatever happened, so no Alluxio JVM outlives the class. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final OneQuorumPerClass QUORUM = new OneQuorumPerClass();}</pre>
 */
public final class OneQuorumPerClass implements AfterAllCallback {

    private LocalAlluxioQuorum quorum;

    /** Starts three (or the spec's count of) masters from {@code spec}'s plan on the Alluxio jars of the tests. */
    public LocalAlluxioQuorum start(HaSpec spec) {
        if (quorum != null) {
            throw new IllegalStateException("this class's quorum is already started");
        }
        ClassLoader tests = OneQuorumPerClass.class.getClassLoader();
        quorum = LocalAlluxioQuorum.start(spec, AlluxioClasspath.fromResource(tests));
        return quorum;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (quorum != null) {
            quorum.close();
        }
    }
}
