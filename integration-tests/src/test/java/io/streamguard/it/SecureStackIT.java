package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.stack.LocalPrincipal;
import io.streamguard.launcher.stack.LocalSecurity;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import io.streamguard.topology.testing.SeededHeads;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A secured stack ({@code EmbeddedStack.secure()}: SASL_SSL + SCRAM-SHA-512 + ACLs on the broker, HTTPS
 * + basic auth on the registry) with a worker connected as its own principal: anonymous and wrong
 * credentials are refused, a principal without WRITE on {@code text-labeled} is refused while the worker
 * labels, the registry answers 401 to an anonymous registration, and no generated password shows in the
 * logs, the worker's /metrics or the CLI's help.
 */
class SecureStackIT {
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final String AVRO_CONTENT = "application/vnd.schemaregistry.v1+json";

    @TempDir
    static Path dir;

    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static EmbeddedStack stack;
    private static ClassifierScorer scorer;
    private static Worker worker;

    private static Level kafkaLevel;

    @BeforeAll
    static void start() {
        LOG.start();
        root().addAppender(LOG);
        // Kafka's client and broker config dumps (INFO) are where a password would show first.
        kafkaLevel = kafka().getLevel();
        kafka().setLevel(Level.INFO);
        stack = EmbeddedStack.builder()
                .dataDir(dir.resolve("stack"))
                .ephemeralPorts()
                .partitions(2)
                .secure()
                .start();
        Path heads = dir.resolve("seeded-minilm.json");
        SeededHeads.minilm("seeded-secure", 11, 128, heads);
        Map<String, String> p = new HashMap<>(stack.clientProperties(LocalPrincipal.WORKER));
        p.put("application.id", LocalPrincipal.WORKER_PREFIX + "-secure-it");
        p.put("state.dir", dir.resolve("state").toString());
        p.put(WorkerConfig.WORKER_ID, "it-secure");
        p.put(WorkerConfig.MODEL_HEADS, heads.toString());
        p.put(WorkerConfig.METRICS_PORT, "0");
        WorkerConfig config = WorkerConfig.of(p);
        scorer = ClassifierScorer.load(config);
        worker = Worker.start(config, c -> scorer);
        StreamsRunning.await("the secured worker", worker::state, PATIENCE);
    }

    @AfterAll
    static void stop() {
        try {
            if (worker != null) {
                worker.close();
            }
            if (scorer != null) {
                scorer.close();
            }
            if (stack != null) {
                stack.close();
            }
        } finally {
            root().detachAppender(LOG);
            kafka().setLevel(kafkaLevel);
        }
    }

    private static Logger kafka() {
        return (Logger) LoggerFactory.getLogger("org.apache.kafka");
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void clientsWithoutCredentialsOrWithAWrongPasswordAreRefused() throws Exception {
        Map<String, Object> anonymous = new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000));
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .as("plaintext client on the SASL_SSL listener")
                    .isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> tlsOnly = new HashMap<>(anonymous);
        LocalSecurity security = stack.security().orElseThrow();
        tlsOnly.put("security.protocol", "SSL");
        tlsOnly.put("ssl.truststore.location", security.truststore().toString());
        tlsOnly.put("ssl.truststore.password", secret("ssl.truststore.password"));
        try (Admin admin = Admin.create(tlsOnly)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .as("TLS client without SASL")
                    .isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> wrong = new HashMap<>(stack.clientProperties(LocalPrincipal.CLI));
        wrong.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"cli\" password=\"wrong\";");
        try (Admin admin = Admin.create(wrong)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aPrincipalWithoutWriteOnTextLabeledIsRefusedWhileTheSecuredWorkerLabels() throws Exception {
        Map<String, String> cli = stack.clientProperties(LocalPrincipal.CLI);
        AvroSerde<TextEvent> texts = AvroSerde.specific(TextEvent.class);
        texts.configure(cli, false);
        AvroSerde<LabeledEvent> labeled = AvroSerde.specific(LabeledEvent.class);
        labeled.configure(cli, false);
        String prefix = "secure-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> pc = new HashMap<>(cli);
        pc.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        pc.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        pc.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, TextEvent> producer =
                        new KafkaProducer<>(pc, new StringSerializer(), texts.serializer());
                KafkaProducer<String, String> forger =
                        new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(
                                Topics.TEXT_EVENTS,
                                "k" + i,
                                TextEvent.newBuilder()
                                        .setId(prefix + "-" + i)
                                        .setText("an ordinary comment number " + i)
                                        .build()))
                        .get(15, TimeUnit.SECONDS);
            }
            // A forged verdict: the bytes do not matter, the broker refuses the write before reading them.
            assertThatThrownBy(() -> forger.send(new ProducerRecord<>(Topics.TEXT_LABELED, "k", "forged"))
                            .get(15, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        Map<String, Object> cc = new HashMap<>(cli);
        cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, LabeledEvent> consumer =
                new KafkaConsumer<>(cc, new StringDeserializer(), labeled.deserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions =
                    consumer.partitionsFor(Topics.TEXT_LABELED).stream()
                            .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (seen.size() < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, LabeledEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value().getId().startsWith(prefix)) {
                        assertThat(r.value().getWorkerId()).isEqualTo("it-secure");
                        seen.add(r.value().getId());
                    }
                }
            }
        }
        assertThat(seen).as("labeled by the worker principal").hasSize(10);
    }

    @Test
    void theRegistryRefusesAnAnonymousRegistrationAndAcceptsAnAuthenticatedOneOverTls() throws Exception {
        String subjectUrl = stack.registryUrl() + "/subjects/secure-it-" + UUID.randomUUID() + "-value/versions";
        assertThat(stack.registryUrl()).startsWith("https://127.0.0.1:");
        String schema = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"S\\\",\\\"fields\\\":[]}\"}";
        HttpClient https = HttpClient.newBuilder().sslContext(trusting()).build();
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(subjectUrl))
                .header("Content-Type", AVRO_CONTENT)
                .POST(HttpRequest.BodyPublishers.ofString(schema));

        HttpResponse<String> anonymous = https.send(post.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        HttpResponse<String> wrong = https.send(
                post.copy().header("Authorization", basic("cli:wrong")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> authenticated = https.send(
                post.copy()
                        .header("Authorization", basic(secret("basic.auth.user.info")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authenticated.statusCode()).isEqualTo(200);
        assertThat(authenticated.body()).contains("\"id\"");

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(post.build(), HttpResponse.BodyHandlers.discarding()))
                .as("a client that does not trust the local CA")
                .isInstanceOf(SSLHandshakeException.class);

        // Our registry client, configured with Confluent's property names only.
        RegistryClient client =
                RegistryClient.create(RegistryConfig.fromMap(stack.clientProperties(LocalPrincipal.CLI)));
        int id = client.register(
                "secure-it-client-" + UUID.randomUUID() + "-value",
                new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"T\",\"fields\":[]}"));
        assertThat(id).isPositive();
    }

    @Test
    void noGeneratedPasswordShowsInLogsMetricsOrHelp() throws Exception {
        Set<String> secrets = secrets();
        assertThat(secrets).hasSizeGreaterThan(LocalPrincipal.values().length);
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.metricsPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics).contains("streamguard_");
        List<String> outputs = new ArrayList<>();
        outputs.add(metrics);
        for (String command :
                List.of("up", "worker", "produce", "consume", "console", "retrainer", "topics", "connectors")) {
            Cli help = Cli.run(command, "--help");
            outputs.add(help.out() + help.err());
        }
        List<String> logged = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(LOG.list)) {
            logged.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                logged.add(event.getThrowableProxy().getMessage());
            }
        }
        assertThat(logged)
                .as("the clients' config dumps were logged, with the JAAS config hidden")
                .anyMatch(line -> line.contains("sasl.jaas.config = [hidden]"))
                .anyMatch(line -> line.contains("ssl.truststore.password = [hidden]"));
        outputs.addAll(logged);
        for (String output : outputs) {
            for (String secret : secrets) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }

    /** Every generated password: the stores' and each principal's. */
    private static Set<String> secrets() throws Exception {
        Properties credentials = new Properties();
        try (InputStream in =
                Files.newInputStream(stack.security().orElseThrow().dir().resolve(LocalSecurity.CREDENTIALS))) {
            credentials.load(in);
        }
        Set<String> out = new HashSet<>();
        credentials.stringPropertyNames().forEach(k -> out.add(credentials.getProperty(k)));
        return out;
    }

    private static String secret(String key) {
        return stack.clientProperties(LocalPrincipal.CLI).get(key);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting() throws Exception {
        KeyStore truststore = KeyStore.getInstance("PKCS12");
        try (InputStream in =
                Files.newInputStream(stack.security().orElseThrow().truststore())) {
            truststore.load(in, secret("ssl.truststore.password").toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(truststore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
