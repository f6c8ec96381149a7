package dev.cacheha.testkit.guide;

import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.JournalStorage;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.ProcessResources;
import dev.cacheha.testkit.EngineImpersonation;
import dev.cacheha.testkit.HighAvailabilityProviderCompatibilityKit;
import dev.cacheha.testkit.InvalidSpec;
import dev.cacheha.testkit.Reply;
import dev.cacheha.testkit.ScriptedCluster;
import java.util.List;
import java.util.Map;

/** The guide's complete example passes the whole kit, every capability included. */
// tag::kit[]
class GooseConformanceTest extends HighAvailabilityProviderCompatibilityKit {

    @Override
    protected HighAvailabilityProvider provider() {
        return new GooseHighAvailabilityProvider();
    }

    // How a Goose master answers the request its discovery sends, as leader, as follower, and as a follower that
    // names its leader: with that, the kit can script a leader that went silent while its followers still name it.
    @Override
    protected EngineImpersonation impersonation() {
        return new EngineImpersonation() {
            @Override
            public void answerAs(Member member, Role role, ScriptedCluster cluster) {
                answer(member, role.name(), cluster);
            }

            @Override
            public void answerAsFollowerOf(Member member, Member leader, ScriptedCluster cluster) {
                answer(member, "FOLLOWER " + leader.podName(), cluster);
            }

            private void answer(Member member, String body, ScriptedCluster cluster) {
                cluster.probe().answer(member, GooseHighAvailabilityProvider.ROLE_PATH,
                        Reply.of(new MemberProbe.Response(200, body)));
            }
        };
    }

    @Override
    protected List<String> enginePropertiesFiles() {
        return List.of(GooseHighAvailabilityProvider.PROPERTIES_FILE);
    }

    // Rules only Goose has: a property the plan owns (stated in its EngineRules, so reported in the SPI's pass)
    // and a memory journal its master's limit cannot hold (a rule across fields, checked in validate).
    @Override
    protected List<InvalidSpec> engineInvalidSpecs() {
        return List.of(
                InvalidSpec.of("the raft peers set by hand", "properties[goose.raft.peers]",
                        specs -> specs.validSpec("demo", "cache").property("goose.raft.peers", "x:1").build()),
                InvalidSpec.ofWholeSpec("a memory journal the master's memory limit cannot hold",
                        "journal.sizeLimit", specs -> specs.validSpec("demo", "cache")
                                .journal(JournalStorage.memory("2Gi"))
                                .resources("master", ProcessResources.of(Map.of(), Map.of("memory", "2Gi"))).build()));
    }
}
// end::kit[]
