package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecurityTest {

    @TempDir
    Path dataDir;

    @Test
    void generatesOwnerOnlyFilesAndReusesThemOnRestart() throws Exception {
        LocalSecurity first = LocalSecurity.loadOrCreate(dataDir);
        assertThat(first.created()).isTrue();
        Path dir = dataDir.resolve(LocalSecurity.DIR);
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(3 + LocalPrincipal.values().length);
            for (Path file : all) {
                assertThat(Files.getPosixFilePermissions(file))
                        .as(file.toString())
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
        byte[] keystore = Files.readAllBytes(first.brokerKeystore());

        LocalSecurity second = LocalSecurity.loadOrCreate(dataDir);
        assertThat(second.created()).isFalse();
        assertThat(Files.readAllBytes(second.brokerKeystore())).isEqualTo(keystore);
        for (LocalPrincipal p : LocalPrincipal.values()) {
            assertThat(second.password(p)).isEqualTo(first.password(p)).hasSize(24);
        }
        assertThat(first.password(LocalPrincipal.WORKER)).isNotEqualTo(first.password(LocalPrincipal.CLI));
    }

    @Test
    void brokerCertificateIsSignedByTheTrustedCaForLoopback() throws Exception {
        LocalSecurity security = LocalSecurity.loadOrCreate(dataDir);
        KeyStore keystore = security.loadBrokerKeystore();
        X509Certificate broker = (X509Certificate) keystore.getCertificate("broker");
        KeyStore truststore = security.loadTruststore();
        X509Certificate ca =
                (X509Certificate) truststore.getCertificate(truststore.aliases().nextElement());

        broker.verify(ca.getPublicKey());
        broker.checkValidity();
        assertThat(broker.getSubjectX500Principal().getName()).isEqualTo(LocalSecurity.BROKER_DN);
        assertThat(broker.getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder((Object) Ports.LOOPBACK, "localhost");
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(keystore.getKey("broker", security.storePassword().toCharArray()))
                .isNotNull();
    }

    @Test
    void clientPropertiesFileHoldsTheSettingsOfItsPrincipalOnly() throws Exception {
        LocalSecurity security = LocalSecurity.loadOrCreate(dataDir);
        Properties file = new Properties();
        try (var in = Files.newInputStream(security.clientPropertiesFile(LocalPrincipal.WORKER))) {
            file.load(in);
        }
        Map<String, String> expected = security.clientProperties(LocalPrincipal.WORKER);
        assertThat(file).containsAllEntriesOf(expected).hasSize(expected.size());
        assertThat(file.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(file.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(file.getProperty("sasl.jaas.config"))
                .contains("username=\"worker\"")
                .contains(security.password(LocalPrincipal.WORKER));
        assertThat(file.getProperty("basic.auth.user.info"))
                .isEqualTo("worker:" + security.password(LocalPrincipal.WORKER));
        assertThat(file.getProperty("schema.registry.ssl.truststore.location"))
                .isEqualTo(security.truststore().toString());
        assertThat(file.toString()).doesNotContain(security.password(LocalPrincipal.CLI));
        assertThat(security.toString()).doesNotContain(security.storePassword());
    }
}
