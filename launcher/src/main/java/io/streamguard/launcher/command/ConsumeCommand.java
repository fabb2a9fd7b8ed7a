package io.streamguard.launcher.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.AvroJson;
import io.streamguard.launcher.client.AvroSerdes;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.launcher.client.KeyedRecords;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.RegistryCallException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamguard consume}: prints records as JSON objects (one pretty-printed object per
 * record, a stream {@code jq} reads). Uses no consumer group: nothing is committed, nobody else is
 * affected.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = {
            "Print records of a topic: key, partition, offset, timestamp, headers and the Avro value decoded"
                    + " through the registry (or raw bytes with --raw).",
            "Stops after --max records, or when no record arrived for --timeout-ms. Reads all partitions;"
                    + " commits nothing.",
            "--key ID shows only the records with that key (event ids key text-events and text-labeled): it reads"
                    + " the one partition the key hashes to from the beginning and then follows it like any other"
                    + " run; add --max 1 to stop at the first."
        })
public final class ConsumeCommand implements Callable<Integer> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter PRETTY = new ObjectMapper().writerWithDefaultPrettyPrinter();

    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Mixin
    ClientOptions.Registry registry;

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-t", "--topic"},
            required = true,
            paramLabel = "TOPIC",
            description = "Topic to read.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest offsets (default: only new records).")
    boolean fromBeginning;

    @Option(
            names = {"-n", "--max"},
            paramLabel = "N",
            description = "Stop after N records (default: no limit).")
    Long max;

    @Option(
            names = "--timeout-ms",
            paramLabel = "MS",
            defaultValue = "10000",
            description = "Stop when no record arrived for this long; default: ${DEFAULT-VALUE}.")
    long timeoutMs;

    @Option(
            names = "--raw",
            description =
                    "Do not decode: key and value bytes as hex, headers as text unless binary (no registry needed).")
    boolean raw;

    @Option(
            names = {"--key", "--id"},
            paramLabel = "ID",
            description = "Only records with this key, from the beginning of its partition (implies --from-beginning).")
    String key;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be at least 1, was " + max);
        }
        if (timeoutMs < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be positive, was " + timeoutMs);
        }
        AvroDeserializer<GenericRecord> avro = raw ? null : AvroSerdes.genericDeserializer(registry.url());
        List<TopicPartition> partitions;
        try (Admin admin = KafkaClients.admin(bootstrap.bootstrap)) {
            partitions = KafkaClients.requireTopic(admin, bootstrap.bootstrap, topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
        }
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        if (key != null) {
            partitions = List.of(new TopicPartition(topic, KeyedRecords.partitionFor(key, partitions.size())));
        }

        PrintWriter out = spec.commandLine().getOut();
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            if (fromBeginning || key != null) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position); // resolve the start now, so records sent from here on are
            // seen
            long idleDeadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
            while ((max == null || count < max) && System.nanoTime() < idleDeadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.min(500, timeoutMs)));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (keyBytes != null && !Arrays.equals(keyBytes, record.key())) {
                        continue;
                    }
                    out.println(render(record, avro));
                    out.flush();
                    count++;
                    if (max != null && count >= max) {
                        break;
                    }
                }
                if (!records.isEmpty()) {
                    idleDeadline =
                            System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
                }
            }
        } finally {
            if (avro != null) {
                avro.close();
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("Consumed " + count + " record" + (count == 1 ? "" : "s") + (key == null ? "" : " with key " + key)
                + " from " + topic);
        err.flush();
        return 0;
    }

    private String render(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<GenericRecord> avro) {
        ObjectNode node = NODES.objectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        if (raw) {
            node.put("key_hex", hex(record.key()));
        } else {
            node.put("key", text(record.key()));
        }
        ObjectNode headers = node.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), header(header.value()));
        }
        if (raw || record.value() == null) {
            node.put(raw ? "value_hex" : "value", raw ? hex(record.value()) : null);
        } else {
            try {
                node.set("value", AvroJson.toJson(avro.deserialize(record.topic(), record.value())));
            } catch (RegistryCallException e) {
                throw new LauncherException(
                        "schema registry " + registry.url() + " failed: " + AvroSerdes.describe(e), e);
            } catch (SerializationException e) {
                // A poison record (e.g. in a dead-letter topic) is shown, not fatal: this is a
                // debugging tool.
                node.put("value_error", AvroSerdes.describe(e));
                node.put("value_hex", hex(record.value()));
            }
        }
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree", e);
        }
    }

    /** UTF-8 text when the bytes are valid UTF-8, otherwise {@code hex:...}. Null stays null. */
    static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return "hex:" + HexFormat.of().formatHex(bytes);
        }
    }

    /**
     * A header value as text when it is UTF-8 without control characters (the dead-letter reason, Kafka Streams'
     * error headers), otherwise {@code hex:...}; in both modes, as headers are small and mostly text.
     */
    static String header(byte[] bytes) {
        String text = text(bytes);
        if (text == null || text.startsWith("hex:")) {
            return text;
        }
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c != 0x7f || c == '\t' || c == '\n' || c == '\r');
        return printable ? text : "hex:" + HexFormat.of().formatHex(bytes);
    }

    static String hex(byte[] bytes) {
        return bytes == null ? null : HexFormat.of().formatHex(bytes);
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> conf = KafkaClients.common(bootstrap.bootstrap, "streamguard-cli-consumer");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // read_committed: records of aborted (or still open) transactions of the pipeline are not
        // shown.
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return conf;
    }
}
