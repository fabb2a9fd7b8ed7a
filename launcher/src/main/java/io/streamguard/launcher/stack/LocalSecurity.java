package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificates and credentials of a secured local stack ({@code up --secure}), kept in {@code
 * <data-dir>/secure/} and reused on restart, because the broker stores the SCRAM credentials at
 * format time and a restarted stack must present the certificate its clients already trust.
 *
 * <p>Generated once: a throw-away CA (its key is never written: nothing else can be signed with it),
 * the broker's key and certificate for 127.0.0.1/localhost in {@value #BROKER_KEYSTORE}, the CA
 * certificate in {@value #TRUSTSTORE}, random passwords for both stores and for each {@link
 * LocalPrincipal} in {@value #CREDENTIALS}, and one {@code client-<principal>.properties} per
 * principal. Every file is readable by its owner only. No method logs or formats a password.
 */
public final class LocalSecurity {
    public static final String DIR = "secure";
    public static final String BROKER_KEYSTORE = "broker.p12";
    public static final String TRUSTSTORE = "truststore.p12";
    public static final String CREDENTIALS = "credentials.properties";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /** Subject of the broker certificate; its SSL principal is a super user on the controller listener. */
    static final String BROKER_DN = "CN=streamguard-broker";

    static final String CA_DN = "CN=streamguard-local-ca";
    static final Duration VALIDITY = Duration.ofDays(825);
    private static final String STORE_PASSWORD_KEY = "store.password";
    private static final String USER_PREFIX = "user.";
    private static final String STORE_TYPE = "PKCS12";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String storePassword;
    private final Map<LocalPrincipal, String> passwords;
    private final boolean created;

    private LocalSecurity(Path dir, String storePassword, Map<LocalPrincipal, String> passwords, boolean created) {
        this.dir = dir;
        this.storePassword = storePassword;
        this.passwords = Map.copyOf(passwords);
        this.created = created;
    }

    /**
     * Loads {@code <dataDir>/secure/}, generating whatever is missing (a principal added since, or all of
     * it on first use).
     *
     * @throws LauncherException if the directory cannot be written or its files are unreadable
     */
    public static LocalSecurity loadOrCreate(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize().resolve(DIR);
        try {
            Files.createDirectories(dir);
            restrict(dir, PosixFilePermissions.fromString("rwx------"));
            Path credentialsFile = dir.resolve(CREDENTIALS);
            boolean created = !Files.exists(credentialsFile);
            Properties credentials = new Properties();
            if (!created) {
                try (InputStream in = Files.newInputStream(credentialsFile)) {
                    credentials.load(in);
                }
            }
            boolean changed = created;
            if (credentials.getProperty(STORE_PASSWORD_KEY) == null) {
                credentials.setProperty(STORE_PASSWORD_KEY, randomPassword());
                changed = true;
            }
            Map<LocalPrincipal, String> passwords = new TreeMap<>();
            for (LocalPrincipal principal : LocalPrincipal.values()) {
                String key = USER_PREFIX + principal.user();
                if (credentials.getProperty(key) == null) {
                    credentials.setProperty(key, randomPassword());
                    changed = true;
                }
                passwords.put(principal, credentials.getProperty(key));
            }
            if (changed) {
                writeOwnerOnly(credentialsFile, out -> credentials.store(out, "streamguard up --secure: keep private"));
            }
            LocalSecurity security =
                    new LocalSecurity(dir, credentials.getProperty(STORE_PASSWORD_KEY), passwords, created);
            if (!Files.exists(security.brokerKeystore()) || !Files.exists(security.truststore())) {
                security.issueCertificates();
            }
            for (LocalPrincipal principal : LocalPrincipal.values()) {
                security.writeClientProperties(principal);
            }
            return security;
        } catch (IOException e) {
            throw new LauncherException("could not prepare " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether this call generated the credentials (a fresh {@code secure/} directory). */
    public boolean created() {
        return created;
    }

    public Path dir() {
        return dir;
    }

    public Path brokerKeystore() {
        return dir.resolve(BROKER_KEYSTORE);
    }

    public Path truststore() {
        return dir.resolve(TRUSTSTORE);
    }

    /** The password of both PKCS12 stores. */
    String storePassword() {
        return storePassword;
    }

    /** The principal's SCRAM password, which is also its registry password. */
    String password(LocalPrincipal principal) {
        return passwords.get(principal);
    }

    /** Where {@link #clientProperties} of this principal are written. */
    public Path clientPropertiesFile(LocalPrincipal principal) {
        return dir.resolve("client-" + principal.user() + ".properties");
    }

    /**
     * What a client of the principal needs besides {@code bootstrap.servers} and the registry URL: SASL_SSL
     * with SCRAM-SHA-512, the truststore, and the registry's basic auth and truststore (Confluent's names).
     */
    public Map<String, String> clientProperties(LocalPrincipal principal) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", SCRAM_MECHANISM);
        p.put("sasl.jaas.config", jaasConfig(principal.user(), password(principal)));
        p.put("ssl.truststore.location", truststore().toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", STORE_TYPE);
        p.put("basic.auth.credentials.source", "USER_INFO");
        p.put("basic.auth.user.info", principal.user() + ":" + password(principal));
        p.put("schema.registry.ssl.truststore.location", truststore().toString());
        p.put("schema.registry.ssl.truststore.password", storePassword);
        p.put("schema.registry.ssl.truststore.type", STORE_TYPE);
        return p;
    }

    /** The broker-side TLS settings (keystore and truststore), shared by its listeners. */
    Map<String, String> brokerSslProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ssl.keystore.location", brokerKeystore().toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.keystore.type", STORE_TYPE);
        p.put("ssl.key.password", storePassword);
        p.put("ssl.truststore.location", truststore().toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", STORE_TYPE);
        return p;
    }

    /** The broker keystore, loaded: the registry's TLS front end serves the same certificate. */
    KeyStore loadBrokerKeystore() {
        return load(brokerKeystore());
    }

    KeyStore loadTruststore() {
        return load(truststore());
    }

    static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    @Override
    public String toString() {
        return "LocalSecurity[" + dir + "]";
    }

    private KeyStore load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(STORE_TYPE);
            store.load(in, storePassword.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new LauncherException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeClientProperties(LocalPrincipal principal) throws IOException {
        Properties p = new Properties();
        p.putAll(clientProperties(principal));
        writeOwnerOnly(
                clientPropertiesFile(principal),
                out -> p.store(out, "streamguard client settings of principal " + principal.user()));
    }

    private void issueCertificates() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256, RANDOM);
            KeyPair ca = generator.generateKeyPair();
            KeyPair broker = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate caCert = sign(
                    new JcaX509v3CertificateBuilder(
                                    new X500Name(CA_DN),
                                    serial(),
                                    Date.from(now.minus(Duration.ofMinutes(5))),
                                    Date.from(now.plus(VALIDITY)),
                                    new X500Name(CA_DN),
                                    ca.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                            .addExtension(
                                    Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
                    ca);
            X509Certificate brokerCert = sign(
                    new JcaX509v3CertificateBuilder(
                                    caCert,
                                    serial(),
                                    Date.from(now.minus(Duration.ofMinutes(5))),
                                    Date.from(now.plus(VALIDITY)),
                                    new X500Name(BROKER_DN),
                                    broker.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.iPAddress, Ports.LOOPBACK),
                                new GeneralName(GeneralName.dNSName, "localhost")
                            })),
                    ca);
            char[] password = storePassword.toCharArray();
            KeyStore keystore = KeyStore.getInstance(STORE_TYPE);
            keystore.load(null, null);
            keystore.setKeyEntry("broker", broker.getPrivate(), password, new Certificate[] {brokerCert, caCert});
            KeyStore truststore = KeyStore.getInstance(STORE_TYPE);
            truststore.load(null, null);
            truststore.setCertificateEntry("streamguard-local-ca", caCert);
            writeOwnerOnly(brokerKeystore(), out -> store(keystore, out, password));
            writeOwnerOnly(truststore(), out -> store(truststore, out, password));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new LauncherException("could not issue the local certificates: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static void store(KeyStore store, OutputStream out, char[] password) throws IOException {
        try {
            store.store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    /** 24 characters of an unambiguous alphanumeric alphabet: safe inside JAAS strings and SCRAM arguments. */
    static String randomPassword() {
        char[] out = new char[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Creates the file 0600 before any byte goes in, so a secret is never world-readable, even briefly. */
    private static void writeOwnerOnly(Path file, Writer writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
            writer.write(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing stricter is available
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
