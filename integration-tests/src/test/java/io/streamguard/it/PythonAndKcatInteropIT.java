package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Wire-format interop with code nobody here wrote: Debian's python3-confluent-kafka
 * ({@code confluent_kafka.avro.AvroProducer} and its {@code MessageSerializer}) and kcat, on the real broker and registry.
 * The packages are installed by scripts/install-test-deps.sh in the pre-integration-test phase.
 */
class PythonAndKcatInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = System.getProperty("streamguard.python", "/usr/bin/python3");
    private static final Path SCRIPT =
            Path.of(System.getProperty("streamguard.python.dir", "src/test/python"), "confluent_interop.py");

    @Test
    void pythonAvroProducerIsReadByOurDeserializerWithThePipelinesReaderSchema() throws Exception {
        String topic = SharedStack.newTopic(Topics.TEXT_EVENTS, 1);
        Processes.Result py = Processes.run(
                List.of(
                        PYTHON,
                        SCRIPT.toString(),
                        "produce",
                        SharedStack.bootstrap(),
                        SharedStack.registryUrl(),
                        topic,
                        "5"),
                120);
        assertThat(py.exitCode()).as("python producer stderr: %s", py.stderr()).isZero();
        int pythonSchemaId = JSON.readTree(py.out()).get("schema_id").asInt();

        List<TextEvent> events = new ArrayList<>();
        try (AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class);
                KafkaConsumer<String, TextEvent> consumer = consumer(serde)) {
            consumer.subscribe(List.of(topic));
            pollUntil(consumer, 5).forEach(r -> events.add(r.value()));
        }

        assertThat(events).extracting(e -> e.getId()).containsExactly("py-0", "py-1", "py-2", "py-3", "py-4");
        assertThat(events.get(2).getText()).isEqualTo("hello from python 2 é 🙂");
        // The python producer's schema knows only id and text: our reader schema fills the defaults.
        assertThat(events.get(0).getLanguage()).isNull();
        assertThat(events.get(0).getAttributes()).isEmpty();
        assertThat(RegistryClient.create(RegistryConfig.builder()
                                .url(SharedStack.registryUrl())
                                .build())
                        .schemaById(pythonSchemaId)
                        .getFields())
                .hasSize(2);
    }

    @Test
    void ourSerializerIsReadByPythonAvroConsumerAndKcatSeesTheWireFormat() throws Exception {
        String topic = SharedStack.newTopic(Topics.TEXT_EVENTS, 1);
        List<TextEvent> sent = List.of(
                event("j-0", "plain ascii", Map.of()),
                event("j-1", "naïve café — 你好 🙂", Map.of("channel", "chat")),
                event("j-2", "x".repeat(10_000), Map.of()));
        try (AvroSerde<TextEvent> serde = SharedStack.valueSerde(TextEvent.class)) {
            try (KafkaProducer<String, TextEvent> producer =
                    new KafkaProducer<>(SharedStack.producerProps(), new StringSerializer(), serde.serializer())) {
                for (TextEvent e : sent) {
                    producer.send(new ProducerRecord<>(topic, e.getId(), e)).get();
                }
            }
        }

        Processes.Result py = Processes.run(
                List.of(
                        PYTHON,
                        SCRIPT.toString(),
                        "consume",
                        SharedStack.bootstrap(),
                        SharedStack.registryUrl(),
                        topic,
                        "3"),
                120);
        assertThat(py.exitCode()).as("python consumer stderr: %s", py.stderr()).isZero();
        List<JsonNode> decoded = new ArrayList<>();
        for (String line : py.out().strip().split("\n")) {
            decoded.add(JSON.readTree(line));
        }
        assertThat(decoded).extracting(n -> n.get("id").asText()).containsExactly("j-0", "j-1", "j-2");
        assertThat(decoded).extracting(n -> n.get("_key").asText()).containsExactly("j-0", "j-1", "j-2");
        assertThat(decoded.get(1).get("text").asText()).isEqualTo("naïve café — 你好 🙂");
        assertThat(decoded.get(1).get("attributes").get("channel").asText()).isEqualTo("chat");
        assertThat(decoded.get(2).get("text").asText()).hasSize(10_000);

        // kcat knows no Avro: it shows the raw bytes, which must be 0x00 + big-endian id + Avro body.
        Processes.Result kcat = Processes.run(
                List.of(
                        "kcat",
                        "-b",
                        SharedStack.bootstrap(),
                        "-C",
                        "-t",
                        topic,
                        "-o",
                        "beginning",
                        "-c",
                        "1",
                        "-e",
                        "-q",
                        "-f",
                        "%s"),
                60);
        assertThat(kcat.exitCode()).as("kcat stderr: %s", kcat.stderr()).isZero();
        byte[] raw = kcat.stdout();
        int expectedId = RegistryClient.create(
                        RegistryConfig.builder().url(SharedStack.registryUrl()).build())
                .lookup(topic + "-value", TextEvent.getClassSchema());
        assertThat(raw[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(raw, 1, 4).getInt()).isEqualTo(expectedId);
        assertThat(new String(Arrays.copyOfRange(raw, 5, raw.length), StandardCharsets.UTF_8))
                .contains("plain ascii");
    }

    private static TextEvent event(String id, String text, Map<String, String> attributes) {
        return TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setSource("it")
                .setAttributes(attributes)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    private static KafkaConsumer<String, TextEvent> consumer(AvroSerde<TextEvent> serde) {
        serde.configure(Map.of("schema.registry.url", SharedStack.registryUrl()), false);
        return new KafkaConsumer<>(SharedStack.consumerProps(), new StringDeserializer(), serde.deserializer());
    }

    static <K, V> List<ConsumerRecord<K, V>> pollUntil(KafkaConsumer<K, V> consumer, int count) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        assertThat(records).as("records within 60 s").hasSize(count);
        return records;
    }
}
