package io.streamguard.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the JDK {@link SSLContext} the config asks for. */
final class TlsContexts {

    private TlsContexts() {}

    /** Empty when neither store is configured, so the HTTP client keeps the JDK's default context. */
    static Optional<SSLContext> from(RegistryConfig config) {
        if (config.truststore().isEmpty() && config.keystore().isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManager[] trust = null; // null: JDK default trust (cacerts)
            if (config.truststore().isPresent()) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(config.truststore().get()));
                trust = tmf.getTrustManagers();
            }
            KeyManager[] keys = null;
            if (config.keystore().isPresent()) {
                RegistryConfig.KeyStoreRef ref = config.keystore().get();
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = config.keyPassword().orElse(ref.password());
                kmf.init(load(ref), keyPassword == null ? null : keyPassword.toCharArray());
                keys = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS for the schema registry: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(RegistryConfig.KeyStoreRef ref) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(ref.type());
        try (InputStream in = Files.newInputStream(ref.location())) {
            store.load(in, ref.password() == null ? null : ref.password().toCharArray());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot load " + ref.type() + " store " + ref.location() + ": " + e.getMessage(), e);
        }
        return store;
    }
}
