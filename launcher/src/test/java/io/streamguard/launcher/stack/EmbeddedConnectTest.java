package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Process handling of the Connect worker launcher; the real worker runs in integration-tests/. */
class EmbeddedConnectTest {
    @TempDir
    Path tmp;

    @Test
    void homeComesFromEnvThenPropertyThenCheckoutThenWorkingDir() {
        Properties sys = new Properties();
        assertThat(EmbeddedConnect.defaultHome(Map.of(), sys)).isEqualTo(Path.of("embedded-connect/target/connect"));

        sys.setProperty("streamguard.home", "/repo");
        assertThat(EmbeddedConnect.defaultHome(Map.of(), sys))
                .isEqualTo(Path.of("/repo/embedded-connect/target/connect"));

        sys.setProperty("streamguard.connect.home", "/from/property");
        assertThat(EmbeddedConnect.defaultHome(Map.of(), sys)).isEqualTo(Path.of("/from/property"));

        assertThat(EmbeddedConnect.defaultHome(Map.of("STREAMGUARD_CONNECT_HOME", "/from/env"), sys))
                .isEqualTo(Path.of("/from/env"));
    }

    @Test
    void aWorkerThatIsNotBuiltIsAClearError() {
        Path missing = tmp.resolve("nope");

        assertThatThrownBy(() -> EmbeddedConnect.builder()
                        .bootstrapServers("127.0.0.1:1")
                        .home(missing)
                        .port(0)
                        .dataDir(tmp)
                        .launch())
                .isInstanceOf(LauncherException.class)
                .hasMessageStartingWith("Connect worker not found at " + missing)
                .hasMessageContaining("mvn -pl embedded-connect -am package")
                .hasMessageContaining("STREAMGUARD_CONNECT_HOME");
    }

    @Test
    void aWorkerThatDiesDuringStartupReportsItsExitStatusAndLogTail() throws Exception {
        // lib/ without connect-runtime: the JVM starts, the main class is missing.
        Path home = tmp.resolve("connect");
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("plugins").resolve("some-plugin"));

        assertThatThrownBy(() -> EmbeddedConnect.builder()
                        .bootstrapServers("127.0.0.1:1")
                        .home(home)
                        .port(0)
                        .dataDir(tmp.resolve("data"))
                        .startupTimeout(Duration.ofSeconds(30))
                        .start())
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("Connect worker exited with status 1 during startup")
                .hasMessageContaining(tmp.resolve("data/connect/connect.log").toString())
                .hasMessageContaining("ClassNotFoundException: " + EmbeddedConnect.MAIN_CLASS);

        Properties written = new Properties();
        try (var in = Files.newBufferedReader(tmp.resolve("data/connect/worker.properties"))) {
            written.load(in);
        }
        assertThat(written)
                .containsEntry("bootstrap.servers", "127.0.0.1:1")
                .containsEntry("group.id", "streamguard-connect")
                .containsEntry("plugin.path", home.resolve("plugins").toString());
        assertThat(written.getProperty("listeners")).startsWith("http://127.0.0.1:");
    }

    @Test
    void workerConfigIsDistributedModeOnOneBroker() {
        Map<String, String> config = EmbeddedConnect.workerConfig("h:9092", 8083, Path.of("/c/plugins"));

        assertThat(config)
                .containsEntry("group.id", "streamguard-connect")
                .containsEntry("config.storage.topic", "connect-configs")
                .containsEntry("offset.storage.topic", "connect-offsets")
                .containsEntry("status.storage.topic", "connect-status")
                .containsEntry("config.storage.replication.factor", "1")
                .containsEntry("offset.storage.replication.factor", "1")
                .containsEntry("status.storage.replication.factor", "1")
                .containsEntry("offset.flush.interval.ms", "1000")
                .containsEntry("listeners", "http://127.0.0.1:8083")
                .containsEntry("plugin.path", "/c/plugins");
    }

    /**
     * docker-compose.yml runs a worker from connectors/worker/connect-distributed.properties: the same
     * worker as the embedded one but for its addresses and plugin path.
     */
    @Test
    void theComposeWorkerFileSaysWhatTheEmbeddedWorkerDoes() throws Exception {
        Properties file = new Properties();
        Path home = Path.of(System.getProperty(Checkout.HOME_PROPERTY, ".."));
        try (var in = Files.newBufferedReader(home.resolve("connectors/worker/connect-distributed.properties"))) {
            file.load(in);
        }
        Map<String, String> embedded = EmbeddedConnect.workerConfig("h:9092", 8083, Path.of("/c/plugins"));
        Set<String> addresses = Set.of(
                "bootstrap.servers", "listeners", "rest.advertised.host.name", "rest.advertised.port", "plugin.path");

        embedded.forEach((key, value) -> {
            if (!addresses.contains(key)) {
                assertThat(file.getProperty(key)).as(key).isEqualTo(value);
            }
        });
        assertThat(file.stringPropertyNames())
                .containsAll(embedded.keySet().stream()
                        .filter(k -> !k.startsWith("rest.advertised.port"))
                        .toList());
    }
}
