package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.schemas.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secured broker: SCRAM users from format time, ACLs per principal, and a restart that keeps both. */
class SecureEmbeddedKafkaTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = secureBroker();
        try (Admin admin = Admin.create(kafka.clientProperties(LocalPrincipal.ADMIN))) {
            admin.createTopics(List.of(
                            new NewTopic(Topics.TEXT_EVENTS, 1, (short) 1),
                            new NewTopic(Topics.TEXT_LABELED, 1, (short) 1)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static EmbeddedKafka secureBroker() {
        return EmbeddedKafka.builder()
                .dataDir(dataDir.resolve("kafka"))
                .port(0)
                .controllerPort(0)
                .security(LocalSecurity.loadOrCreate(dataDir))
                .start();
    }

    @Test
    void eachPrincipalWritesWhereItsAclsAllowAndNowhereElse() throws Exception {
        try (KafkaProducer<String, String> cli = producer(kafka.clientProperties(LocalPrincipal.CLI))) {
            assertThat(cli.send(new ProducerRecord<>(Topics.TEXT_EVENTS, "k", "v"))
                            .get(10, TimeUnit.SECONDS))
                    .isNotNull();
            assertThatThrownBy(() -> cli.send(new ProducerRecord<>(Topics.TEXT_LABELED, "k", "v"))
                            .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> worker = producer(kafka.clientProperties(LocalPrincipal.WORKER))) {
            assertThat(worker.send(new ProducerRecord<>(Topics.TEXT_LABELED, "k", "v"))
                            .get(10, TimeUnit.SECONDS))
                    .isNotNull();
        }
    }

    @Test
    void wrongPasswordIsRefusedAtAuthentication() {
        Map<String, Object> conf = kafka.clientProperties(LocalPrincipal.CLI);
        conf.put("sasl.jaas.config", LocalSecurity.jaasConfig("cli", "not-the-password"));
        try (KafkaProducer<String, String> producer = producer(conf)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, "k", "v"))
                            .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> conf) {
        Map<String, Object> p = new HashMap<>(conf);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
