package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.LeaderDiscovery;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.LeaderStatus.MemberAnswer;
import dev.cacheha.spi.LeaderStatus.Role;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.toolkit.QuorumNames;
import dev.cacheha.toolkit.discovery.MemberFanOut;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Finds the leading Alluxio master by asking every member, at once, for its own role.
 *
 * <ol>
 *   <li>HTTP: {@code GET} {@value WebOverview#PATH} on each member's web port. A member is leader only if it
 *       says LEADER itself and a majority stands behind it: a follower that names another member as its leader
 *       ({@code leaderId}, mapped to the plan's journal addresses), or a leader that is no one member (an
 *       unreadable {@code leaderId}, an address of no member or of several), counts against it; health follows
 *       {@link LeaderStatus#fromAnswers}. A member that does not answer within the access deadline is
 *       UNREACHABLE and delays nothing beyond that deadline.</li>
 *   <li>Only if no member told its role over HTTP: Alluxio's CLI, one command at a time and with its own
 *       deadline ({@link ExecFallback}).</li>
 * </ol>
 * Addresses in command output are matched against the plan's journal and rpc addresses: a leader that is not
 * a configured member is never named (the health is then UNKNOWN). Text that is not understood gives UNKNOWN
 * with an excerpt of it in the detail; every answer is read in one pass and capped, so its size costs no more
 * than reading it. {@link #discover()} never throws for anything a member does and returns within one access
 * deadline when any member tells its role over HTTP, and otherwise within one access deadline plus two
 * {@linkplain ExecFallback#COMMAND_DEADLINE command deadlines}, however the members behave.
 */
public final class AlluxioLeaderDiscovery implements LeaderDiscovery {

    private final List<Member> members;
    private final int webPort;
    private final List<HostAndPort> journalAddresses;
    private final ClusterAccess access;
    private final String httpMethod;
    private final ExecFallback fallback;

    /** A discovery of {@code spec}'s masters through {@code access}. The spec must be valid for Alluxio. */
    public AlluxioLeaderDiscovery(HaSpec spec, ClusterAccess access) {
        this(spec, access, ExecFallback.COMMAND_DEADLINE);
    }

    /** As above, with another deadline for each fallback command (tests of scripted pods). */
    AlluxioLeaderDiscovery(HaSpec spec, ClusterAccess access, Duration commandDeadline) {
        QuorumNames names = AlluxioNames.of(spec);
        AlluxioPorts ports = AlluxioPorts.of(spec);
        this.members = names.members();
        this.webPort = ports.web();
        // Command output and leader ids are matched with the parsers' address type.
        this.journalAddresses = parserAddresses(names, ports.journal());
        this.access = access;
        this.httpMethod = "GET :" + webPort + WebOverview.PATH;
        this.fallback = new ExecFallback(spec.namespace() + "/" + spec.name(), members, journalAddresses,
                parserAddresses(names, ports.rpc()), access.exec(), commandDeadline);
    }

    @Override
    public LeaderStatus discover() {
        long start = System.nanoTime();
        List<MemberAnswer> http = askEveryMemberOverHttp();
        String method = "http " + httpMethod + " on every member";
        if (http.stream().anyMatch(a -> a.role() == Role.LEADER || a.role() == Role.FOLLOWER)) {
            return LeaderStatus.fromAnswers(http, method, since(start));
        }
        ExecFallback.Outcome cli = fallback.ask(fallbackOrder(http), start);
        return cli.status().orElseGet(() -> LeaderStatus.fromAnswers(http, method + "; no member told its role,"
                + " and the CLI gave no answer: " + cli.note(), since(start)));
    }

    /** Every member's answer within one deadline, through the toolkit's fan-out. */
    private List<MemberAnswer> askEveryMemberOverHttp() {
        return new MemberFanOut(members, access.deadline()).ask(httpMethod,
                member -> access.probe().get(member, webPort, WebOverview.PATH, access.deadline()),
                this::reading);
    }

    private MemberFanOut.Reading reading(MemberProbe.Response response) {
        WebOverview.Reading reading = WebOverview.read(response);
        if (reading.unreadableLeader().isPresent()) {
            return MemberFanOut.Reading.followerOfUnknown(reading.unreadableLeader().get(), reading.detail());
        }
        if (reading.follows().isEmpty()) {
            return MemberFanOut.Reading.of(reading.role(), reading.detail());
        }
        HostAndPort named = reading.follows().get();
        List<Member> matching = membersAt(named);
        if (matching.size() == 1) {
            return MemberFanOut.Reading.followerOf(matching.get(0), reading.detail());
        }
        String leaderId = named.getHost() + "_" + named.getPort();
        return MemberFanOut.Reading.followerOfUnknown("leaderId " + leaderId, "leaderId " + leaderId + " is "
                + (matching.isEmpty() ? "not a configured journal address" : "the journal address of "
                        + matching.size() + " members"));
    }

    private static List<HostAndPort> parserAddresses(QuorumNames names, int port) {
        return names.addresses(port).stream()
                .map(address -> HostAndPort.fromParts(address.host(), address.port())).toList();
    }

    /** The members whose journal address is {@code journalAddress}: one, or none, or (misconfigured) several. */
    private List<Member> membersAt(HostAndPort journalAddress) {
        return IntStream.range(0, journalAddresses.size())
                .filter(i -> MemberAddress.same(journalAddresses.get(i), journalAddress))
                .mapToObj(members::get)
                .toList();
    }

    /**
     * Members that answered HTTP somehow (an error page, a refusal) first: their pods run; those that kept
     * silent last, since a frozen pod would hold a command as long as a probe.
     */
    private static List<Member> fallbackOrder(List<MemberAnswer> http) {
        return http.stream()
                .sorted(Comparator.comparing((MemberAnswer a) -> a.detail().startsWith("no answer within"))
                        .thenComparingInt(a -> a.member().ordinal()))
                .map(MemberAnswer::member)
                .toList();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
