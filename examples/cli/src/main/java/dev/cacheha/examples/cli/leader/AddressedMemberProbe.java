package dev.cacheha.examples.cli.leader;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import dev.cacheha.spi.Member;
import dev.cacheha.spi.MemberProbe;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * Sends every request for member {@code i} to the {@code i}-th of a list of addresses, whatever host and port
 * the provider asked for: the command line names the members by address, not by pod DNS name.
 */
final class AddressedMemberProbe implements MemberProbe {

    private final MemberProbe delegate;
    private final List<HostAndPort> addresses;

    /**
     * @param delegate the probe that performs the request
     * @param addresses the address of each member, by ordinal; each has a port
     */
    AddressedMemberProbe(MemberProbe delegate, List<HostAndPort> addresses) {
        this.delegate = requireNonNull(delegate, "delegate");
        this.addresses = List.copyOf(addresses);
    }

    @Override
    public CompletableFuture<Response> get(Member member, int port, String path, Duration deadline) {
        if (member.ordinal() >= addresses.size()) {
            return CompletableFuture.failedFuture(new NoSuchElementException("no address for member "
                    + member.ordinal() + "; " + addresses.size() + " were given"));
        }
        HostAndPort address = addresses.get(member.ordinal());
        Member addressed = new Member(member.ordinal(), member.namespace(), member.podName(), address.getHost());
        return delegate.get(addressed, address.getPort(), path, deadline);
    }
}
