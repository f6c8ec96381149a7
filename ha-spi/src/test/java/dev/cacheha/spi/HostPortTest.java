package dev.cacheha.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void aDnsNameRendersAsHostColonPort() {
        assertThat(new HostPort("a-master-0.a-master.ns.svc.cluster.local", 19200))
                .hasToString("a-master-0.a-master.ns.svc.cluster.local:19200");
    }

    @Test
    void anIpv6LiteralRendersInBrackets() {
        assertThat(new HostPort("::1", 80)).hasToString("[::1]:80");
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = {0, -1, 65536})
    void aNumberOutsideThePortRangeIsRefused(int port) {
        assertThatIllegalArgumentException().isThrownBy(() -> new HostPort("host", port))
                .withMessageContaining(Integer.toString(port));
    }

    @ParameterizedTest(name = "host \"{0}\"")
    @ValueSource(strings = {"", " ", "a b", "a\nb", "[::1]"})
    void aHostThatCannotBeWrittenAsOneAddressIsRefused(String host) {
        assertThatIllegalArgumentException().isThrownBy(() -> new HostPort(host, 80));
    }
}
