package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the addresses Alluxio prints, and compares them with the plan's without caring for host name case. */
final class MemberAddress {

    /**
     * {@code host:port}, or Java's socket address form {@code host/<unresolved>:port} or {@code host/10.0.0.5:port}.
     * IPv6 literals are not recognised: the plan names members by DNS name.
     */
    private static final Pattern ADDRESS =
            Pattern.compile("([A-Za-z0-9]([A-Za-z0-9.\\-]{0,252}[A-Za-z0-9])?)(/[^\\s:/]{0,64})?:(\\d{1,5})");

    private MemberAddress() {}

    /** The host and port of {@code text}, or empty if it is not an address in one of the forms above. */
    static Optional<HostAndPort> parse(String text) {
        Matcher matcher = ADDRESS.matcher(text.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(matcher.group(4));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(HostAndPort.fromParts(matcher.group(1), port));
    }

    /** Whether two addresses name the same host (DNS names ignore case) and port. */
    static boolean same(HostAndPort a, HostAndPort b) {
        return a.getPort() == b.getPort()
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT));
    }
}
