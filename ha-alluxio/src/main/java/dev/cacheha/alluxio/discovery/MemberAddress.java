package dev.cacheha.alluxio.discovery;

import com.google.common.net.HostAndPort;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the addresses Alluxio prints, and compares them with the plan's without caring for host name case.
 * Hand-written and linear: the text comes from a member and may be anything.
 */
final class MemberAddress {

    private static final int MAX_HOST_CHARS = 253;
    private static final int MAX_RESOLVED_CHARS = 64;
    private static final int MAX_PORT_DIGITS = 5;

    private MemberAddress() {}

    /**
     * The host and port of {@code text}: {@code host:port}, or Java's socket address form
     * {@code host/<unresolved>:port} or {@code host/10.0.0.5:port}; empty for anything else. IPv6 literals are
     * not recognised: the plan names members by DNS name.
     */
    static Optional<HostAndPort> parse(String text) {
        String address = text.strip();
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String hostPart = address.substring(0, colon);
        int slash = hostPart.indexOf('/');
        if (slash >= 0 && !resolvedPart(hostPart.substring(slash + 1))) {
            return Optional.empty();
        }
        return address(slash >= 0 ? hostPart.substring(0, slash) : hostPart, address.substring(colon + 1));
    }

    /**
     * The host and port of a raft peer id as the web overview's {@code leaderId} writes it: {@code host_port}
     * (the embedded-journal address with an underscore); empty for anything else.
     */
    static Optional<HostAndPort> parsePeerId(String text) {
        int underscore = text.lastIndexOf('_');
        return underscore < 0 ? Optional.empty()
                : address(text.substring(0, underscore), text.substring(underscore + 1));
    }

    /** Whether two addresses name the same host (DNS names ignore case) and port. */
    static boolean same(HostAndPort a, HostAndPort b) {
        return a.getPort() == b.getPort()
                && a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT));
    }

    private static Optional<HostAndPort> address(String host, String port) {
        if (!hostName(host) || port.isEmpty() || port.length() > MAX_PORT_DIGITS
                || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int number = Integer.parseInt(port);
        return number < 1 || number > 65535 ? Optional.empty() : Optional.of(HostAndPort.fromParts(host, number));
    }

    /** Letters, digits, dots and dashes, starting and ending with a letter or digit. */
    private static boolean hostName(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_CHARS) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean edge = i == 0 || i == host.length() - 1;
            if (!(asciiLetterOrDigit(c) || !edge && (c == '.' || c == '-'))) {
                return false;
            }
        }
        return true;
    }

    /** What Java prints after the slash: {@code <unresolved>} or an address, without spaces, colons or slashes. */
    private static boolean resolvedPart(String text) {
        return text.length() <= MAX_RESOLVED_CHARS
                && text.chars().noneMatch(c -> Character.isWhitespace(c) || c == ':' || c == '/');
    }

    private static boolean asciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
