package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.LauncherException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    private static final String TOPIC = "launcher-smoke";

    @TempDir
    Path dataDir;

    @Test
    void recordSurvivesBrokerRestartOnSameDataDir() throws Exception {
        String clusterId;
        RecordMetadata written;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder()
                .dataDir(dataDir)
                .port(0)
                .controllerPort(0)
                .start()) {
            clusterId = kafka.clusterId();
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":0");
            assertThat(dataDir.resolve("meta.properties")).exists();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers())) {
                written = producer.send(new ProducerRecord<>(TOPIC, bytes("k1"), bytes("hello broker")))
                        .get();
            }
            assertThat(readAll(kafka.bootstrapServers(), 1)).singleElement().satisfies(r -> assertThat(
                            new String(r.value(), StandardCharsets.UTF_8))
                    .isEqualTo("hello broker"));
        }

        // Fresh ports on purpose: a restart must not depend on the previous listener addresses.
        try (EmbeddedKafka again = EmbeddedKafka.builder()
                .dataDir(dataDir)
                .port(0)
                .controllerPort(0)
                .start()) {
            assertThat(again.clusterId()).isEqualTo(clusterId);
            List<ConsumerRecord<byte[], byte[]>> records = readAll(again.bootstrapServers(), 1);
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.offset()).isEqualTo(written.offset());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("hello broker");
            });
        }
    }

    @Test
    void portInUseIsAReadableError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedKafka.builder()
                            .dataDir(dataDir)
                            .port(taken.getLocalPort())
                            .controllerPort(0)
                            .start())
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("already in use");
        }
        assertThat(Files.exists(dataDir.resolve("meta.properties"))).isFalse();
    }

    @Test
    void aLockedDataDirIsRefusedBeforeAnythingIsWrittenInIt() throws Exception {
        try (DataDirLock held = DataDirLock.acquire(dataDir)) {
            assertThatThrownBy(() -> EmbeddedKafka.builder()
                            .dataDir(dataDir)
                            .port(0)
                            .controllerPort(0)
                            .start())
                    .isInstanceOf(DataDirInUseException.class);
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(DataDirLock.FILE_NAME);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
