package dev.cacheha.alluxio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.Member;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The alluxio-site.properties entries that make the masters one raft quorum. */
class AlluxioPropertiesTest {

    private final AlluxioHighAvailabilityProvider provider = new AlluxioHighAvailabilityProvider();

    private static String host(int ordinal) {
        return "demo-master-" + ordinal + ".demo-master.cache.svc.cluster.local";
    }

    private static String addresses(int replicas, int port) {
        return String.join(",", IntStream.range(0, replicas).mapToObj(i -> host(i) + ":" + port).toList());
    }

    @Test
    void generatedPropertiesComeInTheirFixedOrderThenTheUsersSortedByKey() {
        // Given user properties added out of order
        HaSpec spec = HaSpec.builder("demo", "cache")
                .property("alluxio.user.file.writetype.default", "CACHE_THROUGH")
                .property("alluxio.master.mount.table.root.ufs", "/ufs")
                .build();

        // When it is planned
        HaPlan plan = provider.plan(spec);

        // Then the generated keys come first in the documented order, the user's after them by key
        assertThat(plan.properties().keySet()).containsExactly(
                "alluxio.master.journal.type",
                "alluxio.master.embedded.journal.addresses",
                "alluxio.master.rpc.addresses",
                "alluxio.master.embedded.journal.port",
                "alluxio.master.journal.folder",
                "alluxio.job.master.embedded.journal.addresses",
                "alluxio.job.master.rpc.addresses",
                "alluxio.job.master.embedded.journal.port",
                "alluxio.standby.master.web.enabled",
                "alluxio.master.rpc.port",
                "alluxio.master.web.port",
                "alluxio.job.master.rpc.port",
                "alluxio.job.master.web.port",
                "alluxio.master.mount.table.root.ufs",
                "alluxio.user.file.writetype.default");
        assertThat(plan.properties()).containsEntry("alluxio.master.journal.type", "EMBEDDED")
                .containsEntry("alluxio.master.journal.folder", "/journal")
                .containsEntry("alluxio.standby.master.web.enabled", "true");
    }

    @ParameterizedTest(name = "{0} replicas")
    @ValueSource(ints = {1, 3, 5, 7})
    void everyAddressListNamesEachMemberByItsFqdnInOrdinalOrder(int replicas) {
        // Given a quorum of this size
        HaPlan plan = provider.plan(HaSpec.builder("demo", "cache").replicas(replicas).build());

        // Then every list has one FQDN per member, sorted by ordinal, on the default ports
        assertThat(plan.properties())
                .containsEntry("alluxio.master.embedded.journal.addresses", addresses(replicas, 19200))
                .containsEntry("alluxio.master.rpc.addresses", addresses(replicas, 19998))
                .containsEntry("alluxio.job.master.embedded.journal.addresses", addresses(replicas, 20003))
                .containsEntry("alluxio.job.master.rpc.addresses", addresses(replicas, 20001));
        assertThat(plan.journalAddresses()).extracting(HostPort::toString)
                .containsExactlyElementsOf(List.of(addresses(replicas, 19200).split(",")));
        assertThat(plan.members()).extracting(Member::host)
                .containsExactlyElementsOf(IntStream.range(0, replicas).mapToObj(AlluxioPropertiesTest::host).toList());
    }

    @Test
    void portOverridesFlowIntoAddressesPortsAndContainerPorts() {
        // Given every port moved
        HaSpec spec = HaSpec.builder("demo", "cache").replicas(3)
                .port(AlluxioPorts.RPC, 1001).port(AlluxioPorts.WEB, 1002).port(AlluxioPorts.JOURNAL, 1003)
                .port(AlluxioPorts.JOB_RPC, 1004).port(AlluxioPorts.JOB_WEB, 1005).port(AlluxioPorts.JOB_JOURNAL, 1006)
                .build();

        // When it is planned
        HaPlan plan = provider.plan(spec);

        // Then addresses, port properties and container ports all use the moved ports
        assertThat(plan.properties())
                .containsEntry("alluxio.master.rpc.addresses", addresses(3, 1001))
                .containsEntry("alluxio.master.embedded.journal.addresses", addresses(3, 1003))
                .containsEntry("alluxio.job.master.rpc.addresses", addresses(3, 1004))
                .containsEntry("alluxio.job.master.embedded.journal.addresses", addresses(3, 1006))
                .containsEntry("alluxio.master.rpc.port", "1001")
                .containsEntry("alluxio.master.web.port", "1002")
                .containsEntry("alluxio.master.embedded.journal.port", "1003")
                .containsEntry("alluxio.job.master.rpc.port", "1004")
                .containsEntry("alluxio.job.master.web.port", "1005")
                .containsEntry("alluxio.job.master.embedded.journal.port", "1006");
        assertThat(plan.journalAddresses()).extracting(HostPort::port).containsOnly(1003);
        assertThat(plan.object(StatefulSet.class).orElseThrow().getSpec().getTemplate().getSpec().getContainers())
                .flatExtracting(container -> container.getPorts()).extracting(ContainerPort::getContainerPort)
                .containsExactly(1001, 1002, 1003, 1004, 1005, 1006);
    }

    @Test
    void userPropertiesThePlanDoesNotOwnAreKeptAsGiven() {
        // Given two user properties the plan neither owns nor generates
        HaSpec spec = HaSpec.builder("demo", "cache")
                .property("alluxio.master.embedded.journal.election.timeout.min", "5s")
                .property("alluxio.underfs.address", "s3://bucket/")
                .build();

        // When it is planned
        HaPlan plan = provider.plan(spec);

        // Then both appear with the user's values, and the owned ones keep the plan's
        assertThat(plan.properties())
                .containsEntry("alluxio.master.embedded.journal.election.timeout.min", "5s")
                .containsEntry("alluxio.underfs.address", "s3://bucket/")
                .containsEntry("alluxio.master.journal.type", "EMBEDDED");
    }

    @Test
    void everyGeneratedPropertyIsOwnedSoNoUserValueCanSilentlyDisagreeWithTheObjects() {
        // Given the properties of a plan without user properties
        HaPlan plan = provider.plan(HaSpec.builder("demo", "cache").build());

        // Then each generated key is owned: a user value for it is refused instead of overriding it
        assertThat(AlluxioProperties.OWNED).containsKeys(plan.properties().keySet().toArray(String[]::new));
    }
}
