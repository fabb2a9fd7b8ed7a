package io.streamguard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void onlyTheUrlIsRequiredAndEverythingElseHasDefaults() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(RegistryConfig.URL, "http://registry:8081"));

        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081"));
        assertThat(config.basicAuth()).isEmpty();
        assertThat(config.truststore()).isEmpty();
        assertThat(config.keystore()).isEmpty();
        assertThat(config.retries()).isEqualTo(3);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.serde()).isEqualTo(RegistryConfig.SerdeSettings.DEFAULTS);
        assertThat(config.serde().autoRegisterSchemas()).isTrue();
        assertThat(config.serde().useLatestVersion()).isFalse();
    }

    @Test
    void commaSeparatedUrlsKeepTheirPathPrefixWithoutTrailingSlash() {
        RegistryConfig config = RegistryConfig.fromMap(
                Map.of(RegistryConfig.URL, " http://a:8080/apis/ccompat/v7/ , https://b:8443/apis/ccompat/v7"));

        assertThat(config.urls())
                .containsExactly(
                        URI.create("http://a:8080/apis/ccompat/v7"), URI.create("https://b:8443/apis/ccompat/v7"));
    }

    @Test
    void urlsMayBeGivenAsAList() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(RegistryConfig.URL, List.of("http://a", "http://b")));

        assertThat(config.urls()).containsExactly(URI.create("http://a"), URI.create("http://b"));
    }

    @Test
    void everyPropertyIsRead() {
        Map<String, Object> props = new HashMap<>();
        props.put(RegistryConfig.URL, "https://registry:8443");
        props.put(RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        props.put(RegistryConfig.BASIC_AUTH_USER_INFO, "svc:secret");
        props.put(RegistryConfig.SSL_TRUSTSTORE_LOCATION, "/etc/trust.jks");
        props.put(RegistryConfig.SSL_TRUSTSTORE_PASSWORD, new Password("tpass"));
        props.put(RegistryConfig.SSL_KEYSTORE_LOCATION, "/etc/client.p12");
        props.put(RegistryConfig.SSL_KEYSTORE_PASSWORD, "kpass");
        props.put(RegistryConfig.SSL_KEYSTORE_TYPE, "PKCS12");
        props.put(RegistryConfig.SSL_KEY_PASSWORD, "keypass");
        props.put(RegistryConfig.AUTO_REGISTER_SCHEMAS, "false");
        props.put(RegistryConfig.USE_LATEST_VERSION, true);
        props.put(RegistryConfig.LATEST_CACHE_TTL_SEC, 60);
        props.put(RegistryConfig.RETRIES, "5");
        props.put(RegistryConfig.RETRY_BACKOFF_MS, 50L);
        props.put(RegistryConfig.REQUEST_TIMEOUT_MS, 1500);
        props.put(RegistryConfig.CONNECT_TIMEOUT_MS, "700");
        props.put("bootstrap.servers", "ignored:9092");

        RegistryConfig config = RegistryConfig.fromMap(props);

        assertThat(config.basicAuth()).contains(new RegistryConfig.BasicAuth("svc", "secret"));
        assertThat(config.truststore())
                .contains(new RegistryConfig.KeyStoreRef(Path.of("/etc/trust.jks"), "tpass", "JKS"));
        assertThat(config.keystore())
                .contains(new RegistryConfig.KeyStoreRef(Path.of("/etc/client.p12"), "kpass", "PKCS12"));
        assertThat(config.keyPassword()).contains("keypass");
        assertThat(config.serde())
                .isEqualTo(new RegistryConfig.SerdeSettings(false, true, Optional.of(Duration.ofSeconds(60))));
        assertThat(config.retries()).isEqualTo(5);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void userInfoWithoutCredentialsSourceIsStillUsed() {
        RegistryConfig config = RegistryConfig.fromMap(
                Map.of(RegistryConfig.URL, "http://r", "schema.registry.basic.auth.user.info", "u:p"));

        assertThat(config.basicAuth()).contains(new RegistryConfig.BasicAuth("u", "p"));
    }

    @Test
    void credentialsSourceUrlTakesThemFromTheUrlAndStripsThem() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(
                RegistryConfig.URL, "http://svc:p%40ss@registry:8081/prefix",
                RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL"));

        assertThat(config.basicAuth()).contains(new RegistryConfig.BasicAuth("svc", "p@ss"));
        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081/prefix"));
    }

    @Test
    void malformedValuesAreRejectedWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> RegistryConfig.fromMap(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RegistryConfig.URL);
        assertThatThrownBy(() -> RegistryConfig.fromMap(Map.of(RegistryConfig.URL, "ftp://r")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() ->
                        RegistryConfig.fromMap(Map.of(RegistryConfig.URL, "http://r", RegistryConfig.RETRIES, "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RegistryConfig.RETRIES);
        assertThatThrownBy(() ->
                        RegistryConfig.fromMap(Map.of(RegistryConfig.URL, "http://r", RegistryConfig.RETRIES, -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retries");
        assertThatThrownBy(() -> RegistryConfig.fromMap(
                        Map.of(RegistryConfig.URL, "http://r", RegistryConfig.AUTO_REGISTER_SCHEMAS, "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RegistryConfig.AUTO_REGISTER_SCHEMAS);
        assertThatThrownBy(() -> RegistryConfig.fromMap(Map.of(
                        RegistryConfig.URL, "http://r", RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "SASL_INHERIT")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SASL_INHERIT");
        assertThatThrownBy(() -> RegistryConfig.fromMap(Map.of(
                        RegistryConfig.URL, "http://r", RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RegistryConfig.BASIC_AUTH_USER_INFO);
        assertThatThrownBy(() -> RegistryConfig.fromMap(
                        Map.of(RegistryConfig.URL, "http://r", RegistryConfig.BASIC_AUTH_USER_INFO, "no-colon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user:password");
    }

    @Test
    void everyPropertyIsDeclaredOnceWithItsDefaultAndDocs() {
        ConfigDef def = RegistryConfig.configDef();
        assertThat(def.names())
                .contains(
                        RegistryConfig.URL,
                        RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                        RegistryConfig.BASIC_AUTH_USER_INFO,
                        "schema.registry.basic.auth.user.info",
                        RegistryConfig.SSL_TRUSTSTORE_LOCATION,
                        RegistryConfig.SSL_KEY_PASSWORD,
                        RegistryConfig.AUTO_REGISTER_SCHEMAS,
                        RegistryConfig.USE_LATEST_VERSION,
                        RegistryConfig.LATEST_CACHE_TTL_SEC,
                        RegistryConfig.RETRIES,
                        RegistryConfig.RETRY_BACKOFF_MS,
                        RegistryConfig.REQUEST_TIMEOUT_MS,
                        RegistryConfig.CONNECT_TIMEOUT_MS);
        assertThat(def.configKeys().values())
                .allSatisfy(key -> assertThat(key.documentation).isNotBlank());
        assertThat(def.defaultValues())
                .containsEntry(RegistryConfig.RETRIES, 3L)
                .containsEntry(RegistryConfig.CONNECT_TIMEOUT_MS, 10_000L)
                .containsEntry(RegistryConfig.AUTO_REGISTER_SCHEMAS, true);
        assertThat(def.toHtml()).contains(RegistryConfig.URL, "comma-separated URLs");
        assertThat(RegistryConfig.configDef())
                .as("a copy: callers cannot change the declaration")
                .isNotSameAs(def);
    }

    @Test
    void blankValuesReadAsUnsetAndNumbersOfAnyWidthAreAccepted() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(
                RegistryConfig.URL,
                "http://r",
                RegistryConfig.SSL_TRUSTSTORE_LOCATION,
                "/t.jks",
                RegistryConfig.SSL_TRUSTSTORE_TYPE,
                " ",
                RegistryConfig.BASIC_AUTH_USER_INFO,
                "",
                RegistryConfig.RETRIES,
                7L,
                RegistryConfig.AUTO_REGISTER_SCHEMAS,
                " FALSE "));

        assertThat(config.truststore()).contains(new RegistryConfig.KeyStoreRef(Path.of("/t.jks"), null, "JKS"));
        assertThat(config.basicAuth()).isEmpty();
        assertThat(config.retries()).isEqualTo(7);
        assertThat(config.serde().autoRegisterSchemas()).isFalse();
        assertThat(RegistryConfig.SerdeSettings.fromMap(Map.of(RegistryConfig.LATEST_CACHE_TTL_SEC, "30")))
                .isEqualTo(new RegistryConfig.SerdeSettings(true, false, Optional.of(Duration.ofSeconds(30))));
        assertThatThrownBy(() -> RegistryConfig.fromMap(
                        Map.of(RegistryConfig.URL, "http://r", RegistryConfig.CONNECT_TIMEOUT_MS, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RegistryConfig.CONNECT_TIMEOUT_MS);
    }

    @Test
    void toStringHidesSecrets() {
        RegistryConfig config = RegistryConfig.builder()
                .url("https://r")
                .basicAuth("svc", "hunter2")
                .truststore(Path.of("/t.jks"), "trustpw", "JKS")
                .keystore(Path.of("/k.p12"), "storepw", "PKCS12")
                .keyPassword("keypw")
                .build();

        assertThat(config.toString())
                .contains("svc", "/t.jks", "/k.p12")
                .doesNotContain("hunter2", "trustpw", "storepw", "keypw");
    }
}
