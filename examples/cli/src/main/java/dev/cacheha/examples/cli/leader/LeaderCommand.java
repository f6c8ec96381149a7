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
                    + " which cache-ha's plan turns on). The number of members must be odd (1, 3, 5 or 7)."
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
        List<HostAndPort> addresses = addresses(problems);
        SpecValidationException.throwIfAny(problems);

        HaSpec spec = HaSpec.builder(RUNTIME, "default").replicas(addresses.size()).build();
        // Member i is the i-th --member, whatever host and port the provider would use in a cluster.
        HttpMemberProbe probe = HttpMemberProbe.create((member, port) -> {
            HostAndPort typed = addresses.get(member.ordinal());
            return new HostPort(typed.getHost(), typed.getPort());
        });
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

    private List<HostAndPort> addresses(List<Violation> problems) {
        List<HostAndPort> addresses = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i);
            try {
                HostAndPort address = HostAndPort.fromString(member.trim()).requireBracketsForIPv6();
                if (!address.hasPort() || address.getHost().isEmpty()) {
                    throw new IllegalArgumentException("no port");
                }
                addresses.add(address);
            } catch (IllegalArgumentException notAnAddress) {
                problems.add(new Violation("--member[" + i + "]", "\"" + member + "\" is not HOST:PORT"));
            }
        }
        if (members.size() % 2 == 0 || members.size() > MAX_MEMBERS) {
            problems.add(new Violation("--member", members.size() + " members given; a raft quorum has an odd"
                    + " number of members: give 1, 3, 5 or 7, one --member per master"));
        }
        return addresses;
    }
}
