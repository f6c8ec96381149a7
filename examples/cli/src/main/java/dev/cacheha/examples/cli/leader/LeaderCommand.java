package dev.cacheha.examples.cli.leader;

import com.google.common.net.HostAndPort;
import dev.cacheha.examples.cli.BuildVersion;
import dev.cacheha.examples.cli.CacheHaCommand;
import dev.cacheha.examples.cli.DurationConverter;
import dev.cacheha.examples.cli.EngineChoice;
import dev.cacheha.examples.cli.ExitCodes;
import dev.cacheha.spi.ClusterAccess;
import dev.cacheha.spi.HaSpec;
import dev.cacheha.spi.HighAvailabilityProvider;
import dev.cacheha.spi.HostPort;
import dev.cacheha.spi.LeaderStatus;
import dev.cacheha.spi.MemberProbe;
import dev.cacheha.spi.PodExec;
import dev.cacheha.spi.SpecValidationException;
import dev.cacheha.spi.Violation;
import dev.cacheha.toolkit.discovery.HttpMemberProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cache-ha leader}: asks every member of a running quorum who leads. */
@Command(
        name = "leader",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        sortOptions = false,
        description = {
            "Asks every member of a running quorum, in parallel, who leads, and prints the leader and a table"
                    + " of members with role, latency and method.",
            "Member i of the quorum is the i-th --member: every request the engine's provider makes to member i"
                    + " goes to that host:port, whatever port the provider would use in a cluster. So give each"
                    + " master's web address (Alluxio: the web port, 19999 by default; every master must serve it,"
                    + " which cache-ha's plan turns on). The number of members must be odd (1, 3, 5 or 7).",
            "Followers name their leader by its raft journal address; --journal says where member i's journal"
                    + " listens (default: the --member host with the engine's journal port), so that a follower"
                    + " naming an address of no member counts against the claimant."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:a leader was found (health HEALTHY or DEGRADED)",
            "2:bad input; nothing was asked",
            "3:NO_QUORUM: no member leads, or fewer than a majority answered",
            "4:UNKNOWN: the answers contradict each other (more than one member says it leads)"
        })
public final class LeaderCommand implements Callable<Integer> {

    /** Runtime name of the spec built for the members; it only names the members internally. */
    private static final String RUNTIME = "cache-ha-leader";
    private static final int MAX_MEMBERS = 7;

    @ParentCommand
    private CacheHaCommand root;

    @Option(names = "--engine", required = true, description = "The engine, as listed by 'cache-ha providers'.")
    private String engine;

    @Option(names = "--member", required = true, paramLabel = "HOST:WEBPORT",
            description = "A member's address; repeat once per member, in ordinal order.")
    private List<String> members;

    @Option(names = "--journal", paramLabel = "HOST:PORT",
            description = "Member i's raft journal address, as followers name their leader; repeat once per member,"
                    + " in ordinal order, or give none (then: the --member host with the engine's journal port).")
    private List<String> journals = new ArrayList<>();

    @Option(names = "--json", description = "Print the status as JSON instead of a table.")
    private boolean json;

    @Option(names = "--timeout", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long each member may take to answer (default: ${DEFAULT-VALUE}); 500ms, 2s, 1m;"
                    + " from 1ms to 1 hour.")
    private Duration timeout;

    @Override
    public Integer call() {
        List<Violation> problems = new ArrayList<>();
        Optional<HighAvailabilityProvider> provider =
                EngineChoice.find(root.providers(), engine, "--engine", problems);
        List<HostAndPort> addresses = addresses(members, "--member", problems);
        List<HostAndPort> journalAddresses = addresses(journals, "--journal", problems);
        SpecValidationException.throwIfAny(problems);

        HaSpec spec = HaSpec.builder(RUNTIME, "default").replicas(addresses.size()).build(provider.orElseThrow());
        List<HostPort> planJournals = provider.orElseThrow().plan(spec).journalAddresses();
        JournalAddressTranslation translation = new JournalAddressTranslation(
                realJournals(addresses, journalAddresses, planJournals), planJournals);
        // Member i is the i-th --member, whatever host and port the provider would use in a cluster.
        HttpMemberProbe http = HttpMemberProbe.create((member, port) -> {
            HostAndPort typed = addresses.get(member.ordinal());
            return new HostPort(typed.getHost(), typed.getPort());
        });
        MemberProbe probe = (member, port, path, deadline) -> http.get(member, port, path, deadline)
                .thenApply(translation::translate);
        ClusterAccess access = new ClusterAccess(probe, PodExec.unavailable(), timeout);
        LeaderStatus status = provider.orElseThrow().leaderDiscovery(spec, access).discover();
        LeaderReport report = new LeaderReport(engine, status, ordinal -> addresses.get(ordinal).toString());
        root.out().print(json ? report.json() : report.text());
        root.out().flush();
        return switch (status.health()) {
            case HEALTHY, DEGRADED -> ExitCodes.OK;
            case NO_QUORUM -> ExitCodes.NO_QUORUM;
            case UNKNOWN -> ExitCodes.UNKNOWN;
        };
    }

    private List<HostAndPort> addresses(List<String> given, String option, List<Violation> problems) {
        List<HostAndPort> addresses = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String address = given.get(i);
            try {
                HostAndPort parsed = HostAndPort.fromString(address.trim()).requireBracketsForIPv6();
                if (!parsed.hasPort() || parsed.getHost().isEmpty()) {
                    throw new IllegalArgumentException("no port");
                }
                addresses.add(parsed);
            } catch (IllegalArgumentException notAnAddress) {
                problems.add(new Violation(option + "[" + i + "]", "\"" + address + "\" is not HOST:PORT"));
            }
        }
        if (option.equals("--member") && (given.size() % 2 == 0 || given.size() > MAX_MEMBERS)) {
            problems.add(new Violation("--member", given.size() + " members given; a raft quorum has an odd"
                    + " number of members: give 1, 3, 5 or 7, one --member per master"));
        }
        if (option.equals("--journal") && !given.isEmpty() && given.size() != members.size()) {
            problems.add(new Violation("--journal", given.size() + " journal addresses for " + members.size()
                    + " members: give one --journal per --member, or none"));
        }
        return addresses;
    }

    /**
     * Where each member's journal really listens: as given, or the member's host with the plan's journal port.
     * Two members at one address could not be told apart in a follower's answer, so that is bad input.
     */
    private List<HostPort> realJournals(List<HostAndPort> addresses, List<HostAndPort> given,
            List<HostPort> planJournals) {
        List<HostPort> real = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            real.add(given.isEmpty() ? new HostPort(addresses.get(i).getHost(), planJournals.get(i).port())
                    : new HostPort(given.get(i).getHost(), given.get(i).getPort()));
        }
        List<Violation> problems = new ArrayList<>();
        for (int i = 0; i < real.size(); i++) {
            for (int j = 0; j < i; j++) {
                HostPort a = real.get(i);
                HostPort b = real.get(j);
                if (a.host().equalsIgnoreCase(b.host()) && a.port() == b.port()) {
                    problems.add(new Violation(given.isEmpty() ? "--member[" + i + "]" : "--journal[" + i + "]",
                            "member " + i + "'s journal address " + real.get(i) + " is member " + j + "'s too;"
                                    + " followers name their leader by it, so give each member its own"
                                    + (given.isEmpty() ? " (--journal HOST:PORT, once per member)" : "")));
                }
            }
        }
        SpecValidationException.throwIfAny(problems);
        return real;
    }
}
