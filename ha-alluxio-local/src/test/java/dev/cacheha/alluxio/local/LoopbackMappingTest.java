package dev.cacheha.alluxio.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cacheha.alluxio.AlluxioHighAvailabilityProvider;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one visible difference between the plan and what runs on loopback. */
class LoopbackMappingTest {

    private final HaSpec spec = HaSpec.builder("demo", "cache").replicas(3).build();
    private final HaPlan plan = new AlluxioHighAvailabilityProvider().plan(spec);
    private final LoopbackMapping mapping = new LoopbackMapping(spec, List.of(
            new AlluxioPorts(1000, 1001, 1002, 1003, 1004, 1005),
            new AlluxioPorts(1100, 1101, 1102, 1103, 1104, 1105),
            new AlluxioPorts(1200, 1201, 1202, 1203, 1204, 1205)));

    @Test
    void everyPlanPropertyRunsWithLoopbackAddressesAndTheMembersOwnPorts() {
        // When
        Map<String, String> member1 = mapping.memberProperties(plan, 1, "/tmp/m1/journal");

        // Then
        assertThat(member1.keySet()).containsExactlyElementsOf(plan.properties().keySet());
        assertThat(member1)
                .containsEntry("alluxio.master.journal.type", "EMBEDDED")
                .containsEntry("alluxio.master.embedded.journal.addresses",
                        "localhost:1002,localhost:1102,localhost:1202")
                .containsEntry("alluxio.master.rpc.addresses", "localhost:1000,localhost:1100,localhost:1200")
                .containsEntry("alluxio.job.master.rpc.addresses", "localhost:1003,localhost:1103,localhost:1203")
                .containsEntry("alluxio.master.rpc.port", "1100")
                .containsEntry("alluxio.master.web.port", "1101")
                .containsEntry("alluxio.master.embedded.journal.port", "1102")
                .containsEntry("alluxio.master.journal.folder", "/tmp/m1/journal")
                .containsEntry("alluxio.standby.master.web.enabled", "true");
        assertThat(member1.values()).noneMatch(value -> value.contains("svc.cluster.local"));
    }

    @Test
    void localAddressesInOutputReadAsThePlansAddresses() {
        String output = "Current leader master: localhost/<unresolved>:1100\nleaderId localhost_1202, "
                + "quorum localhost:1002, stranger localhost:4242";

        assertThat(mapping.toPlanAddresses(output)).isEqualTo(
                "Current leader master: demo-master-1.demo-master.cache.svc.cluster.local/<unresolved>:19998\n"
                        + "leaderId demo-master-2.demo-master.cache.svc.cluster.local_19200, "
                        + "quorum demo-master-0.demo-master.cache.svc.cluster.local:19200, stranger localhost:4242");
        assertThat(mapping.localPort(2, 19999)).isEqualTo(1201);
    }

    @Test
    void aMemberAddressInACommandReachesItAsTheLocalAddress() {
        // Given a removal's argument naming member 2's journal address, and arguments that name no member port
        String member2 = "demo-master-2.demo-master.cache.svc.cluster.local:19200";

        // Then the member's address is where it runs here, and the rest is unchanged
        assertThat(mapping.toLocalAddress(member2)).isEqualTo("localhost:1202");
        assertThat(mapping.toLocalAddress("demo-master-2.demo-master.cache.svc.cluster.local:4242"))
                .isEqualTo("demo-master-2.demo-master.cache.svc.cluster.local:4242");
        assertThat(mapping.toLocalAddress("-address")).isEqualTo("-address");
        assertThat(mapping.toLocalAddress("MASTER")).isEqualTo("MASTER");
    }

    @Test
    void aPropertyNamingAMemberAtAPortThePlanDoesNotGiveItCannotRunHere() {
        HaSpec odd = spec.toBuilder()
                .property("alluxio.master.backup.address", "demo-master-0.demo-master.cache.svc.cluster.local:4242")
                .build();
        LoopbackMapping oddMapping = new LoopbackMapping(odd, List.of(mapping.localPorts(0), mapping.localPorts(1),
                mapping.localPorts(2)));
        HaPlan oddPlan = new AlluxioHighAvailabilityProvider().plan(odd);

        assertThatThrownBy(() -> oddMapping.memberProperties(oddPlan, 0, "/j"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alluxio.master.backup.address");
    }

    @Test
    void freePortsAreDistinctAcrossAllMembers() {
        LoopbackMapping free = LoopbackMapping.withFreePorts(spec);

        List<Integer> all = List.of(0, 1, 2).stream()
                .flatMap(ordinal -> free.localPorts(ordinal).inNameOrder().stream())
                .toList();
        assertThat(all).hasSize(18).doesNotHaveDuplicates().allMatch(port -> port > 0);
    }
}
