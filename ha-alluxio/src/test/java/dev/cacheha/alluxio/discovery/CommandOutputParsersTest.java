package dev.cacheha.alluxio.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.HostAndPort;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.MemberProbe;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parsers read the exact outputs real masters gave, and refuse anything else. */
class CommandOutputParsersTest {

    private static HostAndPort demo(int ordinal, int port) {
        return HostAndPort.fromParts("demo-master-" + ordinal + ".demo-master.cache.svc.cluster.local", port);
    }

    @Test
    void quorumInfoOfAHealthyQuorumNamesTheLeaderAndThreeAvailableServers() {
        // Given / When
        QuorumInfo info = QuorumInfo.parse(RecordedOutputs.read("quorum-info-healthy.txt")).orElseThrow();

        // Then
        assertThat(info.leader()).isEqualTo(demo(1, 19200));
        assertThat(info.servers()).extracting(QuorumInfo.Server::address)
                .containsExactly(demo(2, 19200), demo(0, 19200), demo(1, 19200));
        assertThat(info.servers()).allMatch(QuorumInfo.Server::available);
    }

    @Test
    void quorumInfoAfterAKillShowsThatServerUnavailable() {
        QuorumInfo info = QuorumInfo.parse(RecordedOutputs.read("quorum-info-one-unavailable.txt")).orElseThrow();

        assertThat(info.servers()).filteredOn(server -> !server.available())
                .extracting(QuorumInfo.Server::address)
                .containsExactly(demo(0, 19200));
    }

    @Test
    void quorumInfoOnLoopbackFromTheReferenceParsesToo() {
        QuorumInfo info = QuorumInfo.parse(RecordedOutputs.read("quorum-info-loopback.txt")).orElseThrow();

        assertThat(info.leader()).isEqualTo(HostAndPort.fromParts("localhost", 35687));
        assertThat(info.servers()).hasSize(2);
    }

    @Test
    void quorumInfoWithoutAQuorumIsNotUnderstood() {
        assertThat(QuorumInfo.parse(RecordedOutputs.read("quorum-info-no-quorum.txt"))).isEmpty();
    }

    @Test
    void quorumInfoWithAnUnknownStateOrAnotherDomainIsNotUnderstood() {
        String healthy = RecordedOutputs.read("quorum-info-healthy.txt");

        assertThat(QuorumInfo.parse(healthy.replaceFirst("AVAILABLE  ", "LAGGING    "))).isEmpty();
        assertThat(QuorumInfo.parse(healthy.replace("MASTER", "JOB_MASTER"))).isEmpty();
        assertThat(QuorumInfo.parse(healthy.replace(":19200\n\n", ":notaport\n\n"))).isEmpty();
        assertThat(QuorumInfo.parse(healthy.substring(0, healthy.indexOf("STATE")))).isEmpty();
    }

    @Test
    void masterInfoNamesTheLeadersRpcAddress() {
        MasterInfo info = MasterInfo.parse(RecordedOutputs.read("master-info.txt")).orElseThrow();

        assertThat(info.leader()).contains(demo(1, 19998));
    }

    @Test
    void masterInfoWithoutAQuorumSaysThereIsNoLeader() {
        MasterInfo info = MasterInfo.parse(RecordedOutputs.read("master-info-no-quorum.txt")).orElseThrow();

        assertThat(info.leader()).isEmpty();
    }

    @Test
    void masterInfoInAnotherShapeIsNotUnderstood() {
        assertThat(MasterInfo.parse("")).isEmpty();
        assertThat(MasterInfo.parse("Current leader master: demo-master-1:19998\n")).isEmpty();
        assertThat(MasterInfo.parse("Current leader master: not an address\nAll masters: []\n")).isEmpty();
        assertThat(MasterInfo.parse(RecordedOutputs.read("master-info.txt") + "Failed to find leader master\n"))
                .isEmpty();
    }

    @Test
    void webOverviewTellsEachMastersOwnRoleAndWhomAFollowerFollows() {
        assertThat(WebOverview.read(new MemberProbe.Response(200, RecordedOutputs.read("webui-overview-leader.json"))))
                .isEqualTo(WebOverview.Reading.of(Role.LEADER, "", Optional.empty()));
        assertThat(WebOverview.read(
                new MemberProbe.Response(200, RecordedOutputs.read("webui-overview-follower.json"))))
                .isEqualTo(WebOverview.Reading.of(Role.FOLLOWER, "", Optional.of(
                        HostAndPort.fromParts("demo-master-1.demo-master.cache.svc.cluster.local", 19200))));
    }

    @Test
    void aFollowerWithoutAReadableLeaderIdNamesNobody() {
        WebOverview.Reading none = WebOverview.read(new MemberProbe.Response(200, "{\"masterRole\":\"FOLLOWER\"}"));
        WebOverview.Reading odd = WebOverview.read(new MemberProbe.Response(200,
                "{\"leaderId\":\"no-port-here\",\"masterRole\":\"FOLLOWER\"}"));

        assertThat(none).isEqualTo(WebOverview.Reading.of(Role.FOLLOWER, "", Optional.empty()));
        assertThat(odd.follows()).isEmpty();
        assertThat(odd.detail()).isEqualTo("leaderId no-port-here is not <host>_<port>");
    }

    @Test
    void twoDifferentRolesInOneBodyAreUnknown() {
        WebOverview.Reading twice = WebOverview.read(new MemberProbe.Response(200,
                "{\"masterRole\":\"FOLLOWER\",\"x\":{\"masterRole\" : \"LEADER\"}}"));

        assertThat(twice.role()).isEqualTo(Role.UNKNOWN);
        assertThat(twice.detail()).startsWith("two masterRole values in");
    }

    @Test
    void webOverviewWithoutARoleIsUnknownAndQuotesTheAnswer() {
        WebOverview.Reading noRole = WebOverview.read(new MemberProbe.Response(200, "{\"version\":\"2.9.6\"}"));
        WebOverview.Reading error = WebOverview.read(new MemberProbe.Response(503, "Service Unavailable\n"));
        WebOverview.Reading odd = WebOverview.read(new MemberProbe.Response(200, "{\"masterRole\":\"CANDIDATE\"}"));

        assertThat(noRole.role()).isEqualTo(Role.UNKNOWN);
        assertThat(noRole.detail()).contains("{\"version\":\"2.9.6\"}");
        assertThat(error.role()).isEqualTo(Role.UNKNOWN);
        assertThat(error.detail()).isEqualTo("HTTP 503: Service Unavailable\\u000a");
        assertThat(odd.detail()).contains("CANDIDATE");
    }

    @Test
    void excerptsAreOneBoundedLine() {
        String text = "line one\nline two\u0000" + "x".repeat(10_000);
        String excerpt = Excerpt.of(text);

        assertThat(excerpt).doesNotContain("\n").doesNotContain("\u0000").startsWith("line one\\u000aline two\\u0000");
        assertThat(excerpt.length()).isLessThan(Excerpt.MAX_CHARS + 40);
        assertThat(excerpt).endsWith("(" + text.length() + " characters)");
    }
}
