package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.schemas.registry.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSecurityTest {

    @TempDir
    Path dir;

    @Test
    void fileThenEnvironmentSplitIntoKafkaAndRegistrySettings() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.write(
                file,
                List.of(
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"cli\" password=\"from-file\";",
                        "ssl.truststore.location=/tmp/trust.p12",
                        "basic.auth.credentials.source=USER_INFO",
                        "basic.auth.user.info=cli:from-file",
                        "schema.registry.ssl.truststore.location=/tmp/trust.p12",
                        "bootstrap.servers=ignored:9092",
                        "acks=all"));
        ClientSecurity security = ClientSecurity.load(
                file,
                Map.of(
                        "STREAMGUARD_BASIC_AUTH_USER_INFO", "cli:from-env",
                        "STREAMGUARD_BOOTSTRAP", "not-a-security-key:1",
                        "HOME", "/home/someone"));

        assertThat(security.kafka())
                .containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location")
                .containsEntry("security.protocol", "SASL_SSL");
        Map<String, Object> registry = security.registry("https://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(registry)
                .containsOnlyKeys(
                        RegistryConfig.URL,
                        "basic.auth.credentials.source",
                        "basic.auth.user.info",
                        "schema.registry.ssl.truststore.location")
                .containsEntry("basic.auth.user.info", "cli:from-env");
        RegistryConfig parsed = RegistryConfig.fromMap(registry);
        assertThat(parsed.basicAuth())
                .hasValueSatisfying(auth -> assertThat(auth.password()).isEqualTo("from-env"));
        assertThat(parsed.truststore()).isPresent();
        assertThat(security.toString()).doesNotContain("from-file", "from-env");
    }

    @Test
    void noFileAndNoVariablesIsPlaintextAndAnonymous() {
        ClientSecurity security = ClientSecurity.load(null, Map.of("PATH", "/usr/bin"));
        assertThat(security.isEmpty()).isTrue();
        assertThat(security.kafka()).isEmpty();
        assertThat(security.registry("http://127.0.0.1:8081")).containsOnlyKeys(RegistryConfig.URL);
    }

    @Test
    void anUnreadableFileIsOneLine() {
        assertThatThrownBy(() -> ClientSecurity.load(dir.resolve("missing.properties"), Map.of()))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("cannot read client config");
    }
}
