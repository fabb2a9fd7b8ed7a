package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.connectors.converter.AvroConverter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Our Connect converter against Confluent's own Python client (Debian's python3-confluent-kafka): it reads
 * the LabeledEvents python's {@code AvroProducer} wrote, with an enum, a map, an array, a nullable nested
 * record and a timestamp, and what it writes back from those Connect records python's decoder reads as
 * the same values. The bytes travel through the real broker and registry, as in a Connect worker.
 */
class ConverterInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = System.getProperty("streamguard.python", "/usr/bin/python3");
    private static final Path SCRIPT =
            Path.of(System.getProperty("streamguard.python.dir", "src/test/python"), "confluent_interop.py");
    private static final Path LABELED_EVENT_SCHEMA = Path.of(
            System.getProperty("streamguard.home", ".."), "schemas", "src", "main", "avro", "LabeledEvent.avsc");
    private static final int COUNT = 6;

    @Test
    void readsWhatPythonWroteAndPythonReadsWhatItWrote() throws Exception {
        String fromPython = SharedStack.newTopic("py-labeled", 1);
        Processes.Result produced = Processes.run(
                List.of(
                        PYTHON,
                        SCRIPT.toString(),
                        "produce-labeled",
                        SharedStack.bootstrap(),
                        SharedStack.registryUrl(),
                        fromPython,
                        "" + COUNT,
                        LABELED_EVENT_SCHEMA.toString()),
                120);
        assertThat(produced.exitCode())
                .as("python producer stderr: %s", produced.stderr())
                .isZero();

        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", SharedStack.registryUrl()), false);
        List<SchemaAndValue> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                SharedStack.consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(fromPython));
            for (ConsumerRecord<byte[], byte[]> r : PythonAndKcatInteropIT.pollUntil(consumer, COUNT)) {
                read.add(converter.toConnectData(fromPython, r.value()));
            }
        }

        Struct first = (Struct) read.get(0).value();
        assertThat(read.get(0).schema().name()).isEqualTo("io.streamguard.avro.LabeledEvent");
        assertThat(first.getString("id")).isEqualTo("py-labeled-0");
        assertThat(first.getMap("scores")).containsEntry("offensive", 0.5).containsEntry("hate", 0.25);
        assertThat(first.getStruct("sentiment").getString("label")).isEqualTo("negative");
        assertThat(first.get("decision")).isEqualTo("ALLOW");
        assertThat(first.getArray("triggeredLabels")).isEmpty();
        assertThat(first.getStruct("timings").getFloat64("modelMs")).isEqualTo(12.25);
        assertThat(first.get("eventTime")).isEqualTo(new Date(1_700_000_000_000L));
        assertThat(first.getString("text")).isEqualTo("labeled by python 0 é 🙂");
        Struct second = (Struct) read.get(1).value();
        assertThat(second.getStruct("sentiment")).isNull();
        assertThat(second.get("decision")).isEqualTo("REVIEW");
        assertThat(second.getArray("triggeredLabels")).containsExactly("offensive");

        String toPython = SharedStack.newTopic("connect-labeled", 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                SharedStack.producerProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SchemaAndValue record : read) {
                String id = ((Struct) record.value()).getString("id");
                byte[] bytes = converter.fromConnectData(toPython, record.schema(), record.value());
                producer.send(new ProducerRecord<>(toPython, id.getBytes(), bytes))
                        .get();
            }
        }
        Processes.Result consumed = Processes.run(
                List.of(
                        PYTHON,
                        SCRIPT.toString(),
                        "consume",
                        SharedStack.bootstrap(),
                        SharedStack.registryUrl(),
                        toPython,
                        "" + COUNT),
                120);
        assertThat(consumed.exitCode())
                .as("python consumer stderr: %s", consumed.stderr())
                .isZero();
        List<JsonNode> decoded = new ArrayList<>();
        for (String line : consumed.out().strip().split("\n")) {
            decoded.add(JSON.readTree(line));
        }
        assertThat(decoded).hasSize(COUNT);
        for (int i = 0; i < COUNT; i++) {
            JsonNode v = decoded.get(i);
            assertThat(v.get("id").asText()).isEqualTo("py-labeled-" + i);
            assertThat(v.get("_key").asText()).isEqualTo("py-labeled-" + i);
            assertThat(v.get("decision").asText())
                    .isEqualTo(List.of("ALLOW", "REVIEW", "BLOCK").get(i % 3));
            assertThat(v.get("scores").get("offensive").asDouble()).isEqualTo(0.5 + i / 100.0);
            assertThat(v.get("sentiment").isNull()).isEqualTo(i % 2 == 1);
            assertThat(v.get("triggeredLabels").size()).isEqualTo(i % 3 == 0 ? 0 : 1);
            assertThat(v.get("timings").get("endToEndMs").asLong()).isEqualTo(40 + i);
            assertThat(v.get("text").asText()).isEqualTo("labeled by python " + i + " é 🙂");
        }
    }
}
