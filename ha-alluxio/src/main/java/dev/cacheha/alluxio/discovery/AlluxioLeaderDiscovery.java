package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.Health;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.discovery.MemberFanOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Finds the leading Alluxio master by asking every member, at once, for its own role.
 *
 * <ol>
 *   <li>HTTP: {@code GET} {@value WebOverview#PATH} on each member's web port. The leader is the member that
 *       says LEADER itself; health follows {@link LeaderStatus#fromAnswers}. A member that does not answer
 *       within the access deadline is UNREACHABLE and delays nothing beyond that deadline.</li>
 *   <li>Only if no member told its role over HTTP: {@code alluxio fsadmin journal quorum info -domain MASTER}
 *       in every member's container, taking the first answer in the exact Alluxio 2.9 format; then, failing
 *       that, {@code alluxio fs masterInfo} likewise.</li>
 * </ol>
 * Addresses in command output are matched against the plan's journal and rpc addresses: a leader that is not
 * a configured member is never named (the health is then UNKNOWN). Text that is not understood gives UNKNOWN
 * with an excerpt of it in the detail. {@link #discover()} never throws for anything a member does and returns
 * within three access deadlines (one for HTTP, one per command), however the members behave.
 */
public final class AlluxioLeaderDiscovery implements LeaderDiscovery {

    static final List<String> QUORUM_INFO = List.of("alluxio", "fsadmin", "journal", "quorum", "info", "-domain", "MASTER");
    static final List<String> MASTER_INFO = List.of("alluxio", "fs", "masterInfo");

    private final List<Member> members;
    private final int webPort;
    private final List<HostAndPort> journalAddresses;
    private final List<HostAndPort> rpcAddresses;
    private final ClusterAccess access;
    private final String httpMethod;

    /** A discovery of {@code spec}'s masters through {@code access}. The spec must be valid for Alluxio. */
    public AlluxioLeaderDiscovery(HaSpec spec, ClusterAccess access) {
        QuorumNames names = AlluxioNames.of(spec);
        AlluxioPorts ports = AlluxioPorts.of(spec);
        this.members = names.members();
        this.webPort = ports.web();
        // Command output is matched with the parsers' address type.
        this.journalAddresses = names.addresses(ports.journal()).stream()
                .map(address -> HostAndPort.fromParts(address.host(), address.port())).toList();
        this.rpcAddresses = names.addresses(ports.rpc()).stream()
                .map(address -> HostAndPort.fromParts(address.host(), address.port())).toList();
        this.access = access;
        this.httpMethod = "GET :" + webPort + WebOverview.PATH;
    }

    @Override
    public LeaderStatus discover() {
        long start = System.nanoTime();
        List<MemberAnswer> http = new MemberFanOut(members, access.deadline()).ask(httpMethod,
                member -> access.probe().get(member, webPort, WebOverview.PATH, access.deadline()),
                response -> {
                    WebOverview.Reading reading = WebOverview.read(response);
                    return MemberFanOut.Reading.of(reading.role(), reading.detail());
                });
        if (http.stream().anyMatch(a -> a.role() == Role.LEADER || a.role() == Role.FOLLOWER)) {
            return LeaderStatus.fromAnswers(http, "http " + httpMethod + " on every member", since(start));
        }
        Optional<LeaderStatus> quorumInfo = firstUnderstood(QUORUM_INFO, QuorumInfo::parse, this::fromQuorumInfo, start);
        if (quorumInfo.isPresent()) {
            return quorumInfo.get();
        }
        Optional<LeaderStatus> masterInfo = firstUnderstood(MASTER_INFO, MasterInfo::parse, this::fromMasterInfo, start);
        return masterInfo.orElseGet(() -> LeaderStatus.fromAnswers(http, "http " + httpMethod
                + " on every member; no member told its role, and neither `" + String.join(" ", QUORUM_INFO)
                + "` nor `" + String.join(" ", MASTER_INFO) + "` gave an answer", since(start)));
    }

    /**
     * Runs {@code argv} in every member's container at once and builds a status from the first output
     * {@code parser} understands, without waiting for slower members. Empty if none was understood.
     */
    private <T> Optional<LeaderStatus> firstUnderstood(List<String> argv, Function<String, Optional<T>> parser,
            BiFunction<T, Ran, LeaderStatus> toStatus, long start) {
        CompletableFuture<Optional<LeaderStatus>> first = new CompletableFuture<>();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (Member member : members) {
            long ranAt = System.nanoTime();
            runs.add(bounded(() -> access.exec().exec(member, AlluxioNames.CONTAINER, argv, access.deadline()))
                    .handle((result, error) -> {
                        if (error == null && result.exitCode() == 0) {
                            parser.apply(result.stdout()).ifPresent(parsed -> first.complete(Optional.of(
                                    toStatus.apply(parsed, new Ran(member, argv, since(ranAt), start)))));
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> first.complete(Optional.empty()));
        return first.join();
    }

    /** Where and how a command's answer came from. */
    private record Ran(Member member, List<String> argv, Duration latency, long discoveryStart) {
        String method() {
            return "exec `" + String.join(" ", argv) + "` in " + member.podName() + " (http: no member told its role)";
        }
    }

    private LeaderStatus fromQuorumInfo(QuorumInfo info, Ran ran) {
        List<MemberAnswer> answers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            HostAndPort address = journalAddresses.get(i);
            Role role;
            String detail;
            if (MemberAddress.same(address, info.leader())) {
                role = Role.LEADER;
                detail = "quorum leader";
            } else {
                Optional<QuorumInfo.Server> row = info.servers().stream()
                        .filter(server -> MemberAddress.same(server.address(), address))
                        .findFirst();
                role = row.map(server -> server.available() ? Role.FOLLOWER : Role.UNREACHABLE).orElse(Role.UNKNOWN);
                detail = row.map(server -> server.available() ? "AVAILABLE" : "UNAVAILABLE")
                        .orElse("not in the quorum table");
            }
            answers.add(new MemberAnswer(members.get(i), role, String.join(" ", ran.argv()), ran.latency(), detail));
        }
        if (journalAddresses.stream().noneMatch(address -> MemberAddress.same(address, info.leader()))) {
            return foreignLeader(answers, "quorum leader " + info.leader() + " is not a configured journal address", ran);
        }
        return LeaderStatus.fromAnswers(answers, ran.method(), since(ran.discoveryStart()));
    }

    /**
     * {@code fs masterInfo} names the leader and nothing about the others, so they are UNKNOWN. A leader that
     * serves was elected by a majority, so the quorum is at least DEGRADED; that is all this answer can say.
     */
    private LeaderStatus fromMasterInfo(MasterInfo info, Ran ran) {
        String method = String.join(" ", ran.argv());
        if (members.size() == 1) {
            // With one rpc address the client echoes it without asking the master: it proves nothing.
            List<MemberAnswer> unknown = List.of(new MemberAnswer(members.get(0), Role.UNKNOWN, method, ran.latency(),
                    "with a single master, fs masterInfo echoes the configured address without asking it"));
            return new LeaderStatus(Optional.empty(), Health.UNKNOWN, unknown, ran.method()
                    + "; a single master's own address proves nothing", since(ran.discoveryStart()));
        }
        Optional<Integer> leader = info.leader().flatMap(address -> indexOf(rpcAddresses, address));
        List<MemberAnswer> answers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            boolean leads = leader.isPresent() && leader.get() == i;
            answers.add(new MemberAnswer(members.get(i), leads ? Role.LEADER : Role.UNKNOWN, method, ran.latency(),
                    leads ? "current leader master" : info.leader().isPresent()
                            ? "fs masterInfo tells nothing of standbys"
                            : "fs masterInfo found no leader"));
        }
        if (info.leader().isPresent() && leader.isEmpty()) {
            return foreignLeader(answers, "leader " + info.leader().get() + " is not a configured rpc address", ran);
        }
        if (leader.isEmpty()) {
            return LeaderStatus.fromAnswers(answers, ran.method(), since(ran.discoveryStart()));
        }
        return new LeaderStatus(Optional.of(members.get(leader.get())), Health.DEGRADED, answers,
                ran.method() + "; standbys unknown", since(ran.discoveryStart()));
    }

    private LeaderStatus foreignLeader(List<MemberAnswer> answers, String why, Ran ran) {
        List<MemberAnswer> noted = answers.stream()
                .map(a -> new MemberAnswer(a.member(), a.role() == Role.LEADER ? Role.UNKNOWN : a.role(), a.method(),
                        a.latency(), a.detail()))
                .toList();
        return new LeaderStatus(Optional.empty(), Health.UNKNOWN, noted, ran.method() + "; " + why,
                since(ran.discoveryStart()));
    }

    private static Optional<Integer> indexOf(List<HostAndPort> addresses, HostAndPort address) {
        for (int i = 0; i < addresses.size(); i++) {
            if (MemberAddress.same(addresses.get(i), address)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** {@code call}'s future, bounded by the access deadline; see {@link MemberFanOut#bounded}. */
    private <T> CompletableFuture<T> bounded(java.util.function.Supplier<CompletableFuture<T>> call) {
        return MemberFanOut.bounded(call, access.deadline());
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
