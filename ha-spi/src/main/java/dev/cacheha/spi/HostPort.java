package dev.cacheha.spi;

import static java.util.Objects.requireNonNull;

/**
 * A host and a port, such as a master's journal address {@code a-master-0.a-master.ns.svc.cluster.local:19200}.
 * The SPI's own small address type, so that no library's type appears in a public signature.
 *
 * @param host a DNS name or an IP literal, without brackets; never blank, never with white space
 * @param port 1 to 65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        requireNonNull(host, "host");
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("not a host: \"" + Printable.escape(host) + "\"");
        }
        if (host.startsWith("[")) {
            throw new IllegalArgumentException("give an IPv6 literal without brackets: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a port number (1 to 65535): " + port);
        }
    }

    /** {@code host:port}, with an IPv6 literal in brackets ({@code [::1]:80}), as URIs and engines write it. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
