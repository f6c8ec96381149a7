package dev.cacheha.examples.jindo;

import static dev.cacheha.examples.jindo.JindoHighAvailabilityProvider.DISCOVERY;
import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.PodExec;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit;
import dev.cacheha.testkit.InvalidSpec;
import dev.cacheha.testkit.Reply;
import java.util.List;

/** The Jindo provider meets every requirement of the cache-ha kit. */
class JindoConformanceTest extends HighAvailabilityProviderCompatibilityKit {

    /** A 40-character name: fine for the engine-neutral rules, too long once "-jindofs-master" is appended. */
    private static final String LONG_NAME = "r".repeat(40);

    @Override
    protected HighAvailabilityProvider provider() {
        return new JindoHighAvailabilityProvider();
    }

    /** A Jindo master answers the role command with a report that contains its role line. */
    @Override
    protected EngineImpersonation impersonation() {
        return (member, role, cluster) -> cluster.exec().answer(member, DISCOVERY.command(),
                Reply.of(new PodExec.Result(0, "Namespace: jindo\nRole: " + role.name() + "\nUptime: 3600s\n", "")));
    }

    /** Jindo's masters read the site file the plan's ConfigMap is mounted as. */
    @Override
    protected List<String> enginePropertiesFiles() {
        return List.of(JindoHighAvailabilityProvider.CONF_DIR + "/" + JindoHighAvailabilityProvider.PROPERTIES_FILE);
    }

    @Override
    protected List<InvalidSpec> engineInvalidSpecs() {
        return List.of(
                InvalidSpec.of("a name too long for the Jindo StatefulSet", "name",
                        specs -> specs.validSpec(LONG_NAME, NAMESPACE).build()),
                InvalidSpec.of("the raft backend set by hand", "properties[namespace.backend.type]",
                        specs -> specs.validSpec("demo", NAMESPACE).property("namespace.backend.type", "rocksdb")
                                .build()),
                InvalidSpec.of("the raft peers set by hand", "properties[namespace.backend.raft.initial-conf]",
                        specs -> specs.validSpec("demo", NAMESPACE)
                                .property("namespace.backend.raft.initial-conf", "x:8103:0").build()),
                InvalidSpec.of("the client addresses set by hand", "properties[fs.jindocache.namespace.rpc.address]",
                        specs -> specs.validSpec("demo", NAMESPACE)
                                .property("fs.jindocache.namespace.rpc.address", "x:8101").build()));
    }
}
