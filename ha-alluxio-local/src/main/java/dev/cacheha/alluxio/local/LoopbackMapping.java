package dev.cacheha.alluxio.local;

import com.google.common.net.HostAndPort;
import dev.cacheha.alluxio.AlluxioNames;
import dev.cacheha.alluxio.AlluxioPorts;
import dev.cacheha.alluxio.AlluxioProperties;
import dev.cacheha.spi.HaPlan;
import dev.cacheha.spi.HaSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a plan made for Kubernetes runs on one machine: every member becomes {@code localhost} with its own free
 * ports, and nothing else changes. This is the whole mapping, kept in one place so a reader sees exactly what
 * differs from the plan:
 * <ul>
 *   <li>every {@code <member host>:<plan port>} in a property value becomes {@code localhost:<that member's
 *       local port>};</li>
 *   <li>the per-pod port keys in {@link AlluxioProperties#PORT_PROPERTIES} take the member's local port (in
 *       Kubernetes every pod has the same ports on its own IP; on one machine they must differ);</li>
 *   <li>the journal folder (a volume mount in the pod) becomes the member's own directory.</li>
 * </ul>
 * The reverse, {@link #toPlanAddresses(String)}, turns local addresses in a master's output back into the
 * plan's, so callers see what they would see in the cluster.
 */
public final class LoopbackMapping {

    /** The host every member becomes. */
    public static final String LOOPBACK_HOST = "localhost";

    /** {@code localhost}, optionally {@code /<unresolved>} or an IP as Java prints socket addresses, then a port. */
    private static final Pattern LOCAL_ADDRESS =
            Pattern.compile("\\blocalhost(/<unresolved>:|/127\\.0\\.0\\.1:|:|_)(\\d{1,5})\\b");

    private final List<String> planHosts;
    private final AlluxioPorts planPorts;
    private final List<AlluxioPorts> localPorts;
    private final Map<HostAndPort, HostAndPort> toLocal;
    private final Map<Integer, HostAndPort> toPlan;

    LoopbackMapping(HaSpec spec, List<AlluxioPorts> localPorts) {
        this(AlluxioNames.of(spec).members().stream().map(m -> m.host()).toList(), AlluxioPorts.of(spec),
                localPorts);
    }

    private LoopbackMapping(List<String> planHosts, AlluxioPorts planPorts, List<AlluxioPorts> localPorts) {
        this.planHosts = List.copyOf(planHosts);
        this.planPorts = planPorts;
        this.localPorts = List.copyOf(localPorts);
        if (localPorts.size() != planHosts.size()) {
            throw new IllegalArgumentException("one set of local ports per member: " + planHosts.size()
                    + " members, " + localPorts.size() + " sets");
        }
        Map<HostAndPort, HostAndPort> local = new HashMap<>();
        Map<Integer, HostAndPort> plan = new HashMap<>();
        for (int ordinal = 0; ordinal < planHosts.size(); ordinal++) {
            List<Integer> planNumbers = planPorts.inNameOrder();
            List<Integer> localNumbers = localPorts.get(ordinal).inNameOrder();
            for (int i = 0; i < planNumbers.size(); i++) {
                HostAndPort planAddress = HostAndPort.fromParts(planHosts.get(ordinal), planNumbers.get(i));
                local.put(planAddress, HostAndPort.fromParts(LOOPBACK_HOST, localNumbers.get(i)));
                if (plan.put(localNumbers.get(i), planAddress) != null) {
                    throw new IllegalArgumentException("local port " + localNumbers.get(i) + " is used twice");
                }
            }
        }
        this.toLocal = Map.copyOf(local);
        this.toPlan = Map.copyOf(plan);
    }

    /** A mapping for {@code spec} with free ports from the operating system, distinct across all members. */
    static LoopbackMapping withFreePorts(HaSpec spec) {
        return withFreePorts(AlluxioNames.of(spec).members().stream().map(m -> m.host()).toList(),
                AlluxioPorts.of(spec));
    }

    /**
     * A mapping for members at {@code planHosts} (by ordinal), each with {@code planPorts} in the plan, with free
     * ports from the operating system, distinct across all members: for a node agent, which learns the hosts and
     * ports from the pods it runs.
     */
    public static LoopbackMapping withFreePorts(List<String> planHosts, AlluxioPorts planPorts) {
        int perMember = AlluxioPorts.NAMES.size();
        int members = planHosts.size();
        List<ServerSocket> held = new ArrayList<>();
        try {
            // Hold every socket until all are taken so the OS cannot hand out one port twice.
            for (int i = 0; i < members * perMember; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            List<AlluxioPorts> ports = new ArrayList<>();
            for (int ordinal = 0; ordinal < members; ordinal++) {
                int[] p = held.subList(ordinal * perMember, (ordinal + 1) * perMember).stream()
                        .mapToInt(ServerSocket::getLocalPort).toArray();
                ports.add(new AlluxioPorts(p[0], p[1], p[2], p[3], p[4], p[5]));
            }
            return new LoopbackMapping(planHosts, planPorts, ports);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reserve free loopback ports", e);
        } finally {
            held.forEach(LoopbackMapping::closeQuietly);
        }
    }

    /** The plan's host of every member, by ordinal. */
    List<String> memberHosts() {
        return planHosts;
    }

    /** Member {@code ordinal}'s local ports. */
    public AlluxioPorts localPorts(int ordinal) {
        return localPorts.get(ordinal);
    }

    /** The local port behind plan port {@code planPort} of member {@code ordinal}. */
    public int localPort(int ordinal, int planPort) {
        HostAndPort local = toLocal.get(HostAndPort.fromParts(planHosts.get(ordinal), planPort));
        if (local == null) {
            throw new IllegalArgumentException(planPort + " is not a port of the plan " + planPorts);
        }
        return local.getPort();
    }

    /**
     * The plan's properties as member {@code ordinal} runs them locally, with its journal in {@code journalDir}.
     *
     * @throws IllegalStateException if a property still names a member's host after mapping: the plan uses an
     *     address the mapping does not know, so it could not run here either
     */
    Map<String, String> memberProperties(HaPlan plan, int ordinal, String journalDir) {
        return memberProperties(plan.properties(), ordinal, journalDir);
    }

    /** {@code properties} (such as a site file a pod assembled) as member {@code ordinal} runs them locally. */
    Map<String, String> memberProperties(Map<String, String> properties, int ordinal, String journalDir) {
        Map<String, String> mapped = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            ToIntFunction<AlluxioPorts> port = AlluxioProperties.PORT_PROPERTIES.get(key);
            if (port != null) {
                mapped.put(key, Integer.toString(port.applyAsInt(localPorts.get(ordinal))));
            } else if (key.equals(AlluxioProperties.JOURNAL_FOLDER_KEY)) {
                mapped.put(key, journalDir);
            } else {
                mapped.put(key, toLocalAddresses(key, value));
            }
        });
        return mapped;
    }

    private String toLocalAddresses(String key, String value) {
        String mapped = Arrays.stream(value.split(",", -1))
                .map(element -> {
                    try {
                        HostAndPort address = HostAndPort.fromString(element.strip());
                        return address.hasPort() ? toLocal.getOrDefault(address, address).toString() : element;
                    } catch (IllegalArgumentException notAnAddress) {
                        return element;
                    }
                })
                .collect(Collectors.joining(","));
        planHosts.stream().filter(mapped::contains).findFirst().ifPresent(host -> {
            throw new IllegalStateException("property " + key + "=" + value + " names " + host
                    + " with a port the plan does not give its members " + planPorts);
        });
        return mapped;
    }

    /**
     * {@code argument} as it reaches a member here: a member's plan address ({@code <member host>:<plan port>},
     * such as a CLI's {@code -address}) as its local one, as cluster DNS would resolve it in a pod; any other
     * argument as it is.
     */
    String toLocalAddress(String argument) {
        try {
            HostAndPort address = HostAndPort.fromString(argument);
            return address.hasPort() && toLocal.containsKey(address) ? toLocal.get(address).toString() : argument;
        } catch (IllegalArgumentException notAnAddress) {
            return argument;
        }
    }

    /**
     * {@code text} with every local member address ({@code localhost:<port>}, {@code localhost/<unresolved>:<port>},
     * {@code localhost_<port>}) written as the plan's {@code <member host>:<plan port>} in the same form.
     * Addresses of ports this mapping did not hand out are left alone.
     */
    public String toPlanAddresses(String text) {
        Matcher matcher = LOCAL_ADDRESS.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            HostAndPort plan = toPlan.get(Integer.parseInt(matcher.group(2)));
            String replacement = plan == null
                    ? matcher.group()
                    : plan.getHost() + matcher.group(1) + plan.getPort();
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The port was only reserved; a failed close changes nothing for the caller.
        }
    }
}
