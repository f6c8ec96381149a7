package dev.cacheha.alluxio.discovery;

import static dev.cacheha.testkit.SpecFixtures.NAMESPACE;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit;
import dev.cacheha.testkit.InvalidSpec;
import dev.cacheha.testkit.Reply;
import dev.cacheha.testkit.ScriptedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The Alluxio provider meets every requirement of the cache-ha kit. */
class AlluxioConformanceTest extends HighAvailabilityProviderCompatibilityKit {

    /** What a real 2.9.6 leader answered; followers answer the same document with another role. */
    private static final String RECORDED_LEADER_OVERVIEW = recorded("webui-overview-leader.json");
    /** The {@code leaderId} in the recorded answer, and the whole field. */
    private static final String RECORDED_LEADER_ID = "demo-master-1.demo-master.cache.svc.cluster.local_19200";
    private static final String RECORDED_LEADER_ID_FIELD = "\"leaderId\":\"" + RECORDED_LEADER_ID + "\",";

    @Override
    protected HighAvailabilityProvider provider() {
        return new AlluxioHighAvailabilityProvider();
    }

    /**
     * A master answers its web overview with its own role, as a real 2.9.6 master does. Scripted by role alone,
     * a follower names no leader (the recorded {@code leaderId} is taken out): the kit scripts each member's role
     * on its own, so no member can know whom the others follow, and a follower that names nobody neither backs
     * nor contradicts a claimant. Scripted as a follower of a given member, it names that member as Alluxio does.
     */
    @Override
    protected EngineImpersonation impersonation() {
        return new EngineImpersonation() {
            @Override
            public void answerAs(Member member, Role role, ScriptedCluster cluster) {
                answer(member, role, RECORDED_LEADER_OVERVIEW.replace(RECORDED_LEADER_ID_FIELD, ""), cluster);
            }

            @Override
            public void answerAsFollowerOf(Member member, Member leader, ScriptedCluster cluster) {
                answer(member, Role.FOLLOWER,
                        RECORDED_LEADER_OVERVIEW.replace(RECORDED_LEADER_ID, leader.host() + "_19200"), cluster);
            }

            private void answer(Member member, Role role, String overview, ScriptedCluster cluster) {
                cluster.probe().answer(member, WebOverview.PATH, Reply.of(new MemberProbe.Response(200,
                        overview.replace("\"masterRole\":\"LEADER\"", "\"masterRole\":\"" + role.name() + "\""))));
            }
        };
    }

    /** Where the {@code alluxio/alluxio} image's masters read their site properties. */
    @Override
    protected List<String> enginePropertiesFiles() {
        return List.of("/opt/alluxio/conf/alluxio-site.properties");
    }

    @Override
    protected List<InvalidSpec> engineInvalidSpecs() {
        return List.of(
                InvalidSpec.of("a port name Alluxio does not have", "ports.grpc",
                        specs -> specs.validSpec("demo", NAMESPACE).port("grpc", 30000).build()),
                InvalidSpec.of("an override that collides with a default port", "ports.web",
                        specs -> specs.validSpec("demo", NAMESPACE).port("web", 19998).build()),
                InvalidSpec.of("the journal type set by hand", "properties[alluxio.master.journal.type]",
                        specs -> specs.validSpec("demo", NAMESPACE)
                                .property("alluxio.master.journal.type", "UFS").build()),
                InvalidSpec.of("the journal addresses set by hand",
                        "properties[alluxio.master.embedded.journal.addresses]",
                        specs -> specs.validSpec("demo", NAMESPACE)
                                .property("alluxio.master.embedded.journal.addresses", "x:19200").build()));
    }

    private static String recorded(String file) {
        try (InputStream in = AlluxioConformanceTest.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing recorded output " + file);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!body.contains("\"masterRole\":\"LEADER\"") || !body.contains(RECORDED_LEADER_ID)) {
                throw new IllegalStateException(file + " no longer holds a leader's answer with its leaderId");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
