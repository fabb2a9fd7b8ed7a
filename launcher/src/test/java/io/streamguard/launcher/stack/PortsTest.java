package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.LauncherException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void portZeroIsAFreePortBelowTheEphemeralRange() throws Exception {
        int low = Ports.ephemeralLow();
        assertThat(low).isGreaterThan(Ports.LOWEST); // Linux's default is 32768
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = Ports.resolve(0, "test");
            assertThat(port).isBetween(Ports.LOWEST, low - 1);
            seen.add(port);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(Ports.LOOPBACK))) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
        assertThat(seen)
                .as("random, so two `up`s on one machine do not race for one port")
                .hasSizeGreaterThan(1);
    }

    @Test
    void aTakenPortIsNeverChosenAndIsReportedWhenAskedFor() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            int port = taken.getLocalPort();
            assertThat(Ports.resolve(port, "test"))
                    .as("an explicit port is used as given")
                    .isEqualTo(port);
            assertThatThrownBy(() -> Ports.requireFree(port, "Kafka"))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("Kafka port 127.0.0.1:" + port + " is already in use");
        }
        assertThatThrownBy(() -> Ports.resolve(70_000, "Kafka")).isInstanceOf(IllegalArgumentException.class);
    }
}
