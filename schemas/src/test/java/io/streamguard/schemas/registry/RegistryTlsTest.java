package io.streamguard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.schemas.testing.FakeRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS against a self-signed registry, with trust and client certificates configured the Confluent way. */
class RegistryTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    static Path keystore;
    static Path truststore;

    /** One self-signed key pair for 127.0.0.1 serves as both server and client identity. */
    @BeforeAll
    static void createStores() throws Exception {
        keystore = dir.resolve("registry.p12");
        truststore = dir.resolve("trust.jks");
        Path cert = dir.resolve("registry.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "registry",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "registry",
                "-file",
                cert.toString(),
                "-storetype",
                "JKS",
                "-keystore",
                truststore.toString(),
                "-storepass",
                PASSWORD);
    }

    @Test
    void httpsWorksWithTheConfiguredTruststore() throws Exception {
        try (FakeRegistryServer registry = new FakeRegistryServer(serverContext(), false)) {
            registry.respond(200, "[\"text-events-value\"]");

            RegistryClient client = RegistryClient.create(RegistryConfig.fromMap(Map.of(
                    RegistryConfig.URL, registry.url(),
                    RegistryConfig.SSL_TRUSTSTORE_LOCATION, truststore.toString(),
                    RegistryConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD)));

            assertThat(client.subjects()).containsExactly("text-events-value");
        }
    }

    @Test
    void untrustedServerCertificateIsRefused() throws Exception {
        try (FakeRegistryServer registry = new FakeRegistryServer(serverContext(), false)) {
            RegistryClient client = RegistryClient.create(
                    RegistryConfig.builder().url(registry.url()).retries(0).build());

            assertThatThrownBy(client::subjects)
                    .isInstanceOf(RegistryUnreachableException.class)
                    .hasRootCauseInstanceOf(CertPathBuilderException.class);
            assertThat(registry.requests()).isEmpty();
        }
    }

    @Test
    void clientCertificateComesFromTheConfiguredKeystore() throws Exception {
        try (FakeRegistryServer registry = new FakeRegistryServer(serverContext(), true)) {
            registry.respond(200, "[]");
            Map<String, Object> trustOnly = Map.of(
                    RegistryConfig.URL,
                    registry.url(),
                    RegistryConfig.RETRIES,
                    0,
                    RegistryConfig.SSL_TRUSTSTORE_LOCATION,
                    truststore.toString(),
                    RegistryConfig.SSL_TRUSTSTORE_PASSWORD,
                    PASSWORD,
                    RegistryConfig.SSL_TRUSTSTORE_TYPE,
                    "JKS");
            Map<String, Object> mutual = new HashMap<>(trustOnly);
            mutual.put(RegistryConfig.SSL_KEYSTORE_LOCATION, keystore.toString());
            mutual.put(RegistryConfig.SSL_KEYSTORE_PASSWORD, PASSWORD);
            mutual.put(RegistryConfig.SSL_KEYSTORE_TYPE, "PKCS12");

            assertThatThrownBy(() -> RegistryClient.create(RegistryConfig.fromMap(trustOnly))
                            .subjects())
                    .isInstanceOf(RegistryUnreachableException.class)
                    .hasCauseInstanceOf(IOException.class);
            assertThat(RegistryClient.create(RegistryConfig.fromMap(mutual)).subjects())
                    .isEmpty();
        }
    }

    @Test
    void missingTruststoreFileIsAConfigurationError() {
        RegistryConfig config = RegistryConfig.fromMap(Map.of(
                RegistryConfig.URL,
                "https://127.0.0.1:1",
                RegistryConfig.SSL_TRUSTSTORE_LOCATION,
                dir.resolve("absent.jks").toString()));

        assertThatThrownBy(() -> RegistryClient.create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absent.jks");
    }

    private static SSLContext serverContext() throws GeneralSecurityException, IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        KeyStore trust = KeyStore.getInstance("JKS");
        try (InputStream in = Files.newInputStream(truststore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
